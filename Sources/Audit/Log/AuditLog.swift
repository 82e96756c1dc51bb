import Exchange
import Foundation
import GRDB
import Store
import Synchronization

/// A node's append-only audit log: one SQLite file (WAL) holding the entries' canonical bytes
/// with their leaf hashes, and every tree head the node signed.
///
/// Durability follows what the log promises. Appends are committed without waiting for the
/// disk (`synchronous = NORMAL`: they survive a crash of the process, not of the machine); a
/// tree head is committed with `synchronous = FULL`, which flushes the write-ahead log and with
/// it every entry the head covers. So nothing a signed head — the only thing the secretariat
/// ever holds — covers can be lost, and the node's busy loop does not wait for a second disk
/// flush per iteration (the store's flush is the one that must precede an acknowledgement).
///
/// The upper levels of the entries' Merkle tree are kept in memory (``MerkleTree`` retaining
/// subtrees of 256 entries and up: a quarter of a byte per entry), rebuilt from the stored leaf
/// hashes when the log is opened and extended on every append, so the current root costs nothing
/// to read and a proof for any size costs O(log n) hashes, plus at most two reads of 256 stored
/// leaf hashes (and 255 hashes to rebuild each), which must hash to the subtree kept above them.
/// The tree is rebuilt from the stored leaf hashes when the log opens, so it can only catch a
/// leaf hash changed while the log is open; ``verify()`` trusts none of it: it rereads the bytes,
/// rehashes them and checks every stored signed head.
///
/// Safe to share between threads: appends and tree heads are serialised by a lock that also covers
/// the database write, so the in-memory tree never disagrees with the committed rows. A node has
/// one writer (its I/O thread); readers (proofs, entries) may be anywhere.
public final class AuditLog: Sendable {
    private let database: SQLiteDatabase
    private let tree: Mutex<MerkleTree>
    /// The path of the SQLite file.
    public let path: String
    /// The state of the node whose log this is; every entry names it.
    public let state: StateCode

    /// The file as errors name it.
    static let fileName = "audit log"

    /// The tree keeps in memory the subtrees of 256 entries and up (and the parts of the last 256
    /// still incomplete): about a quarter of a byte per entry instead of 64, so that a node's
    /// memory does not grow with its history. A proof of an earlier size reads back at most two
    /// runs of 256 leaf hashes (``MerkleTree/init(retainingLevelsFrom:leafReader:)``).
    static let retainedTreeLevel = 8

    /// The stored leaf hashes of the entries in `range`, in order.
    static func leafHashes(in range: Range<UInt64>, from database: SQLiteDatabase) throws(StoreError) -> [MerkleHash] {
        try database.read("read leaf hashes") { db in
            try Row.fetchAll(
                db, sql: "SELECT leaf_hash FROM entry WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index",
                arguments: [Int64(clamping: range.lowerBound), Int64(clamping: range.upperBound)]
            ).map { (row: Row) throws(StoreError) -> MerkleHash in try StoredRow(row, of: .auditEntry).value("leaf_hash") }
        }
    }

    /// Opens (creating if needed, mode 0600) the log of `state`'s node at `path` and brings its
    /// schema up to date; refuses a log written by a newer BorderNet. With `automaticCheckpoints`
    /// off, the write-ahead log is never copied back into the file inside an append: the caller
    /// runs checkpoints elsewhere (the node, on a thread of its own).
    public init(path: String, state: StateCode, automaticCheckpoints: Bool = true) throws(AuditLogError) {
        self.path = path
        self.state = state
        var loaded: MerkleTree
        do throws(StoreError) {
            // NORMAL: appends do not wait for the disk; tree heads flush (see the type's comment).
            let database = try SQLiteFile(
                name: Self.fileName, path: path, durability: .checkpoints, automaticCheckpoints: automaticCheckpoints
            ).open(migrator: AuditLogMigrations.migrator)
            self.database = database
            loaded = MerkleTree(retainingLevelsFrom: Self.retainedTreeLevel) { range in
                try Self.leafHashes(in: range, from: database)
            }
            try database.read("load leaf hashes") { db in
                let rows = try Row.fetchCursor(db, sql: "SELECT leaf_index, leaf_hash FROM entry ORDER BY leaf_index")
                while let row = try rows.next() {
                    loaded.append(leafHash: try StoredRow(row, of: .auditEntry).value("leaf_hash"))
                }
            }
        } catch {
            throw .storage(error)
        }
        tree = Mutex(loaded)
    }

