import Foundation
import GRDB
import Store

/// A Merkle hash is stored as its 32 bytes (`BLOB`): the leaf hashes of the audit log and of the
/// secretariat's collection store, and the roots of collected heads.
extension MerkleHash: StoredValue {
    /// The 32 bytes.
    public var databaseValue: DatabaseValue { Data(bytes).databaseValue }

    /// The hash in a blob of 32 bytes; `nil` for anything else.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> MerkleHash? {
        guard case .blob(let data) = value.storage, data.count == byteCount else { return nil }
        return MerkleHash(checked: [UInt8](data))
    }

    /// `a blob of 32 bytes (a Merkle hash)`.
    public static var storedForm: String { "a blob of 32 bytes (a Merkle hash)" }
}
