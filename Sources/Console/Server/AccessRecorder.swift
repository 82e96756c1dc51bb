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
/// dropped and counted. When the console stops, ``finish(within:)`` makes one last bounded attempt
/// and logs how many records were not delivered.
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
        /// Set by ``finish(within:)``: the sender stops retrying, the last attempt takes over.
        var stopping = false
    }

    /// The longest ``finish(within:)`` holds the console's stop by default.
    static let finishBound: Duration = .seconds(2)

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
            guard !state.sending, !state.stopping else { return (false, nil) }
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
                // Stopping: the last attempt (``finish(within:)``, next on this queue) sends the rest.
                let batch = state.stopping ? [] : Array(state.queued.prefix(ConsoleAccessRecord.maximumPerRequest))
                if batch.isEmpty { state.sending = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try send(batch, through: control)
                failures = 0
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

    /// Sends `batch` (the first records of the queue) and takes it off the queue; counts it sent,
    /// or dropped when the node refuses it. Throws when the node does not answer: the batch stays.
    private func send(_ batch: [ConsoleAccessRecord], through client: ControlClient) throws {
        let answer = try client.send(ControlRequest(command: .recordAccess, accesses: batch))
        state.withLock { state in
            state.queued.removeFirst(batch.count)
            if answer.ok { state.sent &+= UInt64(batch.count) } else { state.dropped &+= UInt64(batch.count) }
        }
        if !answer.ok {
            logger.error(
                "console access records refused by the node", metadata: ["records": "\(batch.count)", "error": "\(answer.error ?? "")"])
        }
    }

    /// At the console's stop: stops retrying, makes one last attempt to send what is queued, and
    /// returns within `limit` whatever the node does — then logs `N access records not delivered`
    /// (warning) when some are left. Returns how many are left (a request still under way at the
    /// bound counts as not delivered; the node may still write it).
    @discardableResult
    func finish(within limit: Duration = finishBound) -> Int {
        let deadline = ContinuousClock.now + limit
        state.withLock { $0.stopping = true }
        let done = DispatchSemaphore(value: 0)
        // On the sender's queue: after a running drain, which stops at its next batch or retry.
        queue.async {
            self.lastAttempt(until: deadline)
            done.signal()
        }
        _ = done.wait(timeout: .now() + .milliseconds(Self.milliseconds(until: deadline)))
        let left = state.withLock { $0.queued.count }
        if left > 0 {
            logger.warning(
                "\(left) access records not delivered: the console stopped before the node took them",
                metadata: ["records": "\(left)", "bound": "\(limit)"])
        }
        return left
    }

    /// Sends the queued records once, each request bounded by what is left of `deadline`; stops at
    /// the first failure (no retry).
    private func lastAttempt(until deadline: ContinuousClock.Instant) {
        while true {
            let batch = state.withLock { Array($0.queued.prefix(ConsoleAccessRecord.maximumPerRequest)) }
            let remaining = Self.milliseconds(until: deadline)
            guard !batch.isEmpty, remaining > 0 else { return }
            let client = ControlClient(directory: control.directory, timeoutMilliseconds: min(control.timeoutMilliseconds, remaining))
            do {
                try send(batch, through: client)
            } catch {
                return
            }
        }
    }

    /// Whole milliseconds from now to `deadline`, 0 when it has passed.
    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let (seconds, attoseconds) = max(deadline - ContinuousClock.now, .zero).components
        return Int(clamping: seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
