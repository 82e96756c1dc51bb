/// The rate bound on agency access records (docs/AUDIT.md §3.3, kind 52): a bucket of
/// ``burst`` records that refills at ``perSecond`` a second.
///
/// The node writes `agencyAccess` entries within one of ``nodeBurst`` and ``nodePerSecond``: a
/// burst of TAXII pages made as fast as the server answers (a client starting to catch up) fits in
/// it whole, and a console that floods its node (compromised, or
/// broken) adds at most ``nodeBurst`` entries and then ``nodePerSecond`` a second. Records over
/// the bound are counted; the engine writes the count in the interval's `consoleAccessDropped`
/// entry.
///
/// The console's TAXII server keeps a bucket of its own, stricter (``consoleBurst``,
/// ``consolePerSecond``), takes from it before it serves a page, and answers 429 when it is empty
/// (docs/TAXII.md, "Limits"), so that every page it delivers has a record the node writes. Records
/// reach the node later than the console takes them (queued, the node stalled), so the console
/// also holds at most ``consolePending`` agency records not yet taken by the node: whatever the
/// delays, the records that reach the node in any span of `t` seconds number at most
/// `consoleBurst + consolePending + consolePerSecond·t` ≤ `nodeBurst + nodePerSecond·t`.
///
/// Pure bookkeeping on the clock it is given: the caller logs, audits and counts what it returns.
public struct AgencyAccessBound: Sendable {
    /// The node's burst: a catch-up of 100 pages fits whole, twice.
    public static let nodeBurst = 200
    /// The records the node's bound regains a second.
    public static let nodePerSecond = 10
    /// The console's burst (all agencies and refusals together): ``nodeBurst`` less
    /// ``consolePending``.
    public static let consoleBurst = 160
    /// The records the console's bound regains a second: under ``nodePerSecond``, leaving the
    /// node's clock and its whole-millisecond refills some slack.
    public static let consolePerSecond = 9
    /// Agency records the console holds at most that the node has not yet taken (queued, being
    /// sent, or reserved for a page being served).
    public static let consolePending = 40

    /// The records admitted at once from a full bucket.
    public let burst: Int
    /// The records the bucket regains a second.
    public let perSecond: Int
    /// Records the bucket holds now, in thousandths (whole refills of partial seconds).
    private var available: Int
    private var lastRefill: ContinuousClock.Instant?
    /// Records dropped since the last ``closeInterval()``.
    public private(set) var droppedInInterval: UInt64 = 0

    /// A bound of `burst` records at once (at least 1) and `perSecond` a second (at least 1).
    public init(burst: Int, perSecond: Int) {
        self.burst = max(burst, 1)
        self.perSecond = max(perSecond, 1)
        available = self.burst * 1_000
    }

    /// How many of `count` records arriving at `now` may be written, taking only from what the
    /// bucket holds above `reserve` records (0: all of it); the others are counted as dropped.
    public mutating func admit(_ count: Int, keeping reserve: Int = 0, now: ContinuousClock.Instant) -> Int {
        refill(now: now)
        let wanted = max(count, 0)
        let admitted = min(wanted, max(available / 1_000 - max(reserve, 0), 0))
        available -= admitted * 1_000
        droppedInInterval &+= UInt64(wanted - admitted)
        return admitted
    }

    /// The whole records the bucket holds at `now`; takes none.
    public mutating func availableRecords(now: ContinuousClock.Instant) -> Int {
        refill(now: now)
        return available / 1_000
    }

    /// Whole seconds from `now` until the bucket holds `count` records (at most ``burst``): 0
    /// when it holds them already.
    public mutating func secondsUntil(_ count: Int, now: ContinuousClock.Instant) -> Int {
        refill(now: now)
        let missing = min(max(count, 0), burst) * 1_000 - available
        guard missing > 0 else { return 0 }
        // Thousandths regained a second: perSecond × 1,000; rounded up.
        return (missing + perSecond * 1_000 - 1) / (perSecond * 1_000)
    }

    /// Ends the summary interval: the records dropped in it (0 when none), and a new count.
    public mutating func closeInterval() -> UInt64 {
        defer { droppedInInterval = 0 }
        return droppedInInterval
    }

    /// Adds what the time since the last refill regains, capped at a full bucket. The clock
    /// advances by the whole milliseconds counted only, so no fraction is lost between calls.
    private mutating func refill(now: ContinuousClock.Instant) {
        guard let last = lastRefill else {
            lastRefill = now
            return
        }
        guard now > last else { return }
        let (seconds, attoseconds) = (now - last).components
        guard seconds < Int64(burst) else {
            available = burst * 1_000
            lastRefill = now
            return
        }
        // Thousandths of a record regained: perSecond per second.
        let milliseconds = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        available = min(burst * 1_000, available + Int(milliseconds) * perSecond)
        lastRefill = last + .milliseconds(milliseconds)
    }
}
