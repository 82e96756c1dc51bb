import Audit
import Exchange
import Foundation
import GRDB
import Store

/// The secretariat's store of what it collected (`collected.sqlite`): every signed head it ever
/// received from each node (accepted, or kept as evidence), the entries verified against the
/// accepted heads, findings, and the outcome of every attempt. Nothing is ever overwritten.
///
/// Opened like the node's files (`SQLiteFile`: mode 0600, WAL, every commit on disk, refused when
/// written by a newer BorderNet), except that its `-wal` and `-shm` files are kept when it closes.
/// A stored value that does not convert is an error naming its row, never skipped.
public final class CollectionStore: Sendable {
    private let database: SQLiteDatabase
    /// The file's path.
    public let path: String

    /// The file as errors name it.
    static let fileName = "collection store"

    /// Opens (creating if needed) the store at `path`.
    public init(path: String) throws(AuditCollectionError) {
        self.path = path
        do {
            // Its -wal and -shm stay after `audit collect` exits: the secretariat's console reads it
            // through a read-only mount, where SQLite could not create them (docs/CONSOLE.md, Deployment).
            database = try SQLiteFile(name: Self.fileName, path: path, durability: .everyCommit, keepsWriteAheadLogFiles: true)
                .open(migrator: CollectionStoreMigrations.migrator)
        } catch {
            throw .storage(error)
        }
    }

    // MARK: Heads

