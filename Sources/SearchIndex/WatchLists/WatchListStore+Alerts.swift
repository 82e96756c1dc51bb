import Clearance
import Exchange
import Foundation
import GRDB
import Store

/// An alert found by matching, not yet recorded: what ``WatchListStore/record(_:through:nowMilliseconds:)``
/// inserts (once per entry and bulletin, ever).
public struct FoundAlert: Sendable {
    /// The entry that matched.
    public var entry: WatchEntry
    /// The bulletin and the facts of it the clearance policy reads (kept with the alert, so that
    /// readers decide without the index).
    public var bulletin: BulletinReference
    public var facts: BulletinAccessFacts
    /// How strongly (0…1) and why.
    public var score: Double
    public var reason: String

    /// A found alert.
    public init(entry: WatchEntry, bulletin: BulletinReference, facts: BulletinAccessFacts, score: Double, reason: String) {
        self.entry = entry
        self.bulletin = bulletin
        self.facts = facts
        self.score = score
        self.reason = reason
    }
}

extension WatchListStore {
    /// The most alerts ``alerts(after:limit:)`` returns.
    public static let maximumAlertsPerRead = 500

    /// Records `found` in one transaction (`INSERT OR IGNORE`: an entry alerts once per bulletin,
    /// ever, whatever is indexed again) and, in the same transaction, that alerts are raised
    /// through `position` (when given): returns only the alerts actually inserted, in order.
    public func record(_ found: [FoundAlert], through position: IndexPosition?, nowMilliseconds: Int64)
        throws(StoreError) -> [WatchAlert]
    {
        guard !found.isEmpty || position != nil else { return [] }
        return try database.write("record watch-list alerts") { db in
            var inserted: [WatchAlert] = []
            for item in found {
                let score = min(1, max(0, item.score.isFinite ? item.score : 0))
                let reason = String(item.reason.unicodeScalars.prefix(500))
                try db.cachedStatement(
                    sql: """
                        INSERT OR IGNORE INTO alert (entry, owner, bulletin, score, reason, raised_at,
                            tlp, working_group, handling, origin, own) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [
                    item.entry.id, item.entry.owner.description, item.bulletin.description, score, reason,
                    nowMilliseconds, item.facts.tlp.label, item.facts.workingGroup?.rawValue,
                    item.facts.handling.sorted().joined(separator: "\n"), item.facts.origin, item.facts.isOwn ? 1 : 0,
                ])
                guard db.changesCount == 1 else { continue }
                inserted.append(
                    WatchAlert(
                        id: db.lastInsertedRowID, entry: item.entry.id, owner: item.entry.owner, bulletin: item.bulletin,
                        score: score, reason: reason, raisedAtMilliseconds: nowMilliseconds))
            }
            if let position {
                try db.execute(
                    sql: "UPDATE alert_progress SET alerted_stored_at = ?, alerted_id = ? WHERE singleton = 1",
                    arguments: [position.storedAtMilliseconds, position.id])
            }
            return inserted
        }
    }

    /// The last indexed bulletin whose alerts are raised (``record(_:through:nowMilliseconds:)``),
    /// `nil` before the first.
    public func alertedThrough() throws(StoreError) -> IndexPosition? {
        try database.read("read how far alerts are raised") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT alerted_stored_at, alerted_id FROM alert_progress"),
                let storedAt = row["alerted_stored_at"] as Int64?, let id = row["alerted_id"] as String?
            else { return nil }
            return IndexPosition(storedAtMilliseconds: storedAt, id: id)
        }
    }

    /// Whether any entry is active (when none is, nothing can alert).
    public func hasActiveEntries() throws(StoreError) -> Bool {
        try database.read("count active watch-list entries") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM watch_entry WHERE removed_at IS NULL)") ?? false
        }
    }

    /// The number of the last alert published on the feed and audited (0 before the first).
    public func publishedThrough() throws(StoreError) -> Int64 {
        try database.read("read how far alerts are published") { db in
            try Int64.fetchOne(db, sql: "SELECT published_through FROM alert_progress") ?? 0
        }
    }

    /// Stores that alerts through number `id` are published and audited.
    public func setPublishedThrough(_ id: Int64) throws(StoreError) {
        try database.write("store how far alerts are published") { db in
            try db.execute(sql: "UPDATE alert_progress SET published_through = ? WHERE singleton = 1", arguments: [id])
        }
    }

    /// Every owner's alerts after number `after`, oldest first, at most `limit`
    /// (1…``maximumAlertsPerRead``): what the node publishes and audits.
    public func alerts(after: Int64, limit: Int) throws(StoreError) -> [WatchAlert] {
        let limit = max(1, min(limit, Self.maximumAlertsPerRead))
        return try database.read("read alerts to publish") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM alert WHERE id > ? ORDER BY id LIMIT ?", arguments: [max(0, after), limit]
            ).map { row in try WatchAlertReader.alert(row).alert }
        }
    }
}
