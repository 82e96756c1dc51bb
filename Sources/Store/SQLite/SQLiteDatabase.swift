import GRDB

/// One of BorderNet's SQLite files, open (see ``SQLiteFile/open(migrator:)``): reads and writes
/// whose failures are ``StoreError``s naming the file and the operation, with the cause kept.
///
/// Safe to use from several threads: GRDB serialises writes and lets reads run concurrently.
public final class SQLiteDatabase: Sendable {
    /// The file and how it was opened.
    public let file: SQLiteFile
    private let pool: DatabasePool

    init(file: SQLiteFile, pool: DatabasePool) {
        self.file = file
        self.pool = pool
    }

    /// Runs `body` in a write transaction. A ``StoreError`` thrown by `body` is thrown as it is;
    /// anything else becomes ``StoreError/operationFailed(file:operation:cause:)`` with it as cause.
    public func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw mapped(error, operation)
        }
    }

    /// Runs `body` in a write transaction committed with `synchronous = FULL`, whatever the file's
    /// ``SQLiteFile/Durability``: when it returns, the write-ahead log (this transaction and every
    /// earlier one) is on disk. Errors as for ``write(_:_:)``.
    public func writeFlushed(_ operation: String, _ body: (Database) throws -> Void) throws(StoreError) {
        let restored = file.durability == .everyCommit ? "FULL" : "NORMAL"
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                defer { try? db.execute(sql: "PRAGMA synchronous = \(restored)") }
                try db.inTransaction {
                    try body(db)
                    return .commit
                }
            }
        } catch {
            throw mapped(error, operation)
        }
    }

    /// Runs `body` in a read transaction (a snapshot). Errors as for ``write(_:_:)``.
    public func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw mapped(error, operation)
        }
    }

    private func mapped(_ error: any Error, _ operation: String) -> StoreError {
        if let error = error as? StoreError { return error }
        return .operationFailed(file: file.name, operation: operation, cause: error)
    }
}
