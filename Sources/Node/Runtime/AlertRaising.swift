import Exchange
import Foundation
import Logging
import Observables
import SearchIndex
import Store
import Synchronization

/// Watch-list alerts on the indexer's thread (docs/SEARCH.md, "Alerts"): after each batch the
/// indexer commits in `search.sqlite`, the batch's alerts are raised in their own transaction on
/// `watchlists.sqlite`, which also stores how far alerts are raised (`alerted_through`). Before
/// indexing more (at start, and after a failure), ``catchUp(index:reader:)`` raises the alerts of
/// indexed bulletins after that position, read again from the store in order: a crash between
/// the two commits loses nothing, and nothing is raised twice (`UNIQUE(entry, bulletin)`).
///
/// Touches only files and atomics, never a socket: ``pending`` tells the I/O thread that alerts
/// may wait to be published and audited (``NodeEngine/publishAlerts()``).
final class AlertRaising: Sendable {
    let watchLists: WatchListStore
    let logger: Logger
    /// Set after each commit that inserted alerts (and at start); taken by the I/O thread.
    let pending = Atomic<Bool>(true)
    /// Candidate entries left out by the per-owner bound, since start (a metric).
    let heldBackCandidates = Atomic<Int>(0)
    /// Name entries not tested for a bulletin by the comparison bound, since start (a metric).
    let heldBackEntries = Atomic<Int>(0)

    init(watchLists: WatchListStore, logger: Logger) {
        self.watchLists = watchLists
        self.logger = logger
    }

    /// Raises the alerts of a batch just indexed (`indexed`, the bulletins of the batch not in the
    /// index before), the index having moved from `previous` to `through`. When alerts were not
    /// raised through `previous` (a failure, a crash, a rebuilt index), catches up one page
    /// instead; whether more catching up remains (the indexer's loop goes on at once).
    func raise(
        _ indexed: [IndexedBulletin], previous: IndexPosition?, through: IndexPosition, index: SearchIndex,
        reader: BulletinReader
    ) throws(StoreError) -> Bool {
        guard try watchLists.alertedThrough() == previous else { return try catchUp(index: index, reader: reader) }
        try record(indexed, through: through, index: index)
        return false
    }

    /// Raises the alerts of one page of bulletins indexed after `alerted_through` (read again
    /// from the store, in its commit order); whether more remain. Nothing to do when alerts are
    /// raised through the index's position or beyond it (a rebuilt index catching up).
    @discardableResult
    func catchUp(index: SearchIndex, reader: BulletinReader) throws(StoreError) -> Bool {
        guard let position = try index.position() else { return false }
        let alerted = try watchLists.alertedThrough()
        if let alerted, !Self.isBefore(alerted, position) { return false }
        guard try watchLists.hasActiveEntries() else {
            // No entry can alert on these bulletins (entries alert only on bulletins stored after them).
            _ = try watchLists.record([], through: position, nowMilliseconds: Self.now)
            return false
        }
        var query = BulletinQuery(limit: SearchIndexer.batchSize)
        query.oldestFirst = true
        if let alerted {
            guard let id = try? BulletinReference(alerted.id) else {
                throw StoreError.invalidValue(
                    file: WatchListStore.fileName, table: "alert_progress", column: "alerted_id", row: "1",
                    found: alerted.id, expected: "a bulletin id")
            }
            query.after = BulletinCursor(
                storedAt: Timestamp(millisecondsSinceEpoch: UInt64(max(0, alerted.storedAtMilliseconds))), id: id)
        }
        let page = try reader.pageWithBodies(query)
        let kept = page.items.filter { item in
            !Self.isBefore(position, Self.position(of: item.summary))
        }
        guard let last = kept.last else {
            _ = try watchLists.record([], through: position, nowMilliseconds: Self.now)
            return false
        }
        let bulletins = kept.map { item in
            IndexedBulletin(
                reference: item.summary.id, incidentType: item.summary.incidentType,
                observables: BulletinObservables(body: item.body), links: [])
        }
        let through = Self.position(of: last.summary)
        try record(bulletins, through: through, index: index)
        return kept.count == page.items.count && page.next != nil && Self.isBefore(through, position)
    }

    private func record(_ bulletins: [IndexedBulletin], through: IndexPosition, index: SearchIndex) throws(StoreError) {
        let outcome = try index.raiseAlerts(
            for: bulletins, through: through, watchLists: watchLists, nowMilliseconds: Self.now)
        if !outcome.alerts.isEmpty { pending.store(true, ordering: .releasing) }
        if outcome.heldBackCandidates > 0 || outcome.heldBackEntries > 0 {
            heldBackCandidates.add(outcome.heldBackCandidates, ordering: .relaxed)
            heldBackEntries.add(outcome.heldBackEntries, ordering: .relaxed)
            logger.warning(
                "watch-list entries not tested for a batch: a bound was reached",
                metadata: [
                    "perOwnerBound": "\(outcome.heldBackCandidates)", "comparisonBound": "\(outcome.heldBackEntries)",
                    "bulletins": "\(bulletins.count)",
                ])
        }
    }

    static var now: Int64 { Int64(clamping: Timestamp.now.millisecondsSinceEpoch) }

    static func position(of summary: BulletinSummary) -> IndexPosition {
        IndexPosition(
            storedAtMilliseconds: Int64(clamping: summary.storedAt.millisecondsSinceEpoch), id: summary.id.description)
    }

    /// Whether `a` comes before `b` in the store's commit order (`stored_at`, then id).
    static func isBefore(_ a: IndexPosition, _ b: IndexPosition) -> Bool {
        (a.storedAtMilliseconds, a.id) < (b.storedAtMilliseconds, b.id)
    }
}
