import Clearance
import Exchange
import Foundation
import GRDB
import Store

/// The alerts of `DATA/watchlists.sqlite` as the console and `bordernet alerts` read them:
/// read-only, each alert decided within the reader's scope of now on the facts of its bulletin
/// kept with it (no index needed). Alerts live beside the entries, not in the search index: a
/// rebuilt index raises none again and their numbers keep growing.
public struct WatchAlertReader: Sendable {
    /// The most alerts one call returns.
    public static let maximumAlertsPerPage = 500
    /// The path of `watchlists.sqlite`.
    public let path: String
    let database: ReadOnlyDatabase

    /// Opens `watchlists.sqlite` at `path` read-only. Throws ``StoreError/cannotOpen(file:path:cause:)``
    /// when there is none yet (the node makes it when it first starts), and a schema error when
    /// another BorderNet version wrote it.
    public init(path: String) throws(StoreError) {
        self.path = path
        database = try ReadOnlyDatabase(
            name: WatchListStore.fileName, path: path, migrator: WatchListMigrations.migrator, label: "bordernet-alert-reader")
    }

    /// Alerts raised after alert number `after` (0: from the first), oldest first: of `owner`
    /// (every owner when `nil`, for the node's operator), at most `limit`
    /// (1…``maximumAlertsPerPage``), and only for bulletins `scope` lets the reader read now (an
    /// alert raised within the owner's scope of the time is not shown after that scope shrank).
    ///
    /// For the console and `bordernet alerts`: read the backlog with `after: 0`, then ask again
    /// after the last alert's ``WatchAlert/id`` (or when the feed's `alert` topic says one came).
    public func alerts(of owner: WatchOwner?, scope: ReadableScope, after: Int64 = 0, limit: Int = 100)
        throws(StoreError) -> [WatchAlert]
    {
        let limit = max(1, min(limit, Self.maximumAlertsPerPage))
        let after = max(0, after)
        if case .nothing = scope { return [] }
        // Read a few pages' worth so that alerts outside the scope do not empty a page; the rest
        // is read by the next call (after the last id returned).
        let rows = try database.read("read alerts") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM alert WHERE id > ? AND (? IS NULL OR owner = ?) ORDER BY id LIMIT ?",
                arguments: [after, owner?.description, owner?.description, limit * 4])
        }
        var alerts: [WatchAlert] = []
        for row in rows where alerts.count < limit {
            let (alert, facts) = try Self.alert(row)
            guard WatchScopeJSON.admits(scope, facts) else { continue }
            alerts.append(alert)
        }
        return alerts
    }

    /// Alerts for the node's operator on the command line, who reads every bulletin of the node:
    /// ``alerts(of:scope:after:limit:)`` with the scope of everything.
    public func operatorAlerts(of owner: WatchOwner?, after: Int64 = 0, limit: Int = 100) throws(StoreError)
        -> [WatchAlert]
    {
        try alerts(of: owner, scope: .everything, after: after, limit: limit)
    }

    static let table = StoredTable(file: WatchListStore.fileName, name: "alert", key: ["id"])

    /// The alert of an `alert` row and its bulletin's facts; a value that does not convert is an
    /// error naming the row and column.
    static func alert(_ row: Row) throws(StoreError) -> (alert: WatchAlert, facts: BulletinAccessFacts) {
        let stored = StoredRow(row, of: table)
        let group: String? = try stored.optionalValue("working_group")
        let handling: String = try stored.value("handling")
        let facts = BulletinAccessFacts(
            tlp: try stored.value("tlp"), workingGroup: group.flatMap(WorkingGroup.init(rawValue:)),
            handling: Set(handling.split(separator: "\n").map(String.init)),
            origin: try stored.value("origin") as String,
            isOwn: (try stored.value("own") as Int64) != 0)
        let ownerText: String = try stored.value("owner")
        guard let owner = WatchOwner(ownerText) else {
            throw stored.invalid(
                "owner", row["owner"] as DatabaseValue, expected: "an owner (user:NAME, agency:NAME or operator)")
        }
        guard let score = row["score"] as Double?, score.isFinite else {
            throw stored.invalid("score", row["score"] as DatabaseValue, expected: "a score (a real number)")
        }
        let alert = WatchAlert(
            id: try stored.value("id"), entry: try stored.value("entry"), owner: owner,
            bulletin: try stored.value("bulletin"), score: score, reason: try stored.value("reason"),
            raisedAtMilliseconds: try stored.value("raised_at"))
        return (alert, facts)
    }
}
