/// The rate bound on the console's access records (docs/AUDIT.md §3.3): at most ``perSecond``
/// records are written one by one in each one-second window; the rest are counted, and the count
/// is written as one `consoleAccessDropped` entry at the end of the summary interval. A console
/// that floods the node (compromised, or broken) thus adds at most ``perSecond`` entries a second
/// plus one per interval, and the flood itself is on record.
///
/// Pure bookkeeping on the clock it is given: the engine logs, audits and counts what it returns.
struct ConsoleAccessBound {
    /// Records written one by one per one-second window.
    let perSecond: Int
    private var windowStart: ContinuousClock.Instant?
    private var admittedInWindow = 0
    /// Records dropped since the last ``closeInterval()``.
    private(set) var droppedInInterval: UInt64 = 0

    /// A bound of `perSecond` records a second (at least 1).
    init(perSecond: Int) {
        self.perSecond = max(perSecond, 1)
    }

    /// How many of `count` records arriving at `now` may be written; the others are counted as
    /// dropped. A window starts at the first record after the previous one ended.
    mutating func admit(_ count: Int, now: ContinuousClock.Instant) -> Int {
        if let start = windowStart, now - start < .seconds(1) {
            // Same window.
        } else {
            windowStart = now
            admittedInWindow = 0
        }
        let admitted = min(max(count, 0), perSecond - admittedInWindow)
        admittedInWindow += admitted
        droppedInInterval &+= UInt64(max(count, 0) - admitted)
        return admitted
    }

    /// Ends the summary interval: the records dropped in it (0 when none), and a new count.
    mutating func closeInterval() -> UInt64 {
        defer { droppedInInterval = 0 }
        return droppedInInterval
    }
}
