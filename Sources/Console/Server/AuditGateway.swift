import AuditCollection
import Dispatch
import Exchange
import Foundation
import Synchronization

/// Everything the secretariat's console asks of the collection, and nothing more: the typed,
/// read-only ``CollectionReader`` over `collected.sqlite`. The console opens no other file of the
/// secretariat's folder (not its roster key, not its transport keys), posts nothing and reaches
/// no node.
///
/// The reconciliation reads every collected entry (bounded by ``maximumEntries``), so it is made
/// once per version of the store — a new head, finding or attempt — on one serial queue, and
/// every page in between reads the copy kept here.
struct AuditGateway: Sendable {
    /// The secretariat's folder, for the page title; only `collected.sqlite` in it is opened.
    let folder: URL
    private let reader: CollectionReader
    private let cache = Cache()
    /// Entries one reconciliation may read.
    let maximumEntries: UInt64
    /// The lateness limit of the matrix, ms (as `audit report`'s default).
    let lateAfterMilliseconds: UInt64

    /// The last reconciliation made, shared by every copy of the gateway.
    final class Cache: Sendable {
        let value = Mutex<CollectionReconciliation?>(nil)
    }

    private static let queue = DispatchQueue(label: "bordernet.console.collection", attributes: .concurrent)
    private static let reconciling = DispatchQueue(label: "bordernet.console.reconciliation")

    init(secretariat folder: URL, maximumEntries: UInt64 = CollectionReader.defaultMaximumEntries, lateAfterMilliseconds: UInt64 = 60_000) throws {
        self.folder = folder
        reader = try CollectionReader(path: folder.appendingPathComponent("collected.sqlite").path)
        self.maximumEntries = maximumEntries
        self.lateAfterMilliseconds = lateAfterMilliseconds
    }

    private static func offload<T: Sendable>(on queue: DispatchQueue = queue, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    func nodes() async throws -> [CollectedNode] {
        let reader = self.reader
        return try await Self.offload { try reader.nodes() }
    }

    func node(_ state: StateCode) async throws -> CollectedNode? {
        let reader = self.reader
        return try await Self.offload { try reader.node(state) }
    }

    func acceptedHeads(of state: StateCode, limit: Int) async throws -> [HeadSummary] {
        let reader = self.reader
        return try await Self.offload { try reader.acceptedHeads(of: state, limit: limit) }
    }

    func findings(_ query: FindingQuery) async throws -> FindingPage {
        let reader = self.reader
        return try await Self.offload { try reader.findings(query) }
    }

    func history(state: StateCode?, before: Int64?, maximumAttempts: Int) async throws -> CollectionHistoryPage {
        let reader = self.reader
        return try await Self.offload { try reader.history(state: state, before: before, maximumAttempts: maximumAttempts) }
    }

    /// The reconciliation of the store as it is now: the kept one while the store has not
    /// changed, else a new one (one at a time; a request that waited finds it made).
    func reconciliation() async throws -> CollectionReconciliation {
        let reader = self.reader, cache = self.cache, maximum = maximumEntries, late = lateAfterMilliseconds
        return try await Self.offload(on: Self.reconciling) {
            let version = try reader.version()
            if let kept = cache.value.withLock({ $0 }), kept.version == version { return kept }
            let made = try reader.reconcile(lateAfterMilliseconds: late, maximumEntries: maximum)
            cache.value.withLock { $0 = made }
            return made
        }
    }
}
