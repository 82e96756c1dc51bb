import Foundation
import GRDB

/// One row read from a ``StoredTable``, whose columns convert to typed values or throw
/// ``StoreError/invalidValue(file:table:column:row:found:expected:)`` naming the file, table,
/// column and row. A row that does not convert is an error, never skipped and never defaulted.
public struct StoredRow {
    /// The row as GRDB read it.
    public let row: Row
    /// Where it comes from.
    public let table: StoredTable

    /// `row`, read from `table`.
    public init(_ row: Row, of table: StoredTable) {
        self.row = row
        self.table = table
    }

    /// The value of `column`, which must convert to `Value` (`NULL` does not).
    public func value<Value: StoredValue>(_ column: String, as type: Value.Type = Value.self) throws(StoreError) -> Value {
        let stored = row[column] as DatabaseValue
        guard let value = Value.fromDatabaseValue(stored) else { throw invalid(column, stored, expected: Value.storedForm) }
        return value
    }

    /// The value of `column`, `nil` when it is `NULL`; any other value must convert to `Value`.
    public func optionalValue<Value: StoredValue>(_ column: String, as type: Value.Type = Value.self) throws(StoreError) -> Value? {
        let stored = row[column] as DatabaseValue
        if stored.isNull { return nil }
        guard let value = Value.fromDatabaseValue(stored) else {
            throw invalid(column, stored, expected: Value.storedForm + " or NULL")
        }
        return value
    }

    /// The bytes of the blob in `column`.
    public func bytes(_ column: String) throws(StoreError) -> [UInt8] {
        let stored = row[column] as DatabaseValue
        guard case .blob(let data) = stored.storage else { throw invalid(column, stored, expected: "a blob") }
        return [UInt8](data)
    }

    /// The error for `column`, whose value `stored` is not `expected`.
    public func invalid(_ column: String, _ stored: DatabaseValue, expected: String) -> StoreError {
        .invalidValue(file: table.file, table: table.name, column: column, row: key, found: stored.summary, expected: expected)
    }

    /// The row's key columns and their values, e.g. `origin 'DZ', sequence 3` (empty when the
    /// query did not select them).
    private var key: String {
        let parts = table.key.filter(row.hasColumn).map { column in
            let value = row[column] as DatabaseValue
            return switch value.storage {
            case .string(let text) where text.utf8.count <= 40: "\(column) '\(text)'"
            case .int64(let number): "\(column) \(number)"
            default: "\(column) \(value.summary)"
            }
        }
        return parts.joined(separator: ", ")
    }
}
