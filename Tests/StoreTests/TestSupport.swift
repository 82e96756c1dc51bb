import Exchange
import Foundation
import GRDB
import Store

/// Test values: states, references and hashes made from small numbers.
enum Fixtures {
    static let morocco = state("MA")
    static let algeria = state("DZ")
    static let tunisia = state("TN")

    static func state(_ text: String) -> StateCode {
        // Test literals are two capital letters.
        try! StateCode(text)
    }

    /// The reference of bulletin `number` posted by `origin`.
    static func reference(_ number: UInt8, origin: StateCode = morocco) -> BulletinReference {
        BulletinReference(origin: origin, id: try! BulletinID(bytes: [UInt8](repeating: 0, count: 15) + [number]))
    }

    /// A hash whose 32 bytes are `byte`.
    static func hash(_ byte: UInt8) -> EnvelopeHash {
        try! EnvelopeHash(bytes: [UInt8](repeating: byte, count: 32))
    }

    /// The hash of the text `seed` (distinct seeds, distinct hashes).
    static func hash(_ seed: String) -> EnvelopeHash {
        var bytes = Array(seed.utf8.prefix(32))
        bytes += [UInt8](repeating: 0, count: 32 - bytes.count)
        return try! EnvelopeHash(bytes: bytes)
    }

    static func time(_ milliseconds: UInt64) -> Timestamp { Timestamp(millisecondsSinceEpoch: milliseconds) }
}

/// A temporary folder for one test's SQLite files.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bordernet-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// A plain connection to the file at `path`, waiting (bounded) while a checkpoint thread holds it.
    func rawQueue(_ name: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // Bad rows are written as a damaged or hand-edited file would hold them.
        configuration.foreignKeysEnabled = false
        return try DatabaseQueue(path: path(name), configuration: configuration)
    }
}

/// Whether `error` is ``StoreError/invalidValue(file:table:column:row:found:expected:)`` for
/// `column` of `table` in `file`, naming a row that contains `row`.
func isInvalidValue(_ error: any Error, file: String = "store", table: String, column: String, row: String) -> Bool {
    guard case .invalidValue(let actualFile, let actualTable, let actualColumn, let actualRow, _, _) = error as? StoreError else {
        return false
    }
    return actualFile == file && actualTable == table && actualColumn == column && actualRow.contains(row)
        && "\(error)".contains("restore it from a backup")
}
