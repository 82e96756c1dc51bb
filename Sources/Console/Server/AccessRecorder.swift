import Dispatch
import Exchange
import Foundation
import Logging
import NodeClient
import Synchronization
import Wire

/// Sends the console's access records (sign-ins, sign-outs, bulletins opened or refused; agency
/// systems' TAXII requests and the bulletins delivered) to the node's audit log (`recordAccess`,
/// docs/AUDIT.md §3.3) without making a page wait: a request handler queues a record and returns;
/// one sender at a time takes the first queued records — up to 64 console records and 8 agency
/// records — and sends them in one control request, off the event loops.
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
        var queued: [Queued] = []
        var sending = false
        var dropped: UInt64 = 0
        var sent: UInt64 = 0
        /// Set by ``finish(within:)``: the sender stops retrying, the last attempt takes over.
        var stopping = false
    }

    /// A queued record of either kind, in the order recorded.
    enum Queued: Sendable, Equatable {
        case console(ConsoleAccessRecord)
        case agency(AgencyAccessRecord)
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
    /// The records waiting, oldest first.
    var queued: [Queued] { state.withLock { $0.queued } }

    /// Queues `record` and returns at once.
    func record(_ record: ConsoleAccessRecord) {
        enqueue(.console(record), what: record.action.rawValue)
    }

    /// Queues the record of a TAXII response that delivered `bulletins` (their references,
    /// `MA-01JQ…`, at most ``AgencyAccessRecord/maximumBulletins``: one page; repeats are sent
    /// once) to the agency credential numbered `agency` (`AgencyCredential.id`, ≥ 1), and returns
    /// at once. Call it once per response that carried bulletins — or none, for a poll that found
    /// nothing new: every fetch is an access. References that do not parse, or past the 100th,
    /// would make the node refuse the request with the records around it, so they are left out
    /// here and logged (a bug in the caller, never expected).
    func recordAgencyDelivery(agency: Int64, bulletins: [String]) {
        var seen = Set<String>()
        var kept: [String] = []
        var leftOut = 0
        for text in bulletins {
            guard kept.count < AgencyAccessRecord.maximumBulletins, (try? BulletinReference(text)) != nil else {
                leftOut += 1
                continue
            }
            if seen.insert(text).inserted { kept.append(text) }
        }
        if leftOut > 0 {
            logger.error(
                "agency access record: bulletin references left out (not references, or past the 100 of a page)",
                metadata: ["agency": "\(agency)", "leftOut": "\(leftOut)"])
        }
        guard agency >= 1 else {
            logger.error("agency access record: a delivery names agency \(agency), not a credential's number; recorded as refused")
            return recordAgencyRefusal(agency: nil)
        }
        enqueue(.agency(AgencyAccessRecord(agency: agency, outcome: .delivered, bulletins: kept.sorted())), what: "agencyDelivery")
    }

    /// Queues the record of a TAXII request that was refused and returns at once: `agency` is the
    /// credential's number when the token named one (a known agency asking for what it may not
    /// read), `nil` when the request carried no valid token (missing, malformed, unknown,
    /// expired or revoked: the token itself is never sent).
    func recordAgencyRefusal(agency: Int64? = nil) {
        let number = agency.map { max($0, 0) } ?? 0
        enqueue(.agency(AgencyAccessRecord(agency: number, outcome: .refused)), what: "agencyRefusal")
    }

    private func enqueue(_ record: Queued, what: String) {
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
                metadata: ["capacity": "\(capacity)", "dropped": "\(dropped)", "action": "\(what)"])
        }
        if start { queue.async { self.drain() } }
    }

    /// Sends until the queue is empty; runs on `queue`, one at a time.
    private func drain() {
        var failures = 0
        while true {
            let batch = state.withLock { state -> [Queued] in
                // Stopping: the last attempt (``finish(within:)``, next on this queue) sends the rest.
                let batch = state.stopping ? [] : Self.nextBatch(state.queued)
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
    private func send(_ batch: [Queued], through client: ControlClient) throws {
        var console: [ConsoleAccessRecord] = []
        var agencies: [AgencyAccessRecord] = []
        for record in batch {
            switch record {
            case .console(let access): console.append(access)
            case .agency(let access): agencies.append(access)
            }
        }
        let answer = try client.send(
            ControlRequest(
                command: .recordAccess, accesses: console.isEmpty ? nil : console, agencyAccesses: agencies.isEmpty ? nil : agencies))
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
            let batch = state.withLock { Self.nextBatch($0.queued) }
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

    /// The first queued records that one request carries: in order, up to
    /// ``ConsoleAccessRecord/maximumPerRequest`` console records and
    /// ``AgencyAccessRecord/maximumPerRequest`` agency records, stopping at the first record
    /// that would pass either.
    static func nextBatch(_ queued: [Queued]) -> [Queued] {
        var console = 0
        var agencies = 0
        var count = 0
        for record in queued {
            switch record {
            case .console:
                guard console < ConsoleAccessRecord.maximumPerRequest else { return Array(queued.prefix(count)) }
                console += 1
            case .agency:
                guard agencies < AgencyAccessRecord.maximumPerRequest else { return Array(queued.prefix(count)) }
                agencies += 1
            }
            count += 1
        }
        return queued
    }

    /// Whole milliseconds from now to `deadline`, 0 when it has passed.
    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let (seconds, attoseconds) = max(deadline - ContinuousClock.now, .zero).components
        return Int(clamping: seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
