import Foundation
import GRDB

/// A node's durable store: one SQLite file in WAL mode holding its bulletins, the envelopes it
/// sealed per link, the envelopes it accepted per link, the receipts it got and the messages it
/// refused.
///
/// Every write is a transaction committed with `synchronous = FULL`: when a method returns, the
/// data survives a crash or power loss. That is what lets a node publish or acknowledge only what
/// it has stored. Link positions are not kept in a table of their own: the last envelope of a link
/// is the row with the highest sequence, read through the primary key, so a position can never
/// disagree with the envelopes it describes.
///
/// The store is safe to use from several threads (GRDB serialises writes and lets reads run
/// concurrently), but a node has a single writer: its I/O thread.
public final class BulletinStore: Sendable {
    private let database: DatabasePool
    /// A connection of its own that copies the write-ahead log into the database file every
    /// second, so that the committing thread never pays for a checkpoint (the latency tail).
    private let checkpointer: WALCheckpointer
    /// The path of the SQLite file.
    public let path: String

    /// Opens (creating if needed, mode 0600 with its `-wal` and `-shm`) the store at `path` and
    /// brings its schema up to date.
    public init(path: String) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.label = "bordernet-store"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // FULL: a commit is on disk when it returns, so nothing acknowledged can be lost.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // Checkpoints run on the checkpointer's connection, not inside a commit.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        try PrivateDatabaseFile.prepare(path: path)
        do {
            database = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        let migrator = StoreMigrations.migrator
        do {
            let unknown = try database.read { db in try migrator.appliedIdentifiers(db) }
                .subtracting(migrator.migrations)
            if !unknown.isEmpty { throw StoreError.unknownMigrations(unknown.sorted()) }
            try migrator.migrate(database)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "migration failed: \(error)")
        }
        checkpointer = try WALCheckpointer(path: path)
    }

    /// Runs a write transaction, mapping database failures to ``StoreError``.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.operationFailed(operation: operation, reason: "\(error)")
        }
    }

    /// Runs a read, mapping database failures to ``StoreError``.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.operationFailed(operation: operation, reason: "\(error)")
        }
    }

    /// The size of the database file and its write-ahead log, in bytes.
    public func sizeInBytes() -> Int64 {
        [path, path + "-wal"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }
}