    /// Every head received from `state`, oldest first.
    public func heads(of state: StateCode) throws(AuditCollectionError) -> [CollectedHead] {
        try read("heads") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM head WHERE state = ? ORDER BY id", arguments: [state]).map(Self.head)
        }
    }

    /// The last head of `state` the collector accepted: what the next collection must extend.
    public func lastAcceptedHead(of state: StateCode) throws(AuditCollectionError) -> CollectedHead? {
        try read("last accepted head") { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM head WHERE state = ? AND status = 'accepted' ORDER BY id DESC LIMIT 1", arguments: [state]
            ).map(Self.head)
        }
    }

    /// Keeps `signed` as evidence (or finds it already kept, by its bytes); returns its row id.
    @discardableResult
    public func keepEvidence(_ signed: SignedTreeHead, at time: Timestamp) throws(AuditCollectionError) -> Int64 {
        try write("keep evidence") { db in try Self.insert(signed, status: .evidence, at: time, db) }
    }

    /// Accepts `signed` and stores the entries it newly covers, in one transaction.
    @discardableResult
    public func accept(_ signed: SignedTreeHead, entries: [(index: UInt64, bytes: [UInt8], leafHash: MerkleHash)], at time: Timestamp)
        throws(AuditCollectionError) -> Int64
    {
        try write("accept head") { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO entry (state, leaf_index, bytes, leaf_hash) VALUES (?, ?, ?, ?)")
            for entry in entries {
                guard let index = Int64(exactly: entry.index) else {
                    throw StoreError.unstorableValue(
                        file: Self.fileName, table: StoredTable.collectedEntry.name, column: "leaf_index",
                        value: "\(entry.index) (an entry of \(signed.head.state))")
                }
                try statement.execute(arguments: [signed.head.state, index, Data(entry.bytes), entry.leafHash])
            }
            return try Self.insert(signed, status: .accepted, at: time, db)
        }
    }

    private static func insert(_ signed: SignedTreeHead, status: CollectedHead.Status, at time: Timestamp, _ db: Database) throws -> Int64 {
        let bytes = Data(signed.serializedBytes)
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM head WHERE signed_bytes = ?", arguments: [bytes]) {
            if status == .accepted {
                try db.execute(sql: "UPDATE head SET status = 'accepted' WHERE id = ?", arguments: [existing])
            }
            return existing
        }
        try db.execute(
            sql: "INSERT INTO head (state, tree_size, root, signed_bytes, collected_at, status) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                // The column only orders and indexes; the signed bytes hold the exact size, which a
                // hostile node may set beyond SQLite's integers (such a head is only ever evidence).
                signed.head.state, Int64(clamping: signed.head.treeSize), signed.head.rootHash, bytes, time, status,
            ])
        return db.lastInsertedRowID
    }

    private static func head(_ row: Row) throws(StoreError) -> CollectedHead {
        let row = StoredRow(row, of: .collectedHead)
        let bytes = try row.bytes("signed_bytes")
        let signed: SignedTreeHead
        do {
            signed = try SignedTreeHead(serializedBytes: bytes)
        } catch {
            throw row.invalid("signed_bytes", row.row["signed_bytes"] as DatabaseValue, expected: "a signed tree head (\(error))")
        }
        return CollectedHead(id: try row.value("id"), signed: signed, collectedAt: try row.value("collected_at"), status: try row.value("status"))
    }

    // MARK: Entries

    /// The leaf hashes of the entries held for `state`, in index order (0, 1, 2… by construction).
    public func leafHashes(of state: StateCode) throws(AuditCollectionError) -> [MerkleHash] {
        try read("leaf hashes") { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT state, leaf_index, leaf_hash FROM entry WHERE state = ? ORDER BY leaf_index", arguments: [state])
            var hashes: [MerkleHash] = []
            while let row = try rows.next() {
                hashes.append(try StoredRow(row, of: .collectedEntry).value("leaf_hash"))
            }
            return hashes
        }
    }

    /// The canonical bytes and leaf hash of entry `index` of `state` as collected, or `nil` when it
    /// is not held. The re-check of earlier entries compares them with what the node shows now.
    public func entry(of state: StateCode, index: UInt64) throws(AuditCollectionError) -> (bytes: [UInt8], leafHash: MerkleHash)? {
        guard let key = Int64(exactly: index) else { return nil }
        return try read("entry") { db in
            try Row.fetchOne(
                db, sql: "SELECT state, leaf_index, bytes, leaf_hash FROM entry WHERE state = ? AND leaf_index = ?", arguments: [state, key]
            ).map { (row: Row) throws(StoreError) in
                let row = StoredRow(row, of: .collectedEntry)
                return (try row.bytes("bytes"), try row.value("leaf_hash"))
            }
        }
    }

    /// The entries held for `state`, decoded, in index order.
    public func entries(of state: StateCode) throws(AuditCollectionError) -> [AuditEntry] {
        try entriesAndUnknownKinds(of: state).entries
    }

    /// The verified entries of `state`'s node that this BorderNet decodes, in index order, and
    /// the headers of those of kinds it does not know (collected from a node running a newer
    /// BorderNet: verified against the head, not decoded, docs/AUDIT.md §11).
    public func entriesAndUnknownKinds(of state: StateCode) throws(AuditCollectionError)
        -> (entries: [AuditEntry], unknownKinds: [AuditEntryHeader])
    {
        try read("entries") { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT state, leaf_index, bytes FROM entry WHERE state = ? ORDER BY leaf_index", arguments: [state])
            var entries: [AuditEntry] = []
            var unknown: [AuditEntryHeader] = []
            while let row = try rows.next() {
                let row = StoredRow(row, of: .collectedEntry)
                do {
                    let bytes = try row.bytes("bytes")
                    let header = try AuditEntryHeader(canonicalBytes: bytes)
                    if header.isKnownKind {
                        entries.append(try AuditEntry(canonicalBytes: bytes))
                    } else {
                        unknown.append(header)
                    }
                } catch let error as StoreError {
                    throw error
                } catch {
                    throw row.invalid("bytes", row.row["bytes"] as DatabaseValue, expected: "an audit entry (\(error))")
                }
            }
            return (entries, unknown)
        }
    }

    /// Every state the store holds anything of.
    public func states() throws(AuditCollectionError) -> [StateCode] {
        try read("states") { db in
            try Row.fetchAll(db, sql: "SELECT state FROM head UNION SELECT state FROM attempt ORDER BY state").map {
                (row: Row) throws(StoreError) in try StoredRow(row, of: .collectedStates).value("state")
            }
        }
    }

    // MARK: Findings and attempts

    /// Records a finding about `state`, pointing at the heads that prove it and, when it is about
    /// one entry, at that entry.
    @discardableResult
    public func addFinding(
        state: StateCode, kind: CollectionFinding.Kind, detail: String, headIDs: [Int64], entryIndex: UInt64? = nil, at time: Timestamp
    ) throws(AuditCollectionError) -> CollectionFinding {
        let id = try write("add finding") { db in
            try db.execute(
                sql: "INSERT INTO finding (state, kind, detail, found_at, head_id, other_head_id, entry_index) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    state, kind, detail, time, headIDs.first, headIDs.dropFirst().first, entryIndex.map { Int64(clamping: $0) },
                ])
            return db.lastInsertedRowID
        }
        return CollectionFinding(id: id, state: state, kind: kind, detail: detail, foundAt: time, headIDs: headIDs, entryIndex: entryIndex)
    }

    /// Every finding, oldest first.
    public func findings() throws(AuditCollectionError) -> [CollectionFinding] {
        try read("findings") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM finding ORDER BY id").map { (row: Row) throws(StoreError) in
                let row = StoredRow(row, of: .finding)
                return CollectionFinding(
                    id: try row.value("id"), state: try row.value("state"), kind: try row.value("kind"), detail: try row.value("detail"),
                    foundAt: try row.value("found_at"),
                    headIDs: [try row.optionalValue("head_id", as: Int64.self), try row.optionalValue("other_head_id", as: Int64.self)]
                        .compactMap { $0 },
                    entryIndex: try row.optionalValue("entry_index"))
            }
        }
    }

    /// Records how an attempt to collect from a node ended.
    public func recordAttempt(_ attempt: CollectionAttempt) throws(AuditCollectionError) {
        try write("record attempt") { db in
            try db.execute(
                sql: "INSERT INTO attempt (state, at, outcome, detail) VALUES (?, ?, ?, ?)",
                arguments: [attempt.state, attempt.at, attempt.outcome, attempt.detail])
        }
    }

    /// The last attempt for each state.
    public func lastAttempts() throws(AuditCollectionError) -> [StateCode: CollectionAttempt] {
        try read("last attempts") { db in
            var attempts: [StateCode: CollectionAttempt] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM attempt WHERE id IN (SELECT max(id) FROM attempt GROUP BY state)") {
                let row = StoredRow(row, of: .attempt)
                let attempt = CollectionAttempt(
                    state: try row.value("state"), at: try row.value("at"), outcome: try row.value("outcome"), detail: try row.value("detail"))
                attempts[attempt.state] = attempt
            }
            return attempts
        }
    }

    // MARK: Database access

    private func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(AuditCollectionError) -> T {
        do {
            return try database.read(operation, body)
        } catch {
            throw .storage(error)
        }
    }

    private func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(AuditCollectionError) -> T {
        do {
            return try database.write(operation, body)
        } catch {
            throw .storage(error)
        }
    }
}
