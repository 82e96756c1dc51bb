import Foundation
import Sodium

@testable import Exchange

/// Decodes a hexadecimal literal (test constants: a typo makes the test fail, not crash).
func hex(_ text: String) -> [UInt8] {
    (try? Hex.decode(text)) ?? []
}

/// A state code literal of a test.
func state(_ text: String) -> StateCode {
    (try? StateCode(text)) ?? StateCode(checked: "ZZ")
}

/// SplitMix64: a small seeded generator, so that "random" tests are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D1_33E0_49BB_1133
        return z ^ (z >> 31)
    }
}

/// Where the committed vectors live: `Tests/Vectors`, found from this source file's path.
enum VectorFiles {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ExchangeTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Vectors", isDirectory: true)

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Whether this run writes the vectors instead of checking them.
    static var writing: Bool { ProcessInfo.processInfo.environment["BORDERNET_WRITE_VECTORS"] == "1" }
}
