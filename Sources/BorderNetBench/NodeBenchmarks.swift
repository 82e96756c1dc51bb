import Exchange
import Foundation
import Store

/// The benchmarks with real node processes on loopback: end to end, fan-out, paced latency,
/// catch-up, and the footprint seen along the way.
struct NodeBenchmarks {
    let executable: URL
    let schemas: URL
    let draft: String
    let scale: Double
    /// The nodes' search indexer in every part (`[search] enabled`); `nil` leaves the node's
    /// default (on). `bordernet-bench --indexer-off` sets it to false.
    var indexer: Bool? = nil

    struct EndToEnd: Codable {
        var bulletins: Int
        var seconds: Double
        var perSecond: Double
        var postingPerSecond: Double
        var replayed: Int
        /// CPU time (user + system) of each node process per bulletin: the cost, less sensitive
        /// than the rate to what else the machine runs.
        var originCPUMicrosecondsPerBulletin: Double
        var recipientCPUMicrosecondsPerBulletin: Double
        var originPeakRSS: Int
        var recipientPeakRSS: Int
        var originStoreBytesPerBulletin: Double
        var recipientStoreBytesPerBulletin: Double
        /// With the indexer on: how long after the last receipt both nodes' indexes held the last
        /// bulletin (the indexer yields to the exchange and catches up after a burst).
        var indexCaughtUpSeconds: Double?
        /// With the indexer on: CPU per bulletin of each node counted until the indexes caught up
        /// (the exchange's and the indexer's work together).
        var originCPUWithIndexMicrosecondsPerBulletin: Double?
        var recipientCPUWithIndexMicrosecondsPerBulletin: Double?
    }

    struct FanOut: Codable {
        var bulletins: Int
        var recipients: Int
        var originCPUMicrosecondsPerBulletin: Double
    }

    struct Latency: Codable {
        var rate: Double
        var bulletins: Int
        var storedMilliseconds: Percentiles
        var receiptMilliseconds: Percentiles
    }

    struct Percentiles: Codable {
        var p50: Double
        var p99: Double
        var p999: Double
        var max: Double

        init(_ samples: [Double]) {
            let sorted = samples.sorted()
            func at(_ q: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
            p50 = at(0.5)
            p99 = at(0.99)
            p999 = at(0.999)
            max = sorted.last ?? .nan
        }
    }

    struct CatchUp: Codable {
        var bulletins: Int
        var seconds: Double
        var perSecond: Double
    }

    func count(_ full: Int) -> Int { max(100, Int(Double(full) * scale)) }

    /// MA → DZ, durable stores and receipts, posted as fast as the origin takes them.
    /// `searchIndex`: the nodes' indexer on or off (`[search] enabled`); `nil` leaves the default.
    /// `mix`: drafts posted in turn instead of ``draft``.
    func endToEnd(searchIndex: Bool? = nil, mix: [String] = []) throws -> EndToEnd {
        let region = try BenchRegion(executable: executable, schemas: schemas)
        let enabled = searchIndex ?? indexer
        try region.create(states: ["MA", "DZ"], links: [("MA", "DZ")]) { configuration in
            if let enabled { configuration.searchEnabled = enabled }
        }
        try region.start("MA")
        try region.start("DZ")
        try region.wait(seconds: 30, "DZ to subscribe") { try region.status("MA").outgoing.first?.subscribed == true }
        let total = count(20_000)
        var pipeline = PostPipeline(directory: try region.node("MA"), draft: draft, recipients: ["DZ"])
        pipeline.mix = mix
        let cpuBefore = (region.cpuSeconds("MA") ?? 0, region.cpuSeconds("DZ") ?? 0)
        let start = Date()
        _ = try pipeline.run(count: total)
        let posting = Date().timeIntervalSince(start)
        try region.wait(seconds: 300, "every receipt") { try region.status("MA").outgoing.first?.acknowledged == UInt64(total) }
        let seconds = Date().timeIntervalSince(start)
        let cpu = ((region.cpuSeconds("MA") ?? 0) - cpuBefore.0, (region.cpuSeconds("DZ") ?? 0) - cpuBefore.1)
        let replayed = try region.status("DZ").incoming.first?.acceptedByReplay ?? 0
        var caughtUp: (seconds: Double, cpu: (Double, Double))?
        if searchIndex == true {
            let acknowledged = Date()
            try region.wait(seconds: 900, "both search indexes to hold the last bulletin") {
                try region.indexHoldsNewestBulletin("MA") && region.indexHoldsNewestBulletin("DZ")
            }
            caughtUp = (
                Date().timeIntervalSince(acknowledged),
                ((region.cpuSeconds("MA") ?? 0) - cpuBefore.0, (region.cpuSeconds("DZ") ?? 0) - cpuBefore.1)
            )
        }
        let maPeak = region.stop("MA") ?? 0
        let dzPeak = region.stop("DZ") ?? 0
        // After a clean stop SQLite has checkpointed its write-ahead log into the file.
        let maBytes = try region.storeFileBytes("MA")
        let dzBytes = try region.storeFileBytes("DZ")
        return EndToEnd(
            bulletins: total, seconds: seconds, perSecond: Double(total) / seconds, postingPerSecond: Double(total) / posting,
            replayed: replayed, originCPUMicrosecondsPerBulletin: cpu.0 * 1_000_000 / Double(total),
            recipientCPUMicrosecondsPerBulletin: cpu.1 * 1_000_000 / Double(total), originPeakRSS: maPeak, recipientPeakRSS: dzPeak,
            originStoreBytesPerBulletin: Double(maBytes) / Double(total), recipientStoreBytesPerBulletin: Double(dzBytes) / Double(total),
            indexCaughtUpSeconds: caughtUp?.seconds, originCPUWithIndexMicrosecondsPerBulletin: caughtUp.map { $0.cpu.0 * 1_000_000 / Double(total) },
            recipientCPUWithIndexMicrosecondsPerBulletin: caughtUp.map { $0.cpu.1 * 1_000_000 / Double(total) })
    }

