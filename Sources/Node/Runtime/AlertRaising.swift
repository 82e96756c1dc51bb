import Logging
import SearchIndex
import Store
import Synchronization

/// What the indexer's thread calls after each batch it commits (``SearchIndexer``'s hook): the
/// batch's watch-list alerts raised in `search.sqlite` (``SearchIndex/raiseAlerts(for:watchLists:nowMilliseconds:matcher:)``)
/// and queued in the ``AlertOutbox`` for the I/O thread. Touches only files and the outbox, never
/// a socket. Its own connection to `search.sqlite` is opened at the first batch that has
/// candidates; it writes right after the indexer's commit, on the same thread, so the two never
/// write at once.
final class AlertRaising: Sendable {
    let indexPath: String
    let watchLists: WatchListStore
    let outbox: AlertOutbox
    let logger: Logger
    private let index = Mutex<SearchIndex?>(nil)

    init(indexPath: String, watchLists: WatchListStore, outbox: AlertOutbox, logger: Logger) {
        self.indexPath = indexPath
        self.watchLists = watchLists
        self.outbox = outbox
        self.logger = logger
    }

    /// Raises and queues the alerts of `bulletins` (a failure is logged; the batch's alerts are
    /// then not raised).
    func raise(for bulletins: [IndexedBulletin]) {
        guard !bulletins.isEmpty else { return }
        let opened: SearchIndex
        do {
            opened = try index.withLock { (held: inout SearchIndex?) throws(StoreError) -> SearchIndex in
                if let held { return held }
                let made = try SearchIndex(path: indexPath)
                held = made
                return made
            }
        } catch {
            logger.error("cannot open the search index to raise alerts", metadata: ["error": "\(error)"])
            return
        }
        NodeEngine.raiseAlerts(for: bulletins, in: opened, watchLists: watchLists, outbox: outbox, logger: logger)
    }
}
