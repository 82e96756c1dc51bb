import Dispatch
import Exchange
import Foundation
import LocalFiles
import Logging
import SearchIndex
import Store
import Synchronization

/// The node's indexer (docs/SEARCH.md): a thread of its own that follows the store in commit
/// order (`stored_at`, `id`) through a read-only connection and writes `search.sqlite`. The I/O
/// thread only calls ``wake()`` after each commit of posts or received bulletins; it never waits
/// for indexing. The thread runs at the lowest priority (nice 19, ``ThreadPriority``): under a
/// burst that fills the CPU the exchange keeps its rate and the index falls behind, then catches
/// up (the bench reports both). A failure is logged and retried a second later; a removed `search.sqlite` is
/// rebuilt from the store at the next start.
final class SearchIndexer: Sendable {
    /// Bulletins read from the store and indexed per transaction.
    static let batchSize = 256
    /// How long the thread sleeps when nothing wakes it.
    static let idleWait = DispatchTimeInterval.seconds(1)
    /// How long ``stop()`` waits for the thread to finish its batch.
    static let stopWait = DispatchTimeInterval.seconds(10)

    /// What the indexer has done, for the node's metrics (read by the I/O thread).
    struct Statistics: Sendable {
        /// Bulletins indexed since start.
        var indexed = 0
        /// Seconds spent indexing them (store reads and index transactions).
        var seconds = 0.0
        /// Seconds per bulletin of the last batch.
        var secondsPerBulletin = 0.0
        /// How far behind the store the index was after the last batch: the age of the last
        /// bulletin indexed when more remained, 0 when caught up.
        var lagSeconds = 0.0
        /// Failed attempts (each retried).
        var failures = 0
    }

