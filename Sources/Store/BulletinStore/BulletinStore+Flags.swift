import Exchange
import GRDB

extension BulletinStore {
    /// Flags, once per revocation, the bulletins received from `origin` that were created or
    /// stored at or after `since`, the compromise time of a revocation of `origin`'s keys in
    /// roster `rosterVersion`: every one of them was accepted under keys now known stolen.
    ///
    /// Returns the bulletins flagged now, oldest first, or `nil` when this revocation (`origin`,
    /// `since`) was reviewed before: the node calls it when it installs a roster and at every
    /// start, and a revocation is applied exactly once, so that what the state's new keys sign
    /// after it is never flagged. The review and its flags are one transaction.
    public func flagBulletinsOfRevokedKeys(
        origin: StateCode, since: Timestamp, rosterVersion: UInt64, at now: Timestamp
    ) throws(StoreError) -> [BulletinFlag]? {
        try write("flag bulletins of revoked keys") { db -> [BulletinFlag]? in
            let reviewed = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM revocation_review WHERE origin = ? AND since = ?", arguments: [origin, since])
            if reviewed == true { return nil }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id FROM bulletin
                    WHERE origin = ? AND own = 0 AND (created_at >= ? OR stored_at >= ?)
                      AND id NOT IN (SELECT bulletin_id FROM bulletin_flag)
                    ORDER BY stored_at, id
                    """,
                arguments: [origin, since, since])
            var flags: [BulletinFlag] = []
            for row in rows {
                let reference: BulletinReference = try StoredRow(row, of: .bulletin).value("id")
                let flag = BulletinFlag(
                    bulletin: reference, reason: .revokedKey, since: since, rosterVersion: rosterVersion, flaggedAt: now
                )
                try db.execute(
                    sql:
                        "INSERT INTO bulletin_flag (bulletin_id, reason, since, roster_version, flagged_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [flag.bulletin, flag.reason, flag.since, flag.rosterVersion, flag.flaggedAt])
                flags.append(flag)
            }
            try db.execute(
                sql:
                    "INSERT INTO revocation_review (origin, since, roster_version, reviewed_at, flagged) VALUES (?, ?, ?, ?, ?)",
                arguments: [origin, since, rosterVersion, now, flags.count])
            return flags
        }
    }

    /// How many bulletins ``flagBulletinsOfRevokedKeys(origin:since:rosterVersion:at:)`` would
    /// flag now, or `nil` when that revocation was reviewed before: the node audits the count
    /// before it commits the flags, so that a crash between the two audits a review twice, never
    /// zero times.
    public func bulletinsToFlag(origin: StateCode, since: Timestamp) throws(StoreError) -> Int? {
        try read("bulletins to flag") { db -> Int? in
            let reviewed = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM revocation_review WHERE origin = ? AND since = ?", arguments: [origin, since])
            if reviewed == true { return nil }
            return try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM bulletin
                    WHERE origin = ? AND own = 0 AND (created_at >= ? OR stored_at >= ?)
                      AND id NOT IN (SELECT bulletin_id FROM bulletin_flag)
                    """,
                arguments: [origin, since, since]) ?? 0
        }
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
