import Dispatch
import Foundation
import Logging
import NodeClient
import Synchronization
import Wire

/// Sends the console's access records (sign-ins, sign-outs, bulletins opened or refused) to the
/// node's audit log (`recordAccess`, docs/AUDIT.md §3.3) without making a page wait: a request
/// handler queues a record and returns; one sender at a time takes up to 64 queued records and
/// sends them in one control request, off the event loops.
///
/// The queue is bounded (``capacity``): when it is full — the node down or stalled for long — a
/// new record is dropped, counted and logged (the first drop, then every 100th), never held in
/// memory without end. A node that cannot be reached is retried every second with the records
/// kept; a node that refuses a request (a record it finds malformed) is logged, and those records
/// dropped and counted.
final class AccessRecorder: Sendable {
    /// Records queued at most.
    let capacity: Int
    private let control: ControlClient
    private let logger: Logger
    private let state = Mutex(State())
    /// The sender's own queue: a recorder retrying an unreachable node holds only it.
    private let queue = DispatchQueue(label: "bordernet.console.access")

    private struct State {
        var queued: [ConsoleAccessRecord] = []
        var sending = false
        var dropped: UInt64 = 0
        var sent: UInt64 = 0
    }

    /// A recorder that sends through `control`.
    init(control: ControlClient, logger: Logger, capacity: Int = 1_024) {
        self.control = control
        self.logger = logger
        self.capacity = max(capacity, 1)
    }

    /// Records dropped since start (queue full, or refused by the node).
    var dropped: UInt64 { state.withLock { $0.dropped } }
    /// Records the node accepted since start.
    var sent: UInt64 { state.withLock { $0.sent } }

    /// Queues `record` and returns at once.
    func record(_ record: ConsoleAccessRecord) {
        let (start, dropped) = state.withLock { state -> (Bool, UInt64?) in
            guard state.queued.count < capacity else {
                state.dropped &+= 1
                return (false, state.dropped)
            }
            state.queued.append(record)
            guard !state.sending else { return (false, nil) }
            state.sending = true
            return (true, nil)
        }
        if let dropped, dropped == 1 || dropped % 100 == 0 {
            logger.warning(
                "console access record dropped: the queue to the node is full",
                metadata: ["capacity": "\(capacity)", "dropped": "\(dropped)", "action": "\(record.action.rawValue)"])
        }
        if start { queue.async { self.drain() } }
    }

    /// Sends until the queue is empty; runs on `queue`, one at a time.
    private func drain() {
        var failures = 0
        while true {
            let batch = state.withLock { state -> [ConsoleAccessRecord] in
                let batch = Array(state.queued.prefix(ConsoleAccessRecord.maximumPerRequest))
                if batch.isEmpty { state.sending = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let answer = try control.send(ControlRequest(command: .recordAccess, accesses: batch))
                state.withLock { state in
                    state.queued.removeFirst(batch.count)
                    if answer.ok { state.sent &+= UInt64(batch.count) } else { state.dropped &+= UInt64(batch.count) }
                }
                failures = 0
                if !answer.ok {
                    logger.error(
                        "console access records refused by the node",
                        metadata: ["records": "\(batch.count)", "error": "\(answer.error ?? "")"])
                }
            } catch {
                failures += 1
                if failures == 1 {
                    logger.warning(
                        "console access records not delivered; retrying every second",
                        metadata: ["queued": "\(state.withLock { $0.queued.count })", "error": "\(error)"])
                }
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }
}
