import Clearance
import SearchIndex

/// A person's alerts read through the index's oldest-first reading
/// (`alerts(of:scope:after:limit:)`, which returns only the alerts `scope` admits among the
/// owner's alerts after a number): with the owner's alert numbers read scope-free (numbers only,
/// nothing of them shown), a cursor moves past alerts outside the scope, and the newest alerts
/// are found without reading the whole backlog (docs/CONSOLE.md, "Watch-list").
struct AlertScan {
    /// One reading of the owner's alerts: within `scope`, after alert `after`, at most `limit`.
    typealias Read = (_ scope: ReadableScope, _ after: Int64, _ limit: Int) throws -> [WatchAlert]

    /// The most alerts one reading returns (`SearchReader.maximumAlertsPerPage`).
    static let page = 500

    let scope: ReadableScope
    let read: Read

    /// The alerts `scope` admits among the owner's next `limit` alerts after `after`, oldest
    /// first, and the cursor past every alert examined (`after` when there is none): a page
    /// wholly outside the scope still moves it. A reading that returns fewer than `limit`
    /// alerts has examined at least `limit` of the owner's alerts (or all of them), so the
    /// cursor goes to the `limit`-th alert's number, read scope-free; alerts past it are read
    /// again at the next step.
    func step(after: Int64, limit: Int) throws -> (alerts: [WatchAlert], next: Int64) {
        let limit = max(1, min(limit, Self.page))
        guard let last = try read(.everything, after, limit).last?.id else { return ([], after) }
        let admitted = try read(scope, after, limit)
        if admitted.count == limit, let end = admitted.last?.id { return (admitted, max(after, end)) }
        return (admitted.filter { $0.id <= last }, max(after, last))
    }

    /// The owner's highest alert number, whatever the scope (0 for none): galloping forward
    /// then halving, one alert a reading, at most 128 readings.
    func highest() throws -> Int64 {
        guard var low = try read(.everything, 0, 1).first?.id else { return 0 }
        var step: Int64 = 1
        var high = Int64.max
        for _ in 0..<63 {
            let (probe, overflow) = low.addingReportingOverflow(step)
            if overflow { break }
            guard let next = try read(.everything, probe, 1).first?.id else {
                high = probe
                break
            }
            low = next
            step = step < Int64.max / 2 ? step * 2 : step
        }
        // No alert above `high`; `low` is one.
        for _ in 0..<64 where low < high {
            let middle = low + (high - low) / 2
            if let next = try read(.everything, middle, 1).first?.id { low = next } else { high = middle }
        }
        return low
    }

    /// The newest `count` alerts `scope` admits, oldest first, among the owner's newest
    /// `window` alerts or so (at most `window`, at least half of it when the owner has that many),
    /// and the owner's highest alert number (0 for none): the stream goes on after it. The
    /// readings are bounded: the highest number (≤ 128), a start below it found by widening then
    /// halving a range of numbers (≤ 64 readings of `window`), then `window` alerts read forward.
    func newest(count: Int, window: Int = page) throws -> (alerts: [WatchAlert], last: Int64) {
        let window = max(1, min(window, Self.page))
        let top = try highest()
        guard top > 0 else { return ([], 0) }
        // The range (top - width, top] holds at most `window` alerts when width ≤ window.
        var fits = Int64(window)
        var tooWide: Int64?
        var width = fits
        for _ in 0..<64 {
            let start = max(0, top - width)
            let ids = try read(.everything, start, window)
            let reachesTop = ids.count < window || (ids.last?.id ?? 0) >= top
            if reachesTop {
                fits = width
                if start == 0 || ids.filter({ $0.id <= top }).count >= window / 2 { break }
            } else {
                tooWide = width
            }
            if let tooWide {
                guard tooWide - fits > 1 else { break }
                width = fits + (tooWide - fits) / 2
            } else {
                width = width < Int64.max / 2 ? width * 2 : Int64.max
            }
        }
        var after = max(0, top - fits)
        var found: [WatchAlert] = []
        for _ in 0..<(window / Self.page + 2) where after < top {
            let (alerts, next) = try step(after: after, limit: Self.page)
            found = Array((found + alerts.filter { $0.id <= top }).suffix(count))
            guard next > after else { break }
            after = next
        }
        return (found, top)
    }
}
