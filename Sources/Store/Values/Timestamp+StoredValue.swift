import Exchange
import GRDB

/// A timestamp is stored as its Unix milliseconds (`INTEGER`). A time beyond SQLite's largest
/// integer (year 292,278,994; only a hostile peer claims one) is stored as that integer.
extension Timestamp: StoredValue {
    /// The Unix milliseconds.
    public var databaseValue: DatabaseValue { Int64(clamping: millisecondsSinceEpoch).databaseValue }

    /// The moment of a non-negative integer of milliseconds; `nil` for anything else.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Timestamp? {
        guard case .int64(let milliseconds) = value.storage, milliseconds >= 0 else { return nil }
        return Timestamp(millisecondsSinceEpoch: UInt64(milliseconds))
    }

    /// `a non-negative integer of Unix milliseconds`.
    public static var storedForm: String { "a non-negative integer of Unix milliseconds" }
}
