import GRDB

/// A failure of one of BorderNet's SQLite files (the node's store, its audit log, the
/// secretariat's collection store), with the underlying error kept as its cause and a
/// description that says what to do.
public enum StoreError: Error, CustomStringConvertible {
    /// `file` (e.g. `store`) at `path` could not be created, opened or brought to this
    /// version's schema.
    case cannotOpen(file: String, path: String, cause: any Error)
    /// `file` at `path` was written by a newer BorderNet: it holds migrations this version does
    /// not know, so this version cannot tell what its rows mean.
    case newerSchema(file: String, path: String, unknownMigrations: [String])
    /// `file` at `path` has not been brought to this version's schema yet (it lacks `missingMigrations`):
    /// a read-only connection (the console's ``BulletinReader``) cannot migrate it, the node does
    /// when it starts.
    case olderSchema(file: String, path: String, missingMigrations: [String])
    /// A read or write of `file` failed (disk full, file damaged, locked by another process).
    case operationFailed(file: String, operation: String, cause: any Error)
    /// A stored value does not convert to what its column holds (the file was edited or damaged):
    /// `row` names the row by its key (`origin 'DZ', sequence 3`), `found` describes the value,
    /// `expected` what the column must hold.
    case invalidValue(file: String, table: String, column: String, row: String, found: String, expected: String)
    /// A value cannot be written as the column's type (an integer beyond SQLite's 64 signed bits).
    case unstorableValue(file: String, table: String, column: String, value: String)
    /// An envelope to store does not follow its link's last stored sequence: nothing of its batch
    /// was stored.
    case outOfSequence(file: String, table: String, peer: String, sequence: UInt64, expected: UInt64)

    /// The underlying error (GRDB's `DatabaseError`, a file error, or what an operation's body
    /// threw), when there is one.
    public var cause: (any Error)? {
        switch self {
        case .cannotOpen(_, _, let cause), .operationFailed(_, _, let cause): cause
        case .newerSchema, .olderSchema, .invalidValue, .unstorableValue, .outOfSequence: nil
        }
    }

    /// SQLite's primary result code of the cause, when the cause is SQLite's.
    public var sqliteResultCode: ResultCode? {
        (cause as? DatabaseError)?.resultCode
    }

    /// What went wrong and what to do, for an operator.
    public var description: String {
        switch self {
        case .cannotOpen(let file, let path, let cause):
            "cannot open the \(file) at \(path): \(Self.describe(cause)). \(advice ?? "Check that its folder exists and is writable, and that no other process uses it.")"
        case .newerSchema(let file, let path, let names):
            "the \(file) at \(path) was written by a newer BorderNet (unknown migrations: \(names.joined(separator: ", "))); upgrade BorderNet before using it"
        case .olderSchema(let file, let path, let names):
            "the \(file) at \(path) was written by an older BorderNet (missing migrations: \(names.joined(separator: ", "))); start the node of this version once, which brings it up to date, then open it again"
        case .operationFailed(let file, let operation, let cause):
            "\(file) operation '\(operation)' failed: \(Self.describe(cause))" + (advice.map { ". " + $0 } ?? "")
        case .invalidValue(let file, let table, let column, let row, let found, let expected):
            "the \(file)'s table '\(table)' holds a value that does not convert: column '\(column)' of \(row.isEmpty ? "a row" : "the row with " + row) holds \(found) where \(expected) was expected. The file was edited or damaged: restore it from a backup"
        case .unstorableValue(let file, let table, let column, let value):
            "cannot write \(value) into column '\(column)' of the \(file)'s table '\(table)': SQLite integers stop at 9223372036854775807"
        case .outOfSequence(let file, let table, let peer, let sequence, let expected):
            "refused to store envelope \(sequence) of the link with \(peer) in the \(file)'s table '\(table)': the next sequence is \(expected); nothing of the batch was stored"
        }
    }

    /// What an operator can do about the cause, when SQLite's result code says.
    private var advice: String? {
        switch sqliteResultCode {
        case .SQLITE_FULL?: "The disk is full: free space, then start again"
        case .SQLITE_BUSY?, .SQLITE_LOCKED?: "Another process holds the file: stop it, or wait and try again"
        case .SQLITE_CORRUPT?, .SQLITE_NOTADB?: "The file is damaged: restore it from a backup"
        case .SQLITE_READONLY?, .SQLITE_PERM?, .SQLITE_CANTOPEN?, .SQLITE_AUTH?:
            "Check that the file and its folder are writable by this user"
        case .SQLITE_IOERR?: "The disk reported an I/O error: check it"
        default: nil
        }
    }

    private static func describe(_ cause: any Error) -> String {
        if let error = cause as? DatabaseError {
            // GRDB's description repeats the SQL; the message and code are what an operator needs.
            return "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "\(error.resultCode)")"
        }
        return "\(cause)"
    }
}
