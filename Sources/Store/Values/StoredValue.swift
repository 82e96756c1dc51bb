import GRDB

/// A value kept in one SQLite column, converted both ways by GRDB's `DatabaseValueConvertible`,
/// that can also say what its column must hold: ``StoredRow`` uses it to name a stored value that
/// does not convert instead of skipping or defaulting it.
public protocol StoredValue: DatabaseValueConvertible {
    /// What a column of this type holds, for an operator: `two letters A–Z (a state code)`.
    static var storedForm: String { get }
}

extension DatabaseValue {
    /// The value in a few words, for an error: its SQLite type and, when short, the value itself
    /// (never a long text or a blob's bytes).
    public var summary: String {
        switch storage {
        case .null: return "NULL"
        case .int64(let value): return "the integer \(value)"
        case .double(let value): return "the real \(value)"
        case .string(let text):
            return text.utf8.count <= 40 ? "the text '\(text)'" : "a text of \(text.utf8.count) bytes"
        case .blob(let data): return "a blob of \(data.count) bytes"
        }
    }
}
