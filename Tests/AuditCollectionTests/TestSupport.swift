import Audit
import Exchange
import Foundation
import Testing

/// A temporary folder removed when the value is released.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bn-collect-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A state code from a literal known to be valid.
func state(_ text: String) throws -> StateCode { try StateCode(text) }

/// A distinct envelope hash for a test: 32 bytes of `byte`.
func hash(_ byte: UInt8) throws -> EnvelopeHash { try EnvelopeHash(bytes: [UInt8](repeating: byte, count: 32)) }

/// A link between two states.
func link(_ origin: String, _ recipient: String) throws -> Link { Link(origin: try state(origin), recipient: try state(recipient)) }

/// A seeded generator (SplitMix64), so that a property test draws the same cases on every run and a
/// failure can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
