import Foundation
import GRDB
import Synchronization

/// Copies a database's write-ahead log back into the database file from a connection and a
/// thread of its own.
///
/// SQLite normally checkpoints inside the commit that crosses 1,000 WAL pages, which makes that
/// commit, and the bulletin waiting on it, slow. With automatic checkpoints off on the writing
/// connection, this thread runs a passive checkpoint every second instead: it never blocks the
/// writer, and copies what readers allow.
final class WALCheckpointer: Sendable {
    private final class Shared: Sendable {
        let connection: DatabaseQueue
        let stopped = Atomic<Bool>(false)
        init(connection: DatabaseQueue) { self.connection = connection }
    }

    private let shared: Shared

    init(path: String, intervalSeconds: Double = 1) throws {
        var configuration = Configuration()
        configuration.label = "bordernet-store-checkpoint"
        configuration.busyMode = .timeout(1)
        let shared = Shared(connection: try DatabaseQueue(path: path, configuration: configuration))
        self.shared = shared
        let thread = Thread {
            while !shared.stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: intervalSeconds)
                guard !shared.stopped.load(ordering: .relaxed) else { break }
                // A busy database only delays the checkpoint to the next round.
                _ = try? shared.connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
            }
        }
        thread.name = "store-checkpoint"
        thread.start()
    }

    deinit {
        shared.stopped.store(true, ordering: .relaxed)
    }
}
