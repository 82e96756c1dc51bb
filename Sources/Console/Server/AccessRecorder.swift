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
/// memory without end. Agency records are bounded tighter (``maximumAgencyPending``, counting
/// those queued, being sent and reserved): a TAXII page that delivers bulletins first reserves
/// the place of its record (``reserveAgencyRecord()``) and is refused when none is left, so no
/// page is served whose record could be dropped here; a refusal is queued only while fewer than
/// half of those places are taken, the other half being kept for deliveries. A node that cannot be reached is retried every second with the records
/// kept; a node that refuses a request (a record it finds malformed) is logged, and those records
/// dropped and counted. When the console stops, ``finish(within:)`` makes one last bounded attempt
/// and logs how many records were not delivered.
final class AccessRecorder: Sendable {
    /// Records queued at most.
    let capacity: Int
    /// Agency records queued, being sent or reserved at most (``AgencyAccessBound/consolePending``).
    let maximumAgencyPending: Int
    private let control: ControlClient
    private let logger: Logger
    private let state = Mutex(State())
    /// The sender's own queue: a recorder retrying an unreachable node holds only it.
    private let queue = DispatchQueue(label: "bordernet.console.access")

    private struct State {
        var queued: [Queued] = []
        /// The agency records among ``queued``.
        var agencyQueued = 0
        /// Places held by ``AgencyRecordSlot``s not yet used.
        var reserved = 0
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
    init(control: ControlClient, logger: Logger, capacity: Int = 1_024, maximumAgencyPending: Int = AgencyAccessBound.consolePending) {
        self.control = control
        self.logger = logger
        self.capacity = max(capacity, 1)
        self.maximumAgencyPending = max(min(maximumAgencyPending, self.capacity), 1)
    }

    /// Records dropped since start (queue full, or refused by the node).
    var dropped: UInt64 { state.withLock { $0.dropped } }
    /// Records the node accepted since start.
    var sent: UInt64 { state.withLock { $0.sent } }
    /// The records waiting, oldest first.
    var queued: [Queued] { state.withLock { $0.queued } }
    /// Agency records queued, being sent or reserved: what ``maximumAgencyPending`` bounds.
    var agencyPending: Int { state.withLock { $0.agencyQueued + $0.reserved } }

    /// Holds the place of one agency record in the queue, or returns `nil` when the queue cannot
    /// take one more (``maximumAgencyPending`` agency records not yet taken by the node, or the
    /// whole queue full): the node is down or stalled, and a page served now could go unrecorded.
    /// Cheap (one lock), so a request asks before any work. The slot's record is queued by
    /// ``AgencyRecordSlot/recordDelivery(agency:bulletins:)`` whatever else is queued meanwhile;
    /// a slot released unused (dropped: the request failed) gives its place back.
    func reserveAgencyRecord() -> AgencyRecordSlot? {
        let held = state.withLock { state -> Bool in
            guard !state.stopping, state.queued.count + state.reserved < capacity,
                state.agencyQueued + state.reserved < maximumAgencyPending
            else { return false }
            state.reserved += 1
            return true
        }
        return held ? AgencyRecordSlot(recorder: self) : nil
    }

    /// Gives back a reserved place unused (``AgencyRecordSlot``'s end).
    fileprivate func releaseReservation() {
        state.withLock { $0.reserved = max($0.reserved - 1, 0) }
    }

    /// Queues `record` and returns at once.
    func record(_ record: ConsoleAccessRecord) {
        enqueue(.console(record), what: record.action.rawValue)
    }

    /// Queues the record of a TAXII response that delivered `bulletins` (their references,
    /// `MA-01JQ…`, at most ``AgencyAccessRecord/maximumBulletins``: one page; repeats are sent
    /// once) to the agency credential numbered `agency` (`AgencyCredential.id`, ≥ 1), and returns
    /// at once — dropped and counted when the queue is full. A TAXII page reserves its place
    /// first and records through its ``AgencyRecordSlot`` instead, which is never dropped.
    func recordAgencyDelivery(agency: Int64, bulletins: [String]) {
        enqueue(.agency(agencyDelivery(agency: agency, bulletins: bulletins)), what: "agencyDelivery")
    }

    /// The record of a delivery: each well-formed reference once, sorted, at most 100. References
    /// that do not parse, or past the 100th, would make the node refuse the request with the
    /// records around it, so they are left out here and logged (a bug in the caller, never
    /// expected); a delivery naming no credential (agency < 1) is recorded as a refusal.
    fileprivate func agencyDelivery(agency: Int64, bulletins: [String]) -> AgencyAccessRecord {
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
            return AgencyAccessRecord(agency: 0, outcome: .refused)
        }
        return AgencyAccessRecord(agency: agency, outcome: .delivered, bulletins: kept.sorted())
    }