    // MARK: Writing

    /// Appends `events` as consecutive entries recorded at `time`, in one transaction: all of them
    /// are stored when this returns (safe from a crash of the process; on disk at the latest with
    /// the next tree head), or none is. Returns the indexes they got.
    @discardableResult
    public func append(_ events: [AuditEvent], at time: Timestamp) throws(AuditLogError) -> Range<UInt64> {
        try tree.withLock { (tree: inout MerkleTree) throws(AuditLogError) -> Range<UInt64> in
            let start = tree.size
            var rows: [(index: UInt64, bytes: [UInt8], leafHash: MerkleHash)] = []
            rows.reserveCapacity(events.count)
            for (position, event) in events.enumerated() {
                let index = start + UInt64(position)
                do throws(FormatError) {
                    let bytes = try AuditEntry(index: index, time: time, state: state, event: event).canonicalBytes
                    rows.append((index, bytes, MerkleHasher.leafHash(bytes)))
                } catch {
                    throw .invalidEvent(position: position, error)
                }
            }
            try write("append") { db in
                let statement = try db.cachedStatement(sql: "INSERT INTO entry (leaf_index, bytes, leaf_hash) VALUES (?, ?, ?)")
                for row in rows {
                    try statement.execute(arguments: [Int64(row.index), Data(row.bytes), Data(row.leafHash.bytes)])
                }
            }
            for row in rows { tree.append(leafHash: row.leafHash) }
            return start..<(start + UInt64(rows.count))
        }
    }

    /// Appends one event; returns its index.
    @discardableResult
    public func append(_ event: AuditEvent, at time: Timestamp) throws(AuditLogError) -> UInt64 {
        try append([event], at: time).lowerBound
    }

    /// Signs a tree head of the log as it is now (its size and root) with `identity`, stores it and
    /// returns it once it and every entry it covers are on disk. The node does this at an interval
    /// and when the secretariat asks.
    public func treeHead(signedBy identity: NodeIdentity, at time: Timestamp) throws(AuditLogError) -> SignedTreeHead {
        guard identity.state == state else { throw .wrongIdentity(log: state, identity: identity.state) }
        return try tree.withLock { (tree: inout MerkleTree) throws(AuditLogError) -> SignedTreeHead in
            let head = TreeHead(
                state: state, signingKey: identity.signingKey.publicKey, treeSize: tree.size, timestamp: time,
                rootHash: tree.root)
            let signed = SignedTreeHead(head: head, signature: identity.signingKey.signature(for: head.canonicalBytes))
            try writeFlushed("store tree head") { db in
                try db.execute(
                    sql: "INSERT INTO tree_head (tree_size, signed_bytes) VALUES (?, ?)",
                    arguments: [Int64(head.treeSize), Data(signed.serializedBytes)])
            }
            return signed
        }
    }

    // MARK: Reading

    /// The number of entries.
    public var size: UInt64 { tree.withLock { $0.size } }

    /// The Merkle root of the first `treeSize` entries.
    public func root(at treeSize: UInt64) throws(AuditLogError) -> MerkleHash {
        do {
            return try snapshot().root(at: treeSize)
        } catch {
            throw .proof(error)
        }
    }

