import Clearance
import Exchange
import Foundation
import GRDB
import Store

extension SearchReader {
    /// The most alerts one call returns.
    public static let maximumAlertsPerPage = 500

    /// Alerts raised after alert number `after` (0: from the first), oldest first: of `owner`
    /// (every owner when `nil`, for the node's operator), at most `limit`
    /// (1…``maximumAlertsPerPage``), and only for bulletins `scope` lets the reader read now (an
    /// alert raised within the owner's scope of the time is not shown after that scope shrank).
    ///
    /// For the console and `bordernet alerts`: read the backlog with `after: 0`, then ask again
    /// after the last alert's ``WatchAlert/id`` (or follow the feed's `alert` topic). Opens the
    /// index read-only for the call; a missing index is ``StoreError/cannotOpen(file:path:cause:)``.
    public func alerts(of owner: WatchOwner?, scope: ReadableScope, after: Int64 = 0, limit: Int = 100) throws(StoreError) -> [WatchAlert] {
        let limit = max(1, min(limit, Self.maximumAlertsPerPage))
        let after = max(0, after)
        if case .nothing = scope { return [] }
        let queue = try Self.openReadOnly(path)
        let rows: [Row]
        do {
            rows = try queue.read { db in
                // Read a few pages' worth so that alerts outside the scope do not empty a page;
                // the rest is read by the next call (after the last id returned).
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT a.id, a.entry, a.owner, a.bulletin, a.score, a.reason, a.raised_at,
                               b.id AS reference, b.tlp, b.working_group, b.origin, b.own,
                               (SELECT group_concat(code, char(10)) FROM indexed_handling h WHERE h.bulletin = a.bulletin) AS handling
                        FROM alert a JOIN indexed_bulletin b ON b.rowid = a.bulletin
                        WHERE a.id > ? AND (? IS NULL OR a.owner = ?) ORDER BY a.id LIMIT ?
                        """,
                    arguments: [after, owner?.description, owner?.description, limit * 4])
            }
        } catch {
            throw .operationFailed(file: SearchIndex.fileName, operation: "read alerts", cause: error)
        }
        let table = StoredTable(file: SearchIndex.fileName, name: "alert", key: ["id"])
        var alerts: [WatchAlert] = []
        for row in rows where alerts.count < limit {
            let stored = StoredRow(row, of: table)
            let group: String? = try stored.optionalValue("working_group")
            let handling: String? = try stored.optionalValue("handling")
            let facts = BulletinAccessFacts(
                tlp: try stored.value("tlp"), workingGroup: group.flatMap(WorkingGroup.init(rawValue:)),
                handling: Set((handling ?? "").split(separator: "\n").map(String.init)), origin: try stored.value("origin") as String,
                isOwn: (try stored.value("own") as Int64) != 0)
            guard WatchScopeJSON.admits(scope, facts) else { continue }
            let ownerText: String = try stored.value("owner")
            guard let rowOwner = WatchOwner(ownerText) else {
                throw stored.invalid("owner", row["owner"] as DatabaseValue, expected: "an owner (user:NAME, agency:NAME or operator)")
            }
            guard let score = row["score"] as Double?, score.isFinite else {
                throw stored.invalid("score", row["score"] as DatabaseValue, expected: "a score (a real number)")
            }
            alerts.append(
                WatchAlert(
                    id: try stored.value("id"), entry: try stored.value("entry"), owner: rowOwner, bulletin: try stored.value("reference"),
                    score: score, reason: try stored.value("reason"), raisedAtMilliseconds: try stored.value("raised_at")))
        }
        return alerts
    }

    /// Alerts for the node's operator on the command line, who reads every bulletin of the node:
    /// ``alerts(of:scope:after:limit:)`` with the scope of everything.
    public func operatorAlerts(of owner: WatchOwner?, after: Int64 = 0, limit: Int = 100) throws(StoreError) -> [WatchAlert] {
        try alerts(of: owner, scope: .everything, after: after, limit: limit)
    }

    /// A read-only connection to the index at `path` (never created).
    static func openReadOnly(_ path: String) throws(StoreError) -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .cannotOpen(file: SearchIndex.fileName, path: path, cause: CocoaError(.fileNoSuchFile))
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "bordernet-alert-reader"
        configuration.busyMode = .timeout(5)
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(file: SearchIndex.fileName, path: path, cause: error)
        }
    }
}
