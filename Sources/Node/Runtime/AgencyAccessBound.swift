/// The rate bound on agency access records (docs/AUDIT.md §3.3, kind 52): a bucket of
/// ``burst`` records that refills at ``perSecond`` a second. A TAXII client catching up — 10,000
/// bulletins at 100 a page is 100 requests, made as fast as the server answers — fits in the
/// burst whole, so no record of it is dropped; a console that floods its node (compromised, or
/// broken) adds at most ``burst`` entries and then ``perSecond`` a second. Records over the bound
/// are counted; the engine writes the count in the interval's `consoleAccessDropped` entry.
///
/// Pure bookkeeping on the clock it is given: the engine logs, audits and counts what it returns.
struct AgencyAccessBound {
    /// The records admitted at once from a full bucket.
    let burst: Int
    /// The records the bucket regains a second.
    let perSecond: Int
    /// Records the bucket holds now, in thousandths (whole refills of partial seconds).
    private var available: Int
    private var lastRefill: ContinuousClock.Instant?
    /// Records dropped since the last ``closeInterval()``.
    private(set) var droppedInInterval: UInt64 = 0

    /// A bound of `burst` records at once (at least 1) and `perSecond` a second (at least 1).
    init(burst: Int, perSecond: Int) {
        self.burst = max(burst, 1)
        self.perSecond = max(perSecond, 1)
        available = self.burst * 1_000
    }

    /// How many of `count` records arriving at `now` may be written; the others are counted as
    /// dropped.
    mutating func admit(_ count: Int, now: ContinuousClock.Instant) -> Int {
        if let last = lastRefill, now > last {
            let (seconds, attoseconds) = (now - last).components
            // Thousandths of a record regained: perSecond per second, capped at a full bucket.
            let milliseconds = min(seconds, Int64(burst)) * 1_000 + attoseconds / 1_000_000_000_000_000
            available = min(burst * 1_000, available + Int(milliseconds) * perSecond)
        }
        if lastRefill.map({ now > $0 }) ?? true { lastRefill = now }
        let wanted = max(count, 0)
        let admitted = min(wanted, available / 1_000)
        available -= admitted * 1_000
        droppedInInterval &+= UInt64(wanted - admitted)
        return admitted
    }

    /// Ends the summary interval: the records dropped in it (0 when none), and a new count.
    mutating func closeInterval() -> UInt64 {
        defer { droppedInInterval = 0 }
        return droppedInInterval
    }
}
