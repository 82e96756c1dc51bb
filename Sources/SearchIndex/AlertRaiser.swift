import Clearance
import Exchange
import Foundation
import GRDB
import Names
import Observables
import Store

/// What raising the alerts of a batch did (``SearchIndex/raiseAlerts(for:through:watchLists:nowMilliseconds:matcher:)``).
public struct RaisedAlerts: Sendable {
    /// The alerts inserted now (not those raised before), in order of the bulletins, then of the entries.
    public var alerts: [WatchAlert] = []
    /// Candidate entries left out by ``WatchListStore/maximumCandidatesPerOwner``.
    public var heldBackCandidates = 0
    /// Name and vessel-name entries not tested because a bulletin's comparisons reached
    /// ``SearchIndex/maximumNameComparisonsPerBulletin``.
    public var heldBackEntries = 0
}

extension SearchIndex {
    /// The most name comparisons (an entry's name against one spelling of a person or vessel of
    /// the bulletin) made for one bulletin: a hostile bulletin (256 persons × 32 aliases) against
    /// many name entries cannot stall the indexer. The entries beyond are not tested, counted in
    /// ``RaisedAlerts/heldBackEntries``.
    public static let maximumNameComparisonsPerBulletin = 10_000
    /// How many bulletins' watch-list candidates are read in one transaction and held at once.
    static let watchLookupGroup = 16

    static let alertTable = StoredTable(file: fileName, name: "indexed_bulletin", key: ["id"])

    /// Raises the alerts of `bulletins`, indexed in this index (their rows are here): for each,
    /// the watch-list entries filed under one of its keys (``BulletinObservables/watchKeys(incidentType:)``,
    /// at most ``WatchListStore/maximumCandidatesPerOwner`` per owner) are tested
    /// (``WatchCriterion/match(_:incidentType:preparedPersons:matcher:)``, the persons prepared once
    /// per bulletin), and an entry that matches alerts only when the bulletin was stored at or
    /// after the entry was made, and is within the scope its owner could read then (working
    /// group, TLP, handling codes, as ``ClearancePolicy`` decides).
    ///
    /// Records them in `watchlists.sqlite` (``WatchListStore/record(_:through:nowMilliseconds:)``)
    /// in one transaction, with `position` as how far alerts are raised: at most one alert per
    /// entry and bulletin, ever — a bulletin indexed again raises nothing new. A bulletin not in
    /// the index is skipped.
    public func raiseAlerts(
        for bulletins: [IndexedBulletin], through position: IndexPosition?, watchLists: WatchListStore,
        nowMilliseconds: Int64, matcher: NameMatcher = NameMatcher()
    ) throws(StoreError) -> RaisedAlerts {
        var outcome = RaisedAlerts()
        var found: [FoundAlert] = []
        // Candidates are read a few bulletins at a time, each group in one transaction: fewer
        // reads than one per bulletin, and at most `watchLookupGroup` bulletins' candidates held
        // at once (each can bring up to `maximumCandidatesPerOwner` entries of every owner).
        for start in stride(from: 0, to: bulletins.count, by: Self.watchLookupGroup) {
            let group = bulletins[start..<min(start + Self.watchLookupGroup, bulletins.count)]
            let candidates = try watchLists.candidates(
                forKeysOf: group.map { $0.observables.watchKeys(incidentType: $0.incidentType) })
            for (bulletin, (entries, heldBack)) in zip(group, candidates) {
                outcome.heldBackCandidates += heldBack
                guard !entries.isEmpty,
                    let (storedAt, facts) = try database.read(
                        "read a bulletin's facts",
                        { db in
                            try Self.accessFacts(of: bulletin.reference, in: db)
                        })
                else { continue }
                let persons = bulletin.observables.persons.prefix(BulletinObservables.maximumItems).map(
                    PreparedPerson.init)
                let personNames = persons.reduce(0) { $0 + $1.names.count }
                let vesselNames = min(bulletin.observables.vesselNames.count, BulletinObservables.maximumItems)
                var comparisons = 0
                for entry in entries
                where entry.createdAtMilliseconds <= storedAt && WatchScopeJSON.admits(entry.scope, facts) {
                    let cost =
                        switch entry.criterion.kind {
                        case .name: personNames
                        case .vessel: vesselNames
                        default: 0
                        }
                    if cost > 0 {
                        guard comparisons + cost <= Self.maximumNameComparisonsPerBulletin else {
                            outcome.heldBackEntries += 1
                            continue
                        }
                        comparisons += cost
                    }
                    guard
                        let match = entry.criterion.match(
                            bulletin.observables, incidentType: bulletin.incidentType, preparedPersons: persons,
                            matcher: matcher)
                    else { continue }
                    found.append(
                        FoundAlert(
                            entry: entry, bulletin: bulletin.reference, facts: facts, score: match.score,
                            reason: match.reason))
                }
            }
        }
        outcome.alerts = try watchLists.record(found, through: position, nowMilliseconds: nowMilliseconds)
        return outcome
    }

    /// ``raiseAlerts(for:through:watchLists:nowMilliseconds:matcher:)`` without moving how far
    /// alerts are raised: the alerts inserted now.
    public func raiseAlerts(
        for bulletins: [IndexedBulletin], watchLists: WatchListStore, nowMilliseconds: Int64,
        matcher: NameMatcher = NameMatcher()
    ) throws(StoreError) -> [WatchAlert] {
        try raiseAlerts(
            for: bulletins, through: nil, watchLists: watchLists, nowMilliseconds: nowMilliseconds, matcher: matcher
        ).alerts
    }

    /// When `reference` was stored (milliseconds) and the facts the clearance policy reads, `nil`
    /// when it is not indexed. A stored value that does not convert is an error naming the row.
    static func accessFacts(of reference: BulletinReference, in db: Database) throws -> (Int64, BulletinAccessFacts)? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT rowid, id, tlp, working_group, origin, own, stored_at FROM indexed_bulletin WHERE id = ?",
                arguments: [reference.description])
        else { return nil }
        let stored = StoredRow(row, of: alertTable)
        let rowID: Int64 = try stored.value("rowid")
        let handling = try String.fetchAll(
            db, sql: "SELECT code FROM indexed_handling WHERE bulletin = ?", arguments: [rowID])
        let group: String? = try stored.optionalValue("working_group")
        let facts = BulletinAccessFacts(
            tlp: try stored.value("tlp"), workingGroup: group.flatMap(WorkingGroup.init(rawValue:)),
            handling: Set(handling),
            origin: try stored.value("origin") as String, isOwn: (try stored.value("own") as Int64) != 0)
        return (try stored.value("stored_at"), facts)
    }
}