    /// Queues the record into a place reserved by ``reserveAgencyRecord()``: never dropped.
    fileprivate func enqueueReserved(_ record: AgencyAccessRecord) {
        let start = state.withLock { state -> Bool in
            state.reserved = max(state.reserved - 1, 0)
            state.queued.append(.agency(record))
            state.agencyQueued += 1
            guard !state.sending, !state.stopping else { return false }
            state.sending = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// Queues the record of a TAXII request that was refused and returns at once: `agency` is the
    /// credential's number when the token named one (a known agency asking for what it may not
    /// read), `nil` when the request carried no valid token (missing, malformed, unknown,
    /// expired or revoked: the token itself is never sent).
    /// Dropped and counted (``dropped``) when half of ``maximumAgencyPending`` is taken: the other
    /// half is kept for the deliveries' reserved places.
    func recordAgencyRefusal(agency: Int64? = nil) {
        let number = agency.map { max($0, 0) } ?? 0
        enqueue(.agency(AgencyAccessRecord(agency: number, outcome: .refused)), what: "agencyRefusal", agencyLimit: maximumAgencyPending / 2)
    }

    /// Queues `record` unless the queue (with its reserved places) is full, or — for an agency
    /// record — `agencyLimit` agency records are pending.
    private func enqueue(_ record: Queued, what: String, agencyLimit: Int? = nil) {
        let isAgency = if case .agency = record { true } else { false }
        let (start, dropped) = state.withLock { state -> (Bool, UInt64?) in
            guard state.queued.count + state.reserved < capacity,
                !isAgency || state.agencyQueued + state.reserved < (agencyLimit ?? maximumAgencyPending)
            else {
                state.dropped &+= 1
                return (false, state.dropped)
            }
            state.queued.append(record)
            if isAgency { state.agencyQueued += 1 }
            guard !state.sending, !state.stopping else { return (false, nil) }
            state.sending = true
            return (true, nil)
        }
        if let dropped, dropped == 1 || dropped % 100 == 0 {
            logger.warning(
                "console access record dropped: the queue to the node is full (or, for an agency refusal, its share of it)",
                metadata: ["capacity": "\(capacity)", "dropped": "\(dropped)", "action": "\(what)"])
        }
        if start { queue.async { self.drain() } }
    }

    /// Sends until the queue is empty; runs on `queue`, one at a time.
    ///
    /// A failed send is retried a second later by `asyncAfter`, not by sleeping: a console whose
    /// node is down holds no dispatch worker thread asleep (the pool is shared with the pages'
    /// work, which would otherwise wait for a thread).
    private func drain(failures earlier: Int = 0) {
        var failures = earlier
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
                let retries = failures
                queue.asyncAfter(deadline: .now() + 1) { self.drain(failures: retries) }
                return
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
            state.agencyQueued = max(state.agencyQueued - agencies.count, 0)
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

/// The place of one agency record held in ``AccessRecorder``'s queue for a TAXII page being served
/// (``AccessRecorder/reserveAgencyRecord()``): its record is queued whatever else the queue holds.
/// Used once; released unused when the slot ends without a record (the request failed and
/// delivered nothing).
final class AgencyRecordSlot: Sendable {
    private let recorder: AccessRecorder
    private let used = Mutex(false)

    fileprivate init(recorder: AccessRecorder) {
        self.recorder = recorder
    }

    /// Queues the record of the response that delivered `bulletins` to the agency credential
    /// numbered `agency` (as ``AccessRecorder/recordAgencyDelivery(agency:bulletins:)``) into the
    /// place held. A second call on the same slot is ignored and logged (a bug in the caller).
    func recordDelivery(agency: Int64, bulletins: [String]) {
        guard used.withLock({ used in defer { used = true }; return !used }) else {
            return recorder.logSlotReuse()
        }
        recorder.enqueueReserved(recorder.agencyDelivery(agency: agency, bulletins: bulletins))
    }

    deinit {
        if !used.withLock({ $0 }) { recorder.releaseReservation() }
    }
}

extension AccessRecorder {
    /// A slot used twice: the second record is not queued (its place is gone).
    fileprivate func logSlotReuse() {
        logger.error("agency access record: a reserved place used twice; the second record is not queued")
    }
}
