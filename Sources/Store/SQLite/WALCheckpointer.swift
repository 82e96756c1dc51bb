import Foundation
import GRDB
import Synchronization

/// Copies a database's write-ahead log back into the database file from a connection and a
/// thread of its own, until it is released.
///
/// SQLite normally checkpoints inside the commit that crosses 1,000 WAL pages, which makes that
/// commit, and the bulletin waiting on it, tens of milliseconds slow (a node that commits once
/// per loop iteration crosses it about every second under load). With automatic checkpoints off
/// on the writing connection (`PRAGMA wal_autocheckpoint = 0`), this thread runs a passive
/// checkpoint every `intervalSeconds` instead: it never blocks the writer, copies what readers
/// allow, and keeps each checkpoint small. The store uses one; the node runs another for its
/// audit log.
public final class WALCheckpointer: Sendable {
    private final class Shared: Sendable {
        let connection: DatabaseQueue
        let stopped = Atomic<Bool>(false)
        init(connection: DatabaseQueue) { self.connection = connection }
    }

    private let shared: Shared

    /// Starts checkpointing the SQLite database at `path` (in WAL mode) every `intervalSeconds`.
    /// Throws ``StoreError/cannotOpen(file:path:cause:)`` when its connection cannot be opened;
    /// `file` names the database in that error (`audit log`).
    public init(path: String, file: String = "database", intervalSeconds: Double = 0.2) throws(StoreError) {
        var configuration = Configuration()
        configuration.label = "bordernet-checkpoint"
        configuration.busyMode = .timeout(1)
        let connection: DatabaseQueue
        do {
            connection = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(file: "\(file) (its checkpoint connection)", path: path, cause: error)
        }
        let shared = Shared(connection: connection)
        self.shared = shared
        let thread = Thread {
            while !shared.stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: intervalSeconds)
                guard !shared.stopped.load(ordering: .relaxed) else { break }
                // A busy database only delays the checkpoint to the next round.
                _ = try? shared.connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
            }
        }
        thread.name = "wal-checkpoint"
        thread.start()
    }

    deinit {
        shared.stopped.store(true, ordering: .relaxed)
    }
}
