import Exchange
import GRDB

/// A state code is stored as its two letters (`TEXT`, e.g. `MA`).
extension StateCode: StoredValue {
    /// The two letters.
    public var databaseValue: DatabaseValue { description.databaseValue }

    /// The code of a text of two letters A–Z; `nil` for anything else.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> StateCode? {
        guard case .string(let text) = value.storage else { return nil }
        return try? StateCode(text)
    }

    /// `two letters A–Z (a state code)`.
    public static var storedForm: String { "two letters A–Z (a state code)" }
}
