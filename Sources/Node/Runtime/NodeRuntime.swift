import Foundation
import LocalFiles
import Logging
import NodeSetup
import SearchIndex
import Synchronization

/// A running node: it takes the data folder's lock, builds the node (keys, roster, store,
/// schemas, sockets) and serves on the calling thread until ``stop()`` is called from anywhere
/// (typically a SIGTERM or SIGINT handler).
public final class NodeRuntime: Sendable {
    /// The node's data folder.
    public let directory: NodeDirectory
    private let logger: Logger
    private let softwareVersion: String
    private let stopRequested = Atomic<Bool>(false)
    private let onIndexed: @Sendable ([IndexedBulletin]) -> Void

    /// A runtime for the node in `directory`; `softwareVersion` goes into the audit log's
    /// node-started entries. `onIndexed` runs on the search indexer's thread after each batch it
    /// commits to `search.sqlite` (docs/SEARCH.md), with what was indexed and linked.
    public init(
        directory: NodeDirectory, softwareVersion: String, logger: Logger,
        onIndexed: @escaping @Sendable ([IndexedBulletin]) -> Void = { _ in }
    ) {
        self.onIndexed = onIndexed
        self.directory = directory
        self.softwareVersion = softwareVersion
        self.logger = logger
    }

    /// Starts the node and serves until ``stop()``; returns after the sockets are closed.
    /// `onReady` runs once every socket is bound.
    public func run(onReady: () -> Void = {}) throws(NodeError) {
        let acquired: DataFolderLock?
        do {
            acquired = try DataFolderLock(directory: directory)
        } catch {
            throw .setup(error)
        }
        guard let lock = acquired else { throw .alreadyRunning(dataPath: directory.root.path) }
        defer { lock.release() }
        // Still holding the lock, so these files can only be this node's: a command that finds
        // them later would otherwise take them for a node that stopped uncleanly.
        defer { removeSocketFiles() }
        let engine = try NodeEngine(directory: directory, softwareVersion: softwareVersion, logger: logger, onIndexed: onIndexed)
        restrictSocketFiles()
        onReady()
        engine.run { stopRequested.load(ordering: .relaxed) }
        if let reason = engine.mustStop { throw .network(reason) }
    }

    /// Runs the node on a thread of its own (the I/O thread) and returns when it has stopped,
    /// without holding one of Swift concurrency's few cooperative threads for the node's life.
    public func runOnOwnThread() async throws(NodeError) {
        let outcome: Result<Void, NodeError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(NodeError) {
                    try self.run()
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.name = "bordernet-io"
            thread.stackSize = 8 << 20
            thread.start()
        }
        try outcome.get()
    }

    /// Makes `control.sock` and `feed.sock` the node's user's only (libzmq creates them with the
    /// umask, which `bordernet` sets to 077, but a program embedding the node may not).
    private func restrictSocketFiles() {
        for name in ["control.sock", "feed.sock"] {
            try? LocalFile.setPermissions(.ownerReadWrite, of: directory.root.appendingPathComponent(name).path)
        }
    }

    /// Removes `control.sock` and `feed.sock` after the node stopped.
    private func removeSocketFiles() {
        for name in ["control.sock", "feed.sock"] {
            let path = directory.root.appendingPathComponent(name).path
            do {
                try LocalFile.removeIfPresent(at: path)
            } catch {
                logger.warning(
                    "cannot remove a socket file of the stopped node", metadata: ["path": "\(path)", "error": "\(error.reason)"])
            }
        }
    }

    /// Asks the node to stop; it finishes the message in hand, closes its sockets and returns
    /// from ``run(onReady:)`` within about 100 ms. Safe from any thread.
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
    }
}