    /// One origin, bulletins addressed to 8 neighbours (not started: the cost measured is the
    /// origin's sealing and storing).
    func fanOut() throws -> FanOut {
        let recipients = ["DZ", "TN", "LY", "EG", "ML", "NE", "MR", "SD"]
        let region = try BenchRegion(executable: executable, schemas: schemas)
        try region.create(states: ["MA"] + recipients, links: recipients.map { ("MA", $0) }) { [indexer] configuration in
            if let indexer { configuration.searchEnabled = indexer }
        }
        try region.start("MA")
        let total = count(2_000)
        let before = region.cpuSeconds("MA") ?? 0
        _ = try PostPipeline(directory: try region.node("MA"), draft: draft, recipients: recipients).run(count: total)
        let cpu = (region.cpuSeconds("MA") ?? 0) - before
        region.stop("MA")
        return FanOut(bulletins: total, recipients: recipients.count, originCPUMicrosecondsPerBulletin: cpu * 1_000_000 / Double(total))
    }

    /// Paced posting; latency from post accepted to stored at the recipient (its feed) and to
    /// the receipt stored at the origin.
    /// MA and DZ running, MA → DZ, DZ subscribed: the region of the paced measurements.
    func subscribedPair() throws -> BenchRegion {
        let region = try BenchRegion(executable: executable, schemas: schemas)
        try region.create(states: ["MA", "DZ"], links: [("MA", "DZ")]) { [indexer] configuration in
            if let indexer { configuration.searchEnabled = indexer }
        }
        try region.start("MA")
        try region.start("DZ")
        try region.wait(seconds: 30, "DZ to subscribe") { try region.status("MA").outgoing.first?.subscribed == true }
        return region
    }

    func latency(rate: Double, seconds: Double) throws -> Latency {
        let region = try subscribedPair()
        let dz = try region.node("DZ")
        let recorder = try FeedRecorder(endpoint: dz.feedEndpoint)
        let total = count(Int(rate * seconds))
        let accepted = try PostPipeline(directory: try region.node("MA"), draft: draft, recipients: ["DZ"])
            .run(count: total, rate: rate)
        try region.wait(seconds: 120, "every receipt") { try region.status("MA").outgoing.first?.acknowledged == UInt64(total) }
        let arrivals = recorder.stop()
        region.stop("MA")
        region.stop("DZ")
        let store = try BulletinStore(path: try region.node("MA").root.appendingPathComponent("store.sqlite").path)
        let timeline = try store.receiptTimeline(recipient: StateCode("DZ"))
        var stored: [Double] = []
        var acknowledged: [Double] = []
        var cursor = 0
        for post in accepted.sorted(by: { $0.sequence < $1.sequence }) {
            if let arrival = arrivals[post.id] { stored.append(Double(arrival - post.acceptedAtMicroseconds) / 1_000) }
            while cursor < timeline.count, timeline[cursor].sequence < post.sequence { cursor += 1 }
            if cursor < timeline.count {
                acknowledged.append(Double(timeline[cursor].storedAtMicroseconds - post.acceptedAtMicroseconds) / 1_000)
            }
        }
        return Latency(rate: rate, bulletins: total, storedMilliseconds: Percentiles(stored), receiptMilliseconds: Percentiles(acknowledged))
    }

    /// The recipient is down while the origin takes the bulletins; then it starts and catches up.
    func catchUp() throws -> CatchUp {
        let region = try BenchRegion(executable: executable, schemas: schemas)
        try region.create(states: ["MA", "DZ"], links: [("MA", "DZ")]) { [indexer] configuration in
            configuration.replayBatchSize = 1_000
            if let indexer { configuration.searchEnabled = indexer }
        }
        try region.start("MA")
        let total = count(100_000)
        _ = try PostPipeline(directory: try region.node("MA"), draft: draft, recipients: ["DZ"]).run(count: total)
        let start = Date()
        try region.start("DZ")
        try region.wait(seconds: 300, "the catch-up") { try region.status("DZ").incoming.first?.received == UInt64(total) }
        let seconds = Date().timeIntervalSince(start)
        region.stop("MA")
        region.stop("DZ")
        return CatchUp(bulletins: total, seconds: seconds, perSecond: Double(total) / seconds)
    }
}