    let indexPath: String
    let storeURL: URL
    private let logger: Logger
    private let onIndexed: @Sendable ([IndexedBulletin]) -> Void
    /// Raises the watch-list alerts of each batch (``AlertRaising``); `nil` in tests of the index alone.
    let alerting: AlertRaising?
    private let wakeUp = DispatchSemaphore(value: 0)
    private let woken = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)
    /// What ``Statistics`` says now.
    let statistics = Mutex(Statistics())

    /// An indexer of the store at `storeURL` into `search.sqlite` at `indexPath`; after each
    /// committed batch, `alerting` raises its alerts (before anything more is indexed, alerts
    /// not yet raised are caught up), then `onIndexed` runs, on the indexer's thread.
    init(
        indexPath: String, storeURL: URL, logger: Logger, alerting: AlertRaising?,
        onIndexed: @escaping @Sendable ([IndexedBulletin]) -> Void
    ) {
        self.indexPath = indexPath
        self.storeURL = storeURL
        self.logger = logger
        self.alerting = alerting
        self.onIndexed = onIndexed
    }

    /// Starts the thread (once).
    func start() {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let thread = Thread { [self] in
            // The exchange first: on a busy machine the index catches up in the time it leaves.
            if let reason = ThreadPriority.setCurrentThread(nice: ThreadPriority.background) {
                logger.notice("the indexer runs at normal priority", metadata: ["reason": "\(reason)"])
            }
            run()
            finished.signal()
        }
        thread.name = "bordernet-indexer"
        thread.start()
    }

    /// Asks the thread to look at the store now. Cheap and never blocking: the I/O thread calls it
    /// after each commit; wakes that arrive while a batch runs collapse into one.
    func wake() {
        if !woken.exchange(true, ordering: .relaxed) { wakeUp.signal() }
    }

    /// Stops the thread after its current batch, waiting at most ``stopWait`` (once; a second
    /// call returns at once).
    func stop() {
        guard started.load(ordering: .relaxed), !stopRequested.exchange(true, ordering: .relaxed) else { return }
        stopRequested.store(true, ordering: .relaxed)
        wakeUp.signal()
        if finished.wait(timeout: .now() + Self.stopWait) == .timedOut {
            logger.warning("the search indexer did not stop in time; the node stops without it")
        }
    }

    private var shouldStop: Bool { stopRequested.load(ordering: .relaxed) }

    /// Waits for a wake, a stop or ``idleWait``.
    private func pause() {
        guard !shouldStop else { return }
        _ = wakeUp.wait(timeout: .now() + Self.idleWait)
        woken.store(false, ordering: .relaxed)
    }

    private func run() {
        var index: SearchIndex?
        var reader: BulletinReader?
        var lastFailure: String?
        while !shouldStop {
            do {
                let openIndex = try index ?? SearchIndex(path: indexPath)
                index = openIndex
                let openReader = try reader ?? BulletinReader(storeFile: storeURL)
                reader = openReader
                // Alerts of bulletins indexed but not yet alerted (a crash, a failure) first.
                if try alerting?.catchUp(index: openIndex, reader: openReader) == true { continue }
                let more = try indexBatch(index: openIndex, reader: openReader)
                lastFailure = nil
                if !more { pause() }
            } catch {
                statistics.withLock { $0.failures += 1 }
                // Logged once per kind of failure, then retried quietly every second.
                let text = "\(error)"
                if text != lastFailure {
                    logger.error(
                        "indexing failed; it will be retried", metadata: ["error": "\(text)", "index": "\(indexPath)"])
                    lastFailure = text
                }
                pause()
            }
        }
    }

    /// Indexes the next batch after the index's position; whether more may follow at once.
    private func indexBatch(index: SearchIndex, reader: BulletinReader) throws(StoreError) -> Bool {
        let begin = ContinuousClock.now
        var query = BulletinQuery(limit: Self.batchSize)
        query.oldestFirst = true
        let previous = try index.position()
        if let position = previous {
            guard let id = try? BulletinReference(position.id) else {
                throw StoreError.invalidValue(
                    file: SearchIndex.fileName, table: "index_position", column: "id", row: "", found: position.id,
                    expected: "a bulletin id (remove search.sqlite: the node rebuilds it)")
            }
            query.after = BulletinCursor(
                storedAt: Timestamp(millisecondsSinceEpoch: UInt64(max(0, position.storedAtMilliseconds))), id: id)
        }
        let page = try reader.pageWithBodies(query)
        guard !page.items.isEmpty else {
            statistics.withLock { $0.lagSeconds = 0 }
            return false
        }
        let own = Set(page.items.filter(\.summary.isOwn).map(\.summary.id))
        let bulletins = page.items.map { item in
            let summary = item.summary
            return StoredBulletin(
                reference: summary.id, incidentType: summary.incidentType, tlp: summary.tlp,
                createdAt: summary.createdAt,
                storedAt: summary.storedAt, body: item.body,
                indexFields: BulletinIndexFields(
                    workingGroup: summary.workingGroup, handling: summary.handling, corrects: summary.correctsID,
                    withdraws: summary.withdrawsID))
        }
        let indexed = try index.index(bulletins, own: { own.contains($0.reference) })
        let elapsed = ContinuousClock.now - begin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let more = page.next != nil
        let lastStored = bulletins.last.map { Double($0.storedAt.millisecondsSinceEpoch) / 1000 } ?? 0
        statistics.withLock { statistics in
            statistics.indexed += bulletins.count
            statistics.seconds += seconds
            statistics.secondsPerBulletin = seconds / Double(bulletins.count)
            statistics.lagSeconds = more ? max(0, Date().timeIntervalSince1970 - lastStored) : 0
        }
        var alertsBehind = false
        if let alerting, let last = page.items.last {
            alertsBehind = try alerting.raise(
                indexed, previous: previous, through: AlertRaising.position(of: last.summary), index: index,
                reader: reader)
        }
        if !indexed.isEmpty { onIndexed(indexed) }
        return more || alertsBehind
    }
}
