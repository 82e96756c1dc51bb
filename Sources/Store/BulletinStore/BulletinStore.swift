import Foundation
import GRDB

/// A node's durable store: one SQLite file in WAL mode holding its bulletins, the envelopes it
/// sealed per link, the envelopes it accepted per link, the receipts it got and the messages it
/// refused.
///
/// Rows come out as typed records (``StoredBulletin``, ``OutgoingEnvelope``, ``IncomingEnvelope``,
/// ``StoredReceipt``, positions as `ChainPosition`); a stored value that does not convert is a
/// ``StoreError/invalidValue(file:table:column:row:found:expected:)``, never skipped.
///
/// Every write is a transaction committed with `synchronous = FULL`: when a method returns, the
/// data survives a crash or power loss. That is what lets a node publish or acknowledge only what
/// it has stored. Link positions are not kept in a table of their own: the last envelope of a link
/// is the row with the highest sequence, read through the primary key, so a position can never
/// disagree with the envelopes it describes.
///
/// Each bulletin's `stored_at` is strictly greater than that of every bulletin committed before
/// it, even within one millisecond or when the clock steps back (``StoredAtSequence``): readers
/// that page on `(stored_at, id)` never miss a later commit.
///
/// The store is safe to use from several threads (GRDB serialises writes and lets reads run
/// concurrently), but a node has a single writer: its I/O thread. Only the node opens a
/// `BulletinStore` on a live file (it holds `DATA/node.lock`); the console reads it through
/// ``BulletinReader``, read-only.
public final class BulletinStore: Sendable {
    private let database: SQLiteDatabase
    /// The `stored_at` of the next bulletins, kept in memory by this single writer.
    let storedAtSequence: StoredAtSequence
    /// A connection of its own that copies the write-ahead log into the database file every
    /// 0.2 s, so that the committing thread never pays for a checkpoint (the latency tail).
    private let checkpointer: WALCheckpointer
    /// The path of the SQLite file.
    public let path: String

    /// The file as errors name it.
    static let fileName = "store"

    /// Opens (creating if needed, mode 0600 with its `-wal` and `-shm`) the store at `path` and
    /// brings its schema up to date; refuses a store written by a newer BorderNet
    /// (``StoreError/newerSchema(file:path:unknownMigrations:)``).
    public init(path: String) throws(StoreError) {
        self.path = path
        // Every commit on disk when it returns, so nothing acknowledged can be lost; checkpoints
        // run on the checkpointer's connection, not inside a commit.
        database = try SQLiteFile(name: Self.fileName, path: path, durability: .everyCommit, automaticCheckpoints: false)
            .open(migrator: StoreMigrations.migrator)
        storedAtSequence = try StoredAtSequence(database: database)
        checkpointer = try WALCheckpointer(path: path, file: Self.fileName)
    }

    /// Runs a write transaction; see ``SQLiteDatabase/write(_:_:)``.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try database.write(operation, body)
    }

    /// Runs a read; see ``SQLiteDatabase/read(_:_:)``.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        try database.read(operation, body)
    }

    /// The size of the database file and its write-ahead log, in bytes.
    public func sizeInBytes() -> Int64 {
        [path, path + "-wal"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }
}
