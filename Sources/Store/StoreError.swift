/// A store operation that failed, with what the operator can do about it.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The database file could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// A read or write failed (disk full, file corrupted, locked by another process).
    case operationFailed(operation: String, reason: String)
    /// The database was written by a newer BorderNet whose migrations this version does not know.
    case unknownMigrations([String])
    /// A value stored in the database is not what the schema promises (hand-edited or corrupted).
    case corruptRow(table: String, detail: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the store at \(path): \(reason). Check that the data folder exists, is writable and that no other node uses it."
        case .operationFailed(let operation, let reason):
            "store operation '\(operation)' failed: \(reason)"
        case .unknownMigrations(let names):
            "the store was written by a newer BorderNet (unknown migrations: \(names.joined(separator: ", "))); upgrade this node before running it"
        case .corruptRow(let table, let detail):
            "the store's table '\(table)' holds an invalid row (\(detail)); restore it from a backup"
        }
    }
}
