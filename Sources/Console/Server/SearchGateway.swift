import Clearance
import Dispatch
import Exchange
import Foundation
import Logging
import SearchIndex
import Store
import Synchronization

/// The node's search index (`search.sqlite`, beside the store in its data folder; docs/SEARCH.md)
/// as the console reads it: read-only, through ``SearchReader``, every call within the reader's
/// scope and off the event loops. The node's indexer makes the file after the console may have
/// started: it is opened at the first request that finds it, and again after a failed read (a
/// removed index is rebuilt by the node).
final class SearchGateway: Sendable {
    /// What the index said, or that there is none yet.
    enum Answer<Value: Sendable>: Sendable {
        case value(Value)
        case noIndex
    }

    /// The index file.
    let file: URL
    private let opened = Mutex<SearchReader?>(nil)
    /// `watchlists.sqlite`, beside the index: where alerts are read.
    var alertsFile: URL { file.deletingLastPathComponent().appendingPathComponent("watchlists.sqlite") }
    private let alertReader = Mutex<WatchAlertReader?>(nil)
    private static let queue = DispatchQueue(label: "bordernet.console.search", attributes: .concurrent)

    init(file: URL) {
        self.file = file
    }

    /// A page of results for `query` (whose scope is the reader's), or ``Answer/noIndex``.
    func search(_ query: SearchQuery) async throws -> Answer<SearchPage> {
        try await read { try $0.search(query) }
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
                            return .value(try reader.alerts(of: owner, scope: scope, after: after, limit: limit))
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

    /// The reader, opened when the file first exists; `nil` before.
    private func reader() throws -> SearchReader? {
        if let reader = opened.withLock({ $0 }) { return reader }
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let reader = try SearchReader(path: file.path)
        opened.withLock { $0 = reader }
        return reader
    }
}
