import Audit
import Exchange
import Foundation
import GRDB

/// The secretariat's store of what it collected (`collected.sqlite`): every signed head it ever
/// received from each node (accepted, or kept as evidence), the entries verified against the
/// accepted heads, findings, and the outcome of every attempt. Nothing is ever overwritten.
public final class CollectionStore: Sendable {
    private let database: DatabaseQueue
    /// The file's path.
    public let path: String

    /// Opens (creating if needed) the store at `path`.
    public init(path: String) throws(AuditCollectionError) {
        self.path = path
        var configuration = Configuration()
        configuration.label = "bordernet-collected"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try CollectionStoreMigrations.migrator.migrate(database)
        } catch {
            throw .store(reason: "cannot open \(path): \(error)")
        }
    }

    // MARK: Heads

    /// Every head received from `state`, oldest first.
    public func heads(of state: StateCode) throws(AuditCollectionError) -> [CollectedHead] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM head WHERE state = ? ORDER BY id", arguments: [state.description])
        }.map(Self.head)
    }

    /// The last head of `state` the collector accepted: what the next collection must extend.
    public func lastAcceptedHead(of state: StateCode) throws(AuditCollectionError) -> CollectedHead? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM head WHERE state = ? AND status = 'accepted' ORDER BY id DESC LIMIT 1",
                arguments: [state.description])
        }.map(Self.head)
    }

    /// Keeps `signed` as evidence (or finds it already kept, by its bytes); returns its row id.
    @discardableResult
    public func keepEvidence(_ signed: SignedTreeHead, at time: Timestamp) throws(AuditCollectionError) -> Int64 {
        try write { db in try Self.insert(signed, status: .evidence, at: time, db) }
    }

    /// Accepts `signed` and stores the entries it newly covers, in one transaction.
    @discardableResult
    public func accept(_ signed: SignedTreeHead, entries: [(index: UInt64, bytes: [UInt8], leafHash: MerkleHash)], at time: Timestamp)
        throws(AuditCollectionError) -> Int64
    {
        try write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO entry (state, leaf_index, bytes, leaf_hash) VALUES (?, ?, ?, ?)")
            for entry in entries {
                guard let index = Int64(exactly: entry.index) else {
                    throw AuditCollectionError.store(reason: "entry index \(entry.index) of \(signed.head.state) does not fit SQLite's integers")
                }
                try statement.execute(arguments: [signed.head.state.description, index, Data(entry.bytes), Data(entry.leafHash.bytes)])
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
                signed.head.state.description, Int64(clamping: signed.head.treeSize), Data(signed.head.rootHash.bytes), bytes,
                Int64(clamping: time.millisecondsSinceEpoch), status.rawValue,
            ])
        return db.lastInsertedRowID
    }

    private static func head(_ row: Row) throws(AuditCollectionError) -> CollectedHead {
        let bytes: Data = row["signed_bytes"]
        let status: String = row["status"]
        do {
            return CollectedHead(
                id: row["id"], signed: try SignedTreeHead(serializedBytes: Array(bytes)),
                collectedAt: Timestamp(millisecondsSinceEpoch: UInt64(clamping: row["collected_at"] as Int64)),
                status: CollectedHead.Status(rawValue: status) ?? .evidence)
        } catch {
            throw .store(reason: "stored head \(row["id"] as Int64) is corrupt: \(error)")
        }
    }

    // MARK: Entries

    /// The leaf hashes of the entries held for `state`, in index order (0, 1, 2… by construction).
    public func leafHashes(of state: StateCode) throws(AuditCollectionError) -> [MerkleHash] {
        let rows = try read { db in
            try Data.fetchAll(db, sql: "SELECT leaf_hash FROM entry WHERE state = ? ORDER BY leaf_index", arguments: [state.description])
        }
        var hashes: [MerkleHash] = []
        hashes.reserveCapacity(rows.count)
        for row in rows {
            do {
                hashes.append(try MerkleHash(bytes: Array(row)))
            } catch {
                throw .store(reason: "a stored leaf hash of \(state) is corrupt")
            }
        }
        return hashes
    }

    /// The canonical bytes and leaf hash of entry `index` of `state` as collected, or `nil` when it
    /// is not held. The re-check of earlier entries compares them with what the node shows now.
    public func entry(of state: StateCode, index: UInt64) throws(AuditCollectionError) -> (bytes: [UInt8], leafHash: MerkleHash)? {
        guard let key = Int64(exactly: index) else { return nil }
        let row = try read { db in
            try Row.fetchOne(
                db, sql: "SELECT bytes, leaf_hash FROM entry WHERE state = ? AND leaf_index = ?", arguments: [state.description, key])
        }
        guard let row else { return nil }
        do {
            return (Array(row["bytes"] as Data), try MerkleHash(bytes: Array(row["leaf_hash"] as Data)))
        } catch {
            throw .store(reason: "the stored leaf hash of entry \(index) of \(state) is corrupt")
        }
    }

    /// The entries held for `state`, decoded, in index order.
    public func entries(of state: StateCode) throws(AuditCollectionError) -> [AuditEntry] {
        let rows = try read { db in
            try Data.fetchAll(db, sql: "SELECT bytes FROM entry WHERE state = ? ORDER BY leaf_index", arguments: [state.description])
        }
        var entries: [AuditEntry] = []
        entries.reserveCapacity(rows.count)
        for row in rows {
            do {
                entries.append(try AuditEntry(canonicalBytes: Array(row)))
            } catch {
                throw .store(reason: "a stored entry of \(state) does not decode: \(error)")
            }
        }
        return entries
    }

    /// Every state the store holds anything of.
    public func states() throws(AuditCollectionError) -> [StateCode] {
        let names = try read { db in
            try String.fetchAll(db, sql: "SELECT state FROM head UNION SELECT state FROM attempt ORDER BY state")
        }
        return names.compactMap { try? StateCode($0) }
    }

    // MARK: Findings and attempts

    /// Records a finding about `state`, pointing at the heads that prove it and, when it is about
    /// one entry, at that entry.
    @discardableResult
    public func addFinding(
        state: StateCode, kind: CollectionFinding.Kind, detail: String, headIDs: [Int64], entryIndex: UInt64? = nil, at time: Timestamp
    ) throws(AuditCollectionError) -> CollectionFinding {
        let id = try write { db in
            try db.execute(
                sql: "INSERT INTO finding (state, kind, detail, found_at, head_id, other_head_id, entry_index) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    state.description, kind.rawValue, detail, Int64(clamping: time.millisecondsSinceEpoch), headIDs.first,
                    headIDs.dropFirst().first, entryIndex.map { Int64(clamping: $0) },
                ])
            return db.lastInsertedRowID
        }
        return CollectionFinding(id: id, state: state, kind: kind, detail: detail, foundAt: time, headIDs: headIDs, entryIndex: entryIndex)
    }

    /// Every finding, oldest first.
    public func findings() throws(AuditCollectionError) -> [CollectionFinding] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM finding ORDER BY id") }.compactMap { row in
            guard let state = try? StateCode(row["state"] as String), let kind = CollectionFinding.Kind(rawValue: row["kind"]) else {
                return nil
            }
            return CollectionFinding(
                id: row["id"], state: state, kind: kind, detail: row["detail"],
                foundAt: Timestamp(millisecondsSinceEpoch: UInt64(clamping: row["found_at"] as Int64)),
                headIDs: [row["head_id"] as Int64?, row["other_head_id"] as Int64?].compactMap { $0 },
                entryIndex: (row["entry_index"] as Int64?).map { UInt64(clamping: $0) })
        }
    }

    /// Records how an attempt to collect from a node ended.
    public func recordAttempt(_ attempt: CollectionAttempt) throws(AuditCollectionError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO attempt (state, at, outcome, detail) VALUES (?, ?, ?, ?)",
                arguments: [
                    attempt.state.description, Int64(clamping: attempt.at.millisecondsSinceEpoch), attempt.outcome.rawValue, attempt.detail,
                ])
        }
    }

    /// The last attempt for each state.
    public func lastAttempts() throws(AuditCollectionError) -> [StateCode: CollectionAttempt] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attempt WHERE id IN (SELECT max(id) FROM attempt GROUP BY state)")
        }
        var attempts: [StateCode: CollectionAttempt] = [:]
        for row in rows {
            guard let state = try? StateCode(row["state"] as String),
                let outcome = CollectionAttempt.Outcome(rawValue: row["outcome"])
            else { continue }
            attempts[state] = CollectionAttempt(
                state: state, at: Timestamp(millisecondsSinceEpoch: UInt64(clamping: row["at"] as Int64)), outcome: outcome,
                detail: row["detail"])
        }
        return attempts
    }

    // MARK: Database access

    private func read<T>(_ body: (Database) throws -> T) throws(AuditCollectionError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw .store(reason: "\(error)")
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(AuditCollectionError) -> T {
        do {
            return try database.write(body)
        } catch {
            throw .store(reason: "\(error)")
        }
    }
}
