import Exchange
import Foundation
import GRDB
import Names
import Observables
import Store

/// A node's search index, `DATA/search.sqlite` (docs/SEARCH.md): written by the node's indexer
/// alone, which follows the store in commit order; read by the console and the command line
/// through ``SearchReader``. Everything in it is derived from the store: a removed file is rebuilt.
///
/// For each bulletin: its facts for filters (type, origin, working group, TLP, handling, dates),
/// its folded text in FTS5, its identifiers and crossing points, its persons with their names'
/// blocking keys; at indexing, the links to earlier bulletins that share an identifier or a
/// person (correlation), and the alerts of the watch-list entries it matches.
public final class SearchIndex: Sendable {
    /// The file as errors name it.
    public static let fileName = "search"

    let database: SQLiteDatabase
    /// Persons' names prepared once per spelling, for correlation (spellings repeat).
    let names = PersonNameCache()
    /// The path of the SQLite file.
    public let path: String

    /// Opens (creating if needed, 0600) the index at `path` and brings its schema up to date.
    /// Commits are not flushed one by one (`synchronous = NORMAL`): a crash loses at most the last
    /// batches, which the indexer takes again from the store.
    public init(path: String) throws(StoreError) {
        self.path = path
        database = try SQLiteFile(name: Self.fileName, path: path, durability: .checkpoints).open(
            migrator: SearchIndexMigrations.migrator)
        // 32 MiB of pages in memory (SQLite's default is 2 MiB): correlation reads the newest
        // rows of many keys per bulletin, and without it most of them are read again from the file.
        try database.write("set the index's page cache") { db in try db.execute(sql: "PRAGMA cache_size = -32768") }
    }

    /// The last bulletin indexed, or `nil` for an empty index.
    public func position() throws(StoreError) -> IndexPosition? {
        try database.read("read the index position") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT stored_at, id FROM index_position") else { return nil }
            return IndexPosition(storedAtMilliseconds: row["stored_at"], id: row["id"])
        }
    }

    /// Indexes `bulletins` (in the store's commit order, after ``position()``) in one transaction
    /// with the new position, links each to earlier bulletins (correlation) and returns what was
    /// indexed with its links.
    ///
    /// A bulletin already in the index is skipped (not returned); the position still moves to the
    /// last of `bulletins`. The bodies are read (``BulletinObservables``) before the transaction.
    public func index(_ bulletins: [StoredBulletin], own: (StoredBulletin) -> Bool) throws(StoreError)
        -> [IndexedBulletin]
    {
        try index(bulletins, own: own) { BulletinObservables(body: $0.body) }
    }

    /// Indexes `bulletins` as ``index(_:own:)`` does, with the observables `observables` gives
    /// for each (generated bulletins of the bench, tests).
    public func index(
        _ bulletins: [StoredBulletin], own: (StoredBulletin) -> Bool,
        observables: (StoredBulletin) -> BulletinObservables
    ) throws(StoreError) -> [IndexedBulletin] {
        guard let last = bulletins.last else { return [] }
        let prepared = bulletins.map { bulletin in
            IndexWriter.Prepared(bulletin: bulletin, observables: observables(bulletin), own: own(bulletin))
        }
        return try database.write("index bulletins") { db in
            var writer = IndexWriter(db: db, names: names)
            var indexed: [IndexedBulletin] = []
            indexed.reserveCapacity(prepared.count)
            for item in prepared {
                if let entry = try writer.insert(item) { indexed.append(entry) }
            }
            try db.execute(
                sql: """
                    INSERT INTO index_position(singleton, stored_at, id) VALUES (1, ?, ?)
                    ON CONFLICT(singleton) DO UPDATE SET stored_at = excluded.stored_at, id = excluded.id
                    """,
                arguments: [Int64(clamping: last.storedAt.millisecondsSinceEpoch), last.reference.description])
            return indexed
        }
    }
}

/// How far the index has followed the store: the `(stored_at, id)` of the last bulletin indexed.
public struct IndexPosition: Sendable, Hashable {
    /// The bulletin's `stored_at`, milliseconds since 1970.
    public var storedAtMilliseconds: Int64
    /// The bulletin's id.
    public var id: String

    /// A position.
    public init(storedAtMilliseconds: Int64, id: String) {
        self.storedAtMilliseconds = storedAtMilliseconds
        self.id = id
    }
}

/// A bulletin as the indexer left it: its observables (for watch-lists) and its links.
public struct IndexedBulletin: Sendable {
    /// The bulletin.
    public var reference: BulletinReference
    /// Its incident type.
    public var incidentType: String
    /// What its body names.
    public var observables: BulletinObservables
    /// The earlier bulletins it was linked to.
    public var links: [BulletinLink]

    /// An indexed bulletin.
    public init(
        reference: BulletinReference, incidentType: String, observables: BulletinObservables, links: [BulletinLink]
    ) {
        self.reference = reference
        self.incidentType = incidentType
        self.observables = observables
        self.links = links
    }
}
