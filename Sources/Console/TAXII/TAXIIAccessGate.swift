import Logging
import Synchronization
import Wire

/// The limits of ``TAXIIAccessGate`` (docs/TAXII.md, "Limits"; docs/AUDIT.md §3.3).
struct TAXIIAccessLimits: Sendable {
    /// Records at once, all agencies and refusals together (``AgencyAccessBound/consoleBurst``).
    var burst = AgencyAccessBound.consoleBurst
    /// Records regained a second (``AgencyAccessBound/consolePerSecond``).
    var perSecond = AgencyAccessBound.consolePerSecond
    /// One agency's pages at once (100 objects each: a few hundred bulletins), leaving the rest
    /// of ``burst`` to the others.
    var agencyBurst = 100
    /// One agency's pages regained a second: a little over half of ``perSecond``.
    var agencyPerSecond = 5
    /// Refusals are recorded only while the shared bucket holds more than this: the rest is the
    /// deliveries'.
    var deliveryReserve = 100

    /// The limits the console serves with.
    static let standard = TAXIIAccessLimits()
}

/// Decides, before any work, whether a TAXII request may be served and recorded within the node's
/// bound on agency records (``AgencyAccessBound``): one shared bucket, stricter than the node's,
/// that every record takes from — deliveries from all of it, refusals only from what lies above
/// ``TAXIIAccessLimits/deliveryReserve`` — and a bucket per agency, so that one agency catching up
/// takes at most its share. A delivery that finds either empty is answered 429 with the seconds
/// until both hold a record; a refusal that finds no share left is not recorded, only counted and
/// logged (the first, then at most once every 10 s with the count since).
///
/// Pure bookkeeping under a lock, on the clock it is given (tests freeze it).
final class TAXIIAccessGate: Sendable {
    let limits: TAXIIAccessLimits
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let logger: Logger
    private let state: Mutex<State>
    /// Agencies' buckets kept at most; past it, the full ones (idle agencies) are forgotten.
    static let maximumAgencies = 1_024
    /// The shortest time between two log lines about refusals not recorded.
    static let refusalLogInterval: Duration = .seconds(10)

    private struct State {
        var shared: AgencyAccessBound
        var agencies: [Int64: AgencyAccessBound] = [:]
        var refusalsNotRecorded: UInt64 = 0
        var notLogged: UInt64 = 0
        var lastLog: ContinuousClock.Instant?
    }

    init(limits: TAXIIAccessLimits = .standard, logger: Logger, clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.limits = limits
        self.clock = clock
        self.logger = logger
        state = Mutex(State(shared: AgencyAccessBound(burst: limits.burst, perSecond: limits.perSecond)))
    }

    /// Refusals not recorded since start (over their share of the bound).
    var refusalsNotRecorded: UInt64 { state.withLock { $0.refusalsNotRecorded } }

    /// Takes one record for a page delivered to the agency numbered `agency`: `nil` when taken,
    /// else the whole seconds (≥ 1) until the shared bucket and the agency's both hold one.
    func admitDelivery(agency: Int64) -> Int? {
        state.withLock { state -> Int? in
            let now = clock()
            if state.agencies[agency] == nil, state.agencies.count >= Self.maximumAgencies {
                state.agencies = state.agencies.filter { _, bucket in
                    var bucket = bucket
                    return bucket.availableRecords(now: now) < bucket.burst
                }
            }
            var own = state.agencies[agency] ?? AgencyAccessBound(burst: limits.agencyBurst, perSecond: limits.agencyPerSecond)
            defer { state.agencies[agency] = own }
            guard state.shared.availableRecords(now: now) >= 1, own.availableRecords(now: now) >= 1 else {
                return max(state.shared.secondsUntil(1, now: now), own.secondsUntil(1, now: now), 1)
            }
            _ = state.shared.admit(1, now: now)
            _ = own.admit(1, now: now)
            return nil
        }
    }

    /// Takes one record for a refusal from the refusals' share: `true` when it may be recorded;
    /// `false` (counted, logged now and then) when the shared bucket holds no more than the
    /// deliveries' reserve.
    func admitRefusal() -> Bool {
        let (admitted, log) = state.withLock { state -> (Bool, (count: UInt64, total: UInt64)?) in
            let now = clock()
            if state.shared.admit(1, keeping: limits.deliveryReserve, now: now) == 1 { return (true, nil) }
            state.refusalsNotRecorded &+= 1
            state.notLogged &+= 1
            if let last = state.lastLog, now - last < Self.refusalLogInterval { return (false, nil) }
            state.lastLog = now
            defer { state.notLogged = 0 }
            return (false, (state.notLogged, state.refusalsNotRecorded))
        }
        if let log {
            logger.warning(
                "TAXII refusals not recorded: over their share of the node's bound on agency records (deliveries keep theirs)",
                metadata: ["refusals": "\(log.count)", "total": "\(log.total)"])
        }
        return admitted
    }
}
