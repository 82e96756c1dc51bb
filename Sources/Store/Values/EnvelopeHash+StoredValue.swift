import Exchange
import Foundation
import GRDB

/// An envelope hash is stored as its 32 bytes (`BLOB`).
extension EnvelopeHash: StoredValue {
    /// The 32 bytes.
    public var databaseValue: DatabaseValue { Data(bytes).databaseValue }

    /// The hash in a blob of 32 bytes; `nil` for anything else.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> EnvelopeHash? {
        guard case .blob(let data) = value.storage else { return nil }
        return try? EnvelopeHash(bytes: [UInt8](data))
    }

    /// `a blob of 32 bytes (an envelope hash)`.
    public static var storedForm: String { "a blob of 32 bytes (an envelope hash)" }
}
