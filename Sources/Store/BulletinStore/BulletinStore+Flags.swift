import Exchange
import GRDB

extension BulletinStore {
    /// What applying one revocation did: how many bulletins it flagged, and the first of them
    /// (at most ``announcedPerRevocation``, oldest first) for the node to announce.
    public struct FlaggedByRevocation: Sendable, Equatable {
        /// How many bulletins were flagged.
        public var count: Int
        /// The first flags, oldest first.
        public var first: [BulletinFlag]
        /// The incident type of each bulletin of ``first``.
        public var incidentTypes: [BulletinReference: String]
    }

    /// The most flags of one revocation the store hands back to be announced one by one (the
    /// node's feed and log); the rest are counted, and listed by `feed --flagged`.
    public static let announcedPerRevocation = 1_000

    /// The `WHERE` of what a revocation flags: accepted bulletins from `origin` whose envelope
    /// the revoked key (`signer`) verified, created or stored at or after `since`, not flagged yet.
    /// The incoming envelopes of one origin are read through their primary key.
    private static let revokedKeyBulletins = """
        FROM incoming_envelope e JOIN bulletin b ON b.id = e.bulletin_id
        WHERE e.origin = ? AND e.signer = ? AND e.status = 0 AND (b.created_at >= ? OR b.stored_at >= ?)
          AND NOT EXISTS (SELECT 1 FROM bulletin_flag f WHERE f.bulletin_id = b.id)
        """

    /// How many bulletins ``flagBulletinsOfRevokedKey(origin:signer:since:rosterVersion:at:)``
    /// would flag now, or `nil` when that revocation was applied before: the node audits the
    /// count before it commits the flags, so that a crash between the two audits the revocation
    /// twice, never zero times.
    public func bulletinsToFlag(origin: StateCode, signer: UInt64, since: Timestamp) throws(StoreError) -> Int? {
        try read("bulletins to flag") { db -> Int? in
            let signer = Int64(bitPattern: signer)
            if try Self.isApplied(origin: origin, signer: signer, since: since, in: db) { return nil }
            return try Int.fetchOne(
                db, sql: "SELECT count(*) " + Self.revokedKeyBulletins, arguments: [origin, signer, since, since]) ?? 0
        }
    }

    /// Applies a revocation of `origin`'s key whose fingerprint is `signer` (``SigningKeyFingerprint``)
    /// from `since`, the compromise time, found in roster `rosterVersion`: flags every bulletin
    /// that key signed and this node accepted, created or stored at or after `since` — exactly
    /// those, never what another key of the state signed — and records the revocation as applied.
    /// One transaction, whose work SQLite does in one statement (no bulletin is held in memory
    /// but the first ``announcedPerRevocation`` flags returned). Envelopes accepted before
    /// BorderNet kept their signer (store v4) are never flagged.
    ///
    /// Returns `nil` when the revocation was applied before.
    public func flagBulletinsOfRevokedKey(
        origin: StateCode, signer: UInt64, since: Timestamp, rosterVersion: UInt64, at now: Timestamp
    ) throws(StoreError) -> FlaggedByRevocation? {
        let version = try Self.storedInteger(rosterVersion, table: .bulletinFlag, column: "roster_version")
        return try write("flag bulletins of a revoked key") { db -> FlaggedByRevocation? in
            let signer = Int64(bitPattern: signer)
            if try Self.isApplied(origin: origin, signer: signer, since: since, in: db) { return nil }
            try db.execute(
                sql: """
                    INSERT INTO bulletin_flag (bulletin_id, origin, reason, since, roster_version, flagged_at)
                    SELECT b.id, e.origin, ?, ?, ?, ? 
                    """ + Self.revokedKeyBulletins,
                arguments: [BulletinFlag.Reason.revokedKey, since, version, now, origin, signer, since, since])
            let count = db.changesCount
            try db.execute(
                sql: """
                    INSERT INTO revocation_review (origin, signer, since, roster_version, reviewed_at, flagged)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [origin, signer, since, version, now, count])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT f.*, b.incident_type FROM bulletin_flag f JOIN bulletin b ON b.id = f.bulletin_id
                    WHERE f.origin = ? AND f.since = ? AND f.flagged_at = ? AND f.roster_version = ?
                    ORDER BY b.stored_at, b.id LIMIT ?
                    """,
                arguments: [origin, since, now, version, Self.announcedPerRevocation])
            let first = try rows.map(Self.flag(from:))
            var types: [BulletinReference: String] = [:]
            for (flag, row) in zip(first, rows) {
                types[flag.bulletin] = try StoredRow(row, of: .bulletin).value("incident_type", as: String.self)
            }
            return FlaggedByRevocation(count: count, first: first, incidentTypes: types)
        }
    }

    /// Whether the revocation of `origin`'s key `signer` from `since` was applied before.
    private static func isApplied(origin: StateCode, signer: Int64, since: Timestamp, in db: Database) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT 1 FROM revocation_review WHERE origin = ? AND signer = ? AND since = ?",
            arguments: [origin, signer, since]) == true
    }

    /// Inserts `flag` of a bulletin of `origin` (kept when the bulletin is flagged already).
    static func insert(_ flag: BulletinFlag, origin: StateCode, into db: Database) throws {
        let version = try storedInteger(flag.rosterVersion, table: .bulletinFlag, column: "roster_version")
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO bulletin_flag (bulletin_id, origin, reason, since, roster_version, flagged_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [flag.bulletin, origin, flag.reason, flag.since, version, flag.flaggedAt])
    }

    /// The flags of those of `references` that are flagged.
    public func flags(of references: [BulletinReference]) throws(StoreError) -> [BulletinReference: BulletinFlag] {
        guard !references.isEmpty else { return [:] }
        return try read("bulletin flags") { db in
            var flags: [BulletinReference: BulletinFlag] = [:]
            // In slices: SQLite bounds the number of parameters of a statement.
            for start in stride(from: 0, to: references.count, by: 500) {
                let slice = Array(references[start..<min(start + 500, references.count)])
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ", ")
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM bulletin_flag WHERE bulletin_id IN (\(marks))",
                    arguments: StatementArguments(slice))
                for row in rows {
                    let flag = try Self.flag(from: row)
                    flags[flag.bulletin] = flag
                }
            }
            return flags
        }
    }

    /// How many bulletins are flagged.
    public func flaggedCount() throws(StoreError) -> Int {
        try read("flagged count") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM bulletin_flag") ?? 0 }
    }

    /// A `bulletin_flag` row.
    static func flag(from row: Row) throws(StoreError) -> BulletinFlag {
        let row = StoredRow(row, of: .bulletinFlag)
        return BulletinFlag(
            bulletin: try row.value("bulletin_id"), reason: try row.value("reason"), since: try row.value("since"),
            rosterVersion: try row.value("roster_version"), flaggedAt: try row.value("flagged_at"))
    }
}
