import Clearance
import Dispatch
import Exchange
import Foundation
import Logging
import SearchIndex
import Store
import StoredSTIX
import Synchronization

/// The node's search index (`search.sqlite`, beside the store in its data folder; docs/SEARCH.md)
/// as the console reads it: read-only, through ``SearchReader``, every call within the reader's
/// scope and off the event loops. The node's indexer makes the file after the console may have
/// started: it is opened at the first request that finds it, again after a failed read, and
/// again when the file is another (its device and inode, checked with one `stat` a request:
/// the node rebuilds a removed index as a new file, which an open pool would not see).
/// At most ``maximumConcurrentSearches`` searches run at once; another is refused
/// (``Busy``, 503 with Retry-After on the page) and counted in ``refusedSearches``.
final class SearchGateway: Sendable {
    /// A search refused because ``maximumConcurrentSearches`` are running.
    struct Busy: Error {}

    /// The most searches run at once (each is bounded: docs/SEARCH.md, "Bounded work").
    static let maximumConcurrentSearches = 3
    /// The searches refused as over ``maximumConcurrentSearches`` since the console started.
    let refusedSearches = Atomic<Int>(0)
    private let running = Mutex<Int>(0)

    /// What the index said, or that there is none yet.
    enum Answer<Value: Sendable>: Sendable {
        case value(Value)
        case noIndex
    }

    /// The index file.
    let file: URL
    fileprivate let opened = Mutex<(reader: SearchReader, file: FileIdentity)?>(nil)
    /// `watchlists.sqlite`, beside the index: where alerts are read.
    var alertsFile: URL { file.deletingLastPathComponent().appendingPathComponent("watchlists.sqlite") }
    private let alertReader = Mutex<WatchAlertReader?>(nil)
    private static let queue = DispatchQueue(label: "bordernet.console.search", attributes: .concurrent)

    init(file: URL) {
        self.file = file
    }

    /// A page of results for `query` (whose scope is the reader's), or ``Answer/noIndex``.
    /// Throws ``Busy`` when ``maximumConcurrentSearches`` are running.
    func search(_ query: SearchQuery) async throws -> Answer<SearchPage> {
        try await bounded { try await self.read { try $0.search(query) } }
    }

    /// Runs `work` as one of the ``maximumConcurrentSearches``, or throws ``Busy`` (counted).
    func bounded<T>(_ work: () async throws -> T) async throws -> T {
        let admitted = running.withLock { count -> Bool in
            guard count < Self.maximumConcurrentSearches else { return false }
            count += 1
            return true
        }
        guard admitted else {
            refusedSearches.add(1, ordering: .relaxed)
            throw Busy()
        }
        defer { running.withLock { $0 -= 1 } }
        return try await work()
    }

    /// The bulletins linked to `reference` that `scope` lets the reader read, best first.
    func links(of reference: BulletinReference, scope: ReadableScope) async throws -> Answer<[BulletinLink]> {
        try await read { try $0.links(of: reference, scope: scope) }
    }

    /// The alerts of `owner` after alert number `after`, oldest first, for bulletins `scope` lets
    /// the reader read now (``WatchAlertReader/alerts(of:scope:after:limit:)``, on
    /// `watchlists.sqlite` beside the index: alerts are kept with the entries, not in the index).
    /// ``Answer/noIndex`` while there is no such file.
    func alerts(of owner: WatchOwner, scope: ReadableScope, after: Int64, limit: Int) async throws -> Answer<[WatchAlert]> {
        try await readAlerts { try $0.alerts(of: owner, scope: scope, after: after, limit: limit) }
    }

    /// The newest `count` alerts of `owner` that `scope` admits, oldest first, and the owner's
    /// highest alert number (``AlertScan/newest(count:window:)``, in one trip off the loops).
    func newestAlerts(of owner: WatchOwner, scope: ReadableScope, count: Int) async throws -> Answer<(alerts: [WatchAlert], last: Int64)> {
        try await readAlerts { reader in
            try AlertScan(scope: scope) { try reader.alerts(of: owner, scope: $0, after: $1, limit: $2) }.newest(count: count)
        }
    }

    /// Runs `work` off the event loops on the reader of `watchlists.sqlite`, opened when the file
    /// first exists and again after a failure; ``Answer/noIndex`` while there is no such file.
    private func readAlerts<T: Sendable>(_ work: @escaping @Sendable (WatchAlertReader) throws -> T) async throws -> Answer<T> {
        let path = alertsFile.path
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(
                    with: Result {
                        let reader: WatchAlertReader
                        if let held = self.alertReader.withLock({ $0 }) {
                            reader = held
                        } else {
                            guard FileManager.default.fileExists(atPath: path) else { return .noIndex }
                            reader = try WatchAlertReader(path: path)
                            self.alertReader.withLock { $0 = reader }
                        }
                        do {
                            return .value(try work(reader))
                        } catch {
                            self.alertReader.withLock { $0 = nil }
                            throw error
                        }
                    })
            }
        }
    }

    private func read<T: Sendable>(_ work: @escaping @Sendable (SearchReader) throws -> T) async throws -> Answer<T> {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(
                    with: Result {
                        guard let reader = try self.reader() else { return .noIndex }
                        do {
                            return .value(try work(reader))
                        } catch {
                            // Opened again at the next request: the node may have rebuilt it.
                            self.opened.withLock { $0 = nil }
                            throw error
                        }
                    })
            }
        }
    }

    /// The reader, opened when the file first exists and again when it is another file; `nil`
    /// while there is none.
    fileprivate func reader() throws -> SearchReader? {
        guard let identity = FileIdentity(path: file.path) else { return nil }
        if let current = opened.withLock({ $0 }), current.file == identity { return current.reader }
        let reader = try SearchReader(path: file.path)
        opened.withLock { $0 = (reader, identity) }
        return reader
    }
}

extension SearchGateway: CorrelationLinkSource {
    /// The links the arrival of `bulletinID` made to earlier bulletins, for the TAXII server
    /// (already off the event loops): read at once, every scope (the TAXII engine decides each
    /// earlier bulletin with the collection's policy). No file: ``CorrelationAnswer/noIndex``
    /// (the console leaves the source out altogether when `[search] enabled = false`). A file
    /// that cannot be opened or read now (`SQLITE_BUSY`, a file being replaced) is answered
    /// ``CorrelationAnswer/unreadable`` and opened again at the next call: the engine then holds
    /// the bulletin back for at most 30 s from that failure, however old the bulletin, rather than
    /// serve it at once without the relationships an `added_after` poller would never get back.
    func earlierLinks(of bulletinID: String) throws -> CorrelationAnswer {
        guard let reference = try? BulletinReference(bulletinID) else { return .noIndex }
        do {
            guard let reader = try reader() else { return .noIndex }
            guard let links = try reader.earlierLinks(of: reference) else { return .notIndexedYet }
            return .links(
                links.map {
                    CorrelatedBulletin(earlierID: $0.other.description, kind: $0.kind.storedName, reason: $0.reason, score: $0.score)
                })
        } catch {
            opened.withLock { $0 = nil }
            return .unreadable
        }
    }
}

/// A file's device and inode: a file replaced at the same path (the node's rebuilt index) is
/// another identity. `nil` when there is no file.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var information = stat()
        guard stat(path, &information) == 0 else { return nil }
        device = UInt64(information.st_dev)
        inode = UInt64(information.st_ino)
    }
}
