import Clearance
import Exchange
import Foundation
import GRDB
import Names
import Observables
import Store

extension SearchIndex {
    /// The most alerts one batch raises (the rest of a pathological batch is not raised; the
    /// node logs how many were held back).
    public static let maximumAlertsPerBatch = 10_000

    static let alertTable = StoredTable(file: fileName, name: "indexed_bulletin", key: ["id"])

    /// Raises the alerts of `bulletins`, just indexed (their rows are in this index): for each,
    /// the watch-list entries filed under one of its keys (``BulletinObservables/watchKeys(incidentType:)``)
    /// are tested (``WatchCriterion/match(_:incidentType:matcher:)``), and an entry that matches
    /// alerts only when the bulletin is within the scope its owner could read when the entry was
    /// made (working group, TLP, handling codes, as ``ClearancePolicy`` decides). At most one
    /// alert per entry and bulletin, ever: a bulletin indexed again raises nothing new.
    ///
    /// Writes the alerts in `search.sqlite`'s `alert` table in one transaction and returns them,
    /// in the order of `bulletins`, then of the entries' numbers. A bulletin not in the index is
    /// skipped.
    public func raiseAlerts(
        for bulletins: [IndexedBulletin], watchLists: WatchListStore, nowMilliseconds: Int64, matcher: NameMatcher = NameMatcher()
    ) throws(StoreError) -> [WatchAlert] {
        var work: [(bulletin: IndexedBulletin, entries: [WatchEntry])] = []
        for bulletin in bulletins {
            let entries = try watchLists.candidates(forKeys: bulletin.observables.watchKeys(incidentType: bulletin.incidentType))
            if !entries.isEmpty { work.append((bulletin, entries)) }
        }
        guard !work.isEmpty else { return [] }
        return try database.write("raise watch-list alerts") { db in
            var alerts: [WatchAlert] = []
            for (bulletin, entries) in work {
                guard alerts.count < Self.maximumAlertsPerBatch else { break }
                guard let (row, facts) = try Self.accessFacts(of: bulletin.reference, in: db) else { continue }
                for entry in entries where alerts.count < Self.maximumAlertsPerBatch {
                    guard WatchScopeJSON.admits(entry.scope, facts),
                        let match = entry.criterion.match(bulletin.observables, incidentType: bulletin.incidentType, matcher: matcher)
                    else { continue }
                    let raised = try Bool.fetchOne(db, sql: "SELECT 1 FROM alert WHERE entry = ? AND bulletin = ?", arguments: [entry.id, row])
                    guard raised != true else { continue }
                    let score = min(1, max(0, match.score.isFinite ? match.score : 0))
                    let reason = String(match.reason.unicodeScalars.prefix(500))
                    try db.execute(
                        sql: "INSERT INTO alert (entry, owner, bulletin, score, reason, raised_at) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [entry.id, entry.owner.description, row, score, reason, nowMilliseconds])
                    alerts.append(
                        WatchAlert(
                            id: db.lastInsertedRowID, entry: entry.id, owner: entry.owner, bulletin: bulletin.reference, score: score,
                            reason: reason, raisedAtMilliseconds: nowMilliseconds))
                }
            }
            return alerts
        }
    }

    /// The index row of `reference` and the facts the clearance policy reads, `nil` when it is
    /// not indexed. A stored value that does not convert is an error naming the row.
    static func accessFacts(of reference: BulletinReference, in db: Database) throws -> (Int64, BulletinAccessFacts)? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT rowid, id, tlp, working_group, origin, own FROM indexed_bulletin WHERE id = ?", arguments: [reference.description])
        else { return nil }
        let stored = StoredRow(row, of: alertTable)
        let rowID: Int64 = try stored.value("rowid")
        let handling = try String.fetchAll(db, sql: "SELECT code FROM indexed_handling WHERE bulletin = ?", arguments: [rowID])
        let group: String? = try stored.optionalValue("working_group")
        let facts = BulletinAccessFacts(
            tlp: try stored.value("tlp"), workingGroup: group.flatMap(WorkingGroup.init(rawValue:)), handling: Set(handling),
            origin: try stored.value("origin") as String, isOwn: (try stored.value("own") as Int64) != 0)
        return (rowID, facts)
    }
}