    /// The entries whose indexes are in `range` (clamped to the log's size), decoded.
    public func entries(in range: Range<UInt64>) throws(AuditLogError) -> [AuditEntry] {
        let rows = try read("read entries") { db in
            try Row.fetchAll(
                db, sql: "SELECT leaf_index, bytes FROM entry WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index",
                arguments: [Int64(clamping: range.lowerBound), Int64(clamping: range.upperBound)]
            ).map { (row: Row) throws(StoreError) in
                let row = StoredRow(row, of: .auditEntry)
                return (index: try row.value("leaf_index", as: UInt64.self), bytes: try row.bytes("bytes"))
            }
        }
        var entries: [AuditEntry] = []
        entries.reserveCapacity(rows.count)
        for row in rows {
            do {
                entries.append(try AuditEntry(canonicalBytes: row.bytes))
            } catch {
                throw .corruptEntry(index: row.index, reason: error.description)
            }
        }
        return entries
    }

    /// The most recent signed tree head (the last one stored), if the node signed any.
    public func latestTreeHead() throws(AuditLogError) -> SignedTreeHead? {
        try treeHeads(sql: "SELECT id, signed_bytes FROM tree_head ORDER BY id DESC LIMIT 1").first
    }

    /// Every signed tree head, in the order the node made them.
    public func treeHeads() throws(AuditLogError) -> [SignedTreeHead] {
        try treeHeads(sql: "SELECT id, signed_bytes FROM tree_head ORDER BY id")
    }

    /// The proof that entry `index` is in the tree of the first `treeSize` entries.
    public func inclusionProof(index: UInt64, treeSize: UInt64) throws(AuditLogError) -> InclusionProof {
        do {
            return try snapshot().inclusionProof(leafIndex: index, treeSize: treeSize)
        } catch {
            throw .proof(error)
        }
    }

    /// The proof that the tree of the first `firstSize` entries is a prefix of that of the first
    /// `secondSize` entries.
    public func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(AuditLogError) -> ConsistencyProof {
        do {
            return try snapshot().consistencyProof(from: firstSize, to: secondSize)
        } catch {
            throw .proof(error)
        }
    }

    /// The tree as it is now, for a root or proof made outside the lock: one that reads leaf
    /// hashes back from the file must not hold up appends meanwhile. A copy costs little (the
    /// arrays are shared until the next append changes one, and they are small: the upper levels
    /// and the last incomplete run), and every leaf it holds is committed.
    private func snapshot() -> MerkleTree {
        tree.withLock { $0 }
    }

    // MARK: Database access

    private func treeHeads(sql: String) throws(AuditLogError) -> [SignedTreeHead] {
        try read("read tree heads") { db in
            try Row.fetchAll(db, sql: sql).map { (row: Row) throws(StoreError) in
                let row = StoredRow(row, of: .auditTreeHead)
                let bytes = try row.bytes("signed_bytes")
                do {
                    return try SignedTreeHead(serializedBytes: bytes)
                } catch {
                    throw row.invalid("signed_bytes", row.row["signed_bytes"] as DatabaseValue, expected: "a signed tree head (\(error))")
                }
            }
        }
    }

    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(AuditLogError) -> T {
        do {
            return try database.write(operation, body)
        } catch {
            throw .storage(error)
        }
    }

    /// A write transaction committed with `synchronous = FULL`: when it returns, the write-ahead
    /// log — this transaction and every earlier one — is on disk.
    func writeFlushed(_ operation: String, _ body: (Database) throws -> Void) throws(AuditLogError) {
        do {
            try database.writeFlushed(operation, body)
        } catch {
            throw .storage(error)
        }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(AuditLogError) -> T {
        do {
            return try database.read(operation, body)
        } catch {
            throw .storage(error)
        }
    }

    /// Runs a read for ``verify()``, which reports its own error type: what `body` throws comes
    /// back as the cause of a ``StoreError``.
    func readForVerification<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try database.read("verify", body)
    }
}
