import Foundation
import GRDB
import GRDBSQLite

/// How one of BorderNet's SQLite files is opened: the node's store, its audit log and the
/// secretariat's collection store all go through ``open(migrator:)``, so that each is private
/// (mode 0600 with its `-wal` and `-shm`), in WAL mode, with foreign keys on and a busy
/// timeout, and refused when a newer BorderNet wrote it.
public struct SQLiteFile: Sendable {
    /// When a commit reaches the disk.
    public enum Durability: Sendable {
        /// Every commit is flushed before it returns (`synchronous = FULL`): it survives a crash of
        /// the machine. What must hold before an acknowledgement (the store, the collection store).
        case everyCommit
        /// Commits survive a crash of the process; the disk is flushed at checkpoints and by
        /// ``SQLiteDatabase/writeFlushed(_:_:)`` (`synchronous = NORMAL`: the audit log).
        case checkpoints
    }

    /// The file as errors name it: `store`, `audit log`, `collection store`.
    public let name: String
    /// Its path.
    public let path: String
    /// When commits reach the disk.
    public var durability: Durability
    /// Whether SQLite copies the write-ahead log into the file inside a commit. Off when a
    /// ``WALCheckpointer`` does it on a thread of its own (commits then never pay for it).
    public var automaticCheckpoints: Bool
    /// How long a connection waits for another process's lock before it fails.
    public var busyTimeout: TimeInterval
    /// Whether the `-wal` and `-shm` files stay when the last connection closes (SQLite's
    /// persistent WAL, `SQLITE_FCNTL_PERSIST_WAL`; the log is still checkpointed into the file).
    /// On for `collected.sqlite`: the secretariat's console opens it read-only on a read-only mount
    /// after `audit collect` has exited, and SQLite can open a WAL file read-only there only when
    /// both files already exist (it cannot create them).
    public var keepsWriteAheadLogFiles: Bool

    /// The file `name` at `path`, with the defaults of the node's store.
    public init(
        name: String, path: String, durability: Durability = .everyCommit, automaticCheckpoints: Bool = true,
        busyTimeout: TimeInterval = 5, keepsWriteAheadLogFiles: Bool = false
    ) {
        self.name = name
        self.path = path
        self.durability = durability
        self.automaticCheckpoints = automaticCheckpoints
        self.busyTimeout = busyTimeout
        self.keepsWriteAheadLogFiles = keepsWriteAheadLogFiles
    }

    /// Opens the file (creating it, private, when it does not exist) and brings its schema up to
    /// date with `migrator`.
    ///
    /// Throws ``StoreError/newerSchema(file:path:unknownMigrations:)`` before migrating when the
    /// file holds migrations `migrator` does not know, and
    /// ``StoreError/cannotOpen(file:path:cause:)`` when it cannot be created, opened or migrated.
    public func open(migrator: DatabaseMigrator) throws(StoreError) -> SQLiteDatabase {
        try PrivateDatabaseFile.prepare(path: path, file: name)
        var configuration = Configuration()
        configuration.label = "bordernet-\(name.replacingOccurrences(of: " ", with: "-"))"
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        let synchronous = durability == .everyCommit ? "FULL" : "NORMAL"
        let automaticCheckpoints = automaticCheckpoints, keepsFiles = keepsWriteAheadLogFiles
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            if !automaticCheckpoints { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            // Every connection of the pool: whichever closes last decides whether the files go.
            if keepsFiles {
                var persist: CInt = 1
                let code = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
                guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
            }
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(file: name, path: path, cause: error)
        }
        let unknown: Set<String>
        do {
            unknown = try pool.read { db in try migrator.appliedIdentifiers(db) }.subtracting(migrator.migrations)
        } catch {
            throw .cannotOpen(file: name, path: path, cause: error)
        }
        guard unknown.isEmpty else { throw .newerSchema(file: name, path: path, unknownMigrations: unknown.sorted()) }
        do {
            try migrator.migrate(pool)
        } catch {
            throw .cannotOpen(file: name, path: path, cause: error)
        }
        return SQLiteDatabase(file: self, pool: pool)
    }
}
