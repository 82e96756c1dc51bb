import Exchange
import GRDB

/// A bulletin reference is stored as its text `<origin>-<ULID>` (`TEXT`), as the bulletin JSON
/// writes its `id`.
extension BulletinReference: StoredValue {
    /// `<origin>-<ULID>`.
    public var databaseValue: DatabaseValue { description.databaseValue }

    /// The reference of a text `<origin>-<ULID>`; `nil` for anything else.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> BulletinReference? {
        guard case .string(let text) = value.storage else { return nil }
        return try? BulletinReference(text)
    }

    /// `a bulletin reference <state>-<ULID>`.
    public static var storedForm: String { "a bulletin reference <state>-<ULID>" }
}
