import Foundation

/// Everything one `make bench` measured, printed as a table and written as JSON.
struct BenchReport: Codable {
    struct Machine: Codable {
        var cores: Int
        var cpu: String
        var memoryGiB: Double

        static func current() -> Machine {
            let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last
            return Machine(
                cores: ProcessInfo.processInfo.activeProcessorCount,
                cpu: model.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown",
                memoryGiB: Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824)
        }
    }

    var date: String
    var machine: Machine
    var ceiling: CeilingBenchmark.Result?
    var endToEnd: NodeBenchmarks.EndToEnd?
    var fanOut: NodeBenchmarks.FanOut?
    var latency: NodeBenchmarks.Latency?
    var attachments: NodeBenchmarks.AttachmentFigures?
    var catchUp: NodeBenchmarks.CatchUp?
    var console: ConsoleBenchmark.Figures?
    var search: SearchBenchmark.Figures?
    /// End to end with the node's indexer off, then on (`[search] enabled`), runs in turn.
    var searchExchange: SearchExchangeFigures?
    /// The reference peers' figures the ratios use: the mean of the runs before and after
    /// BorderNet's parts (``referenceBefore``, ``referenceAfter``).
    var reference: ReferencePeers.Figures?
    /// The reference peers run before BorderNet's parts.
    var referenceBefore: ReferencePeers.Figures?
    /// The reference peers run after BorderNet's parts.
    var referenceAfter: ReferencePeers.Figures?
    /// The peers' figures that differ by more than 15 % between the two runs: a noisy invocation.
    var referenceUnstable: [String]?

    func write(to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: file)
    }

    /// The figures with their targets and ratios.
    func table() -> String {
        var rows: [(String, String, String)] = []
        func ratio(_ value: Double?, _ reference: Double?) -> String {
            guard let value, let reference, reference > 0 else { return "–" }
            return String(format: "%.2f×", value / reference)
        }
        func f(_ value: Double?, _ format: String = "%.0f") -> String { value.map { String(format: format, $0) } ?? "–" }
        if let ceiling {
            for name in ["bulletin.validate", "bulletin.validate.observables", "ed25519.sign", "ed25519.verify", "x25519", "xchacha20poly1305.seal.1KiB", "envelope.seal", "envelope.open", "envelope.seal.sharedKey", "envelope.open.cachedKey"] {
                rows.append(
                    ("ceiling \(name) (\(ceiling.cores) cores)", "\(f(ceiling.perSecond[name]))/s", "\(f(ceiling.microsecondsPerOperation[name], "%.1f")) µs/op/core"))
            }
            let primitivesSeal = (ceiling.microsecondsPerOperation["ed25519.sign"] ?? 0) + 2 * (ceiling.microsecondsPerOperation["x25519"] ?? 0)
                + (ceiling.microsecondsPerOperation["xchacha20poly1305.seal.1KiB"] ?? 0)
            rows.append(("seal vs its primitives (sign + 2×X25519 + AEAD)", f(primitivesSeal, "%.1f µs"), ratio(primitivesSeal, ceiling.microsecondsPerOperation["envelope.seal"])))
        }
        if let e = endToEnd {
            rows.append(("end to end \(e.bulletins) (durable, receipts)", "\(f(e.perSecond))/s", "vs C no receipts \(ratio(e.perSecond, reference?.cWithoutReceipts)) (target ≥1.0), vs Python receipts \(ratio(e.perSecond, reference?.pythonWithReceipts)) (target ≥1.0)"))
            rows.append(("  posting rate at the origin", "\(f(e.postingPerSecond))/s", "replayed \(e.replayed)"))
            rows.append((
                "  CPU per bulletin origin / recipient",
                "\(f(e.originCPUMicrosecondsPerBulletin)) / \(f(e.recipientCPUMicrosecondsPerBulletin)) µs",
                "user + system of each node; together \(f(e.originCPUMicrosecondsPerBulletin + e.recipientCPUMicrosecondsPerBulletin)) µs, target ≤250"
            ))
            rows.append(("footprint peak RSS origin / recipient", "\(e.originPeakRSS / 1_048_576) / \(e.recipientPeakRSS / 1_048_576) MiB", "target ≤64 MiB"))
            rows.append(("store bytes per bulletin origin / recipient", "\(f(e.originStoreBytesPerBulletin)) / \(f(e.recipientStoreBytesPerBulletin))", ""))
        }
        if let fan = fanOut, let seal = ceiling?.microsecondsPerOperation["envelope.seal"] {
            rows.append(("fan-out to \(fan.recipients): origin CPU per bulletin", f(fan.originCPUMicrosecondsPerBulletin, "%.0f µs"), "\(ratio(fan.originCPUMicrosecondsPerBulletin, Double(fan.recipients) * seal)) of \(fan.recipients) seals"))
        }
        if let a = attachments {
            rows.append((
                "attachments: \(a.fileBytes / 1_048_576) MiB of files MA → DZ", "\(f(a.mebibytesPerSecond, "%.1f")) MiB/s (\(f(a.transferSeconds, "%.1f")) s)",
                "post with files stored in \(f(a.postSeconds, "%.2f")) s"
            ))
            rows.append((
                "  bulletins @\(Int(a.rate))/s during the transfer p50/p99", "\(f(a.storedMillisecondsDuringTransfer.p50, "%.2f")) / \(f(a.storedMillisecondsDuringTransfer.p99, "%.2f")) ms",
                "\(a.bulletinsDuringTransfer) bulletins; goal: the usual latency"
            ))
            rows.append((
                "  bulletins @\(Int(a.rate))/s during the post with files p50/p99", "\(f(a.storedMillisecondsDuringPost.p50, "%.2f")) / \(f(a.storedMillisecondsDuringPost.p99, "%.2f")) ms",
                "\(a.bulletinsDuringPost) bulletins, while the origin seals and stores the files"
            ))
        }
        if let l = latency {
            rows.append(("latency post→stored @\(Int(l.rate))/s p50/p99/p99.9", "\(f(l.storedMilliseconds.p50, "%.2f")) / \(f(l.storedMilliseconds.p99, "%.2f")) / \(f(l.storedMilliseconds.p999, "%.2f")) ms", "target p99 ≤5 ms; Python p99 \(f(reference?.pythonPacedP99Milliseconds, "%.1f")) ms"))
            rows.append(("latency post→receipt stored p50/p99/p99.9", "\(f(l.receiptMilliseconds.p50, "%.2f")) / \(f(l.receiptMilliseconds.p99, "%.2f")) / \(f(l.receiptMilliseconds.p999, "%.2f")) ms", ""))
        }
        if let c = catchUp {
            rows.append(("catch-up of \(c.bulletins)", f(c.seconds, "%.1f s"), "\(f(c.perSecond))/s; target ≤8 s for 100,000"))
        }
        if let c = console {
            for page in c.pages {
                let m = page.measured
                rows.append((
                    "console \(page.person) \(page.name) p50/p95/p99",
                    "\(f(m.p50Milliseconds, "%.1f")) / \(f(m.p95Milliseconds, "%.1f")) / \(f(m.p99Milliseconds, "%.1f")) ms",
                    "\(f(m.perSecond))/s, \(page.rows) rows\(page.storeQueryMilliseconds.map { String(format: " (store query %.2f ms)", $0) } ?? ""), \(page.connections) conn; target p95 ≤\(f(c.targetP95Milliseconds)) ms: \(page.meetsTarget ? "met" : "MISSED")"
                ))
            }
            let e = c.exchange
            func each<T>(_ values: [T], _ format: String = "%.0f", _ value: (T) -> Double) -> String {
                values.map { f(value($0), format) }.joined(separator: ", ")
            }
            let served = e.consoleServing
            rows.append((
                "console: store of \(c.bulletins), filled over the exchange", f(c.fillSeconds, "%.1f s"),
                "console peak RSS \(c.consolePeakRSS / 1_048_576) MiB"
            ))
            rows.append((
                "  end to end \(e.plain.first?.bulletins ?? 0) on it: plain / console serving",
                "\(each(e.plain) { $0.perSecond }) / \(each(served) { $0.exchange.perSecond })/s",
                "runs in turn; console served \(each(served) { $0.consoleLoad.perSecond }) pages/s (p95 \(each(served, "%.1f") { $0.consoleLoad.p95Milliseconds }) ms), \(each(served, "%.1f") { $0.consoleCPUMillisecondsPerPage }) ms CPU/page, \(each(served, "%.2f") { $0.consoleCores }) cores"
            ))
            rows.append((
                "  CPU per bulletin origin / recipient: plain",
                "\(each(e.plain) { $0.originCPUMicrosecondsPerBulletin }) / \(each(e.plain) { $0.recipientCPUMicrosecondsPerBulletin }) µs", ""
            ))
            rows.append((
                "  CPU per bulletin origin / recipient: console serving",
                "\(each(served) { $0.exchange.originCPUMicrosecondsPerBulletin }) / \(each(served) { $0.exchange.recipientCPUMicrosecondsPerBulletin }) µs", ""
            ))
        }
        if let s = search {
            rows.append((
                "search index of \(s.bulletins): indexing + correlation", f(s.indexingMicrosecondsPerBulletin, "%.0f µs/bulletin"),
                "last tenth \(f(s.lastTenthIndexingMicrosecondsPerBulletin, "%.0f")) µs; \(f(s.linksPerBulletin, "%.2f")) links/bulletin; \(f(s.indexBytesPerBulletin)) index bytes/bulletin"
            ))
            let a = s.allSearchesMilliseconds
            rows.append((
                "  search p50/p95/p99, \(s.queries) queries", "\(f(a.p50, "%.1f")) / \(f(a.p95, "%.1f")) / \(f(a.p99, "%.1f")) ms",
                "target p95 ≤50 ms at 1,000,000: \(s.bulletins >= 1_000_000 ? (a.p95 <= 50 ? "met" : "MISSED") : "not at full size")"
            ))
            for (kind, q) in s.searchMilliseconds.sorted(by: { $0.key < $1.key }) {
                rows.append(("    \(kind) p50/p95", "\(f(q.p50, "%.1f")) / \(f(q.p95, "%.1f")) ms", "max \(f(q.max, "%.1f")) ms"))
            }
        }
        if let x = searchExchange {
            func each(_ values: [NodeBenchmarks.EndToEnd], _ value: (NodeBenchmarks.EndToEnd) -> Double) -> String {
                values.map { f(value($0)) }.joined(separator: ", ")
            }
            rows.append((
                "end to end \(x.off.first?.bulletins ?? 0): indexer off / on", "\(each(x.off) { $0.perSecond }) / \(each(x.on) { $0.perSecond })/s",
                "drop \(f(x.dropPercent, "%.1f")) % (medians; target < 10 %)"
            ))
            rows.append((
                "  indexes caught up after the last receipt", x.on.map { f($0.indexCaughtUpSeconds, "%.1f") }.joined(separator: ", ") + " s",
                "the indexer yields to the exchange (nice 19) and catches up after the burst"
            ))
            rows.append((
                "  CPU per bulletin with the index caught up, origin / recipient",
                "\(x.on.map { f($0.originCPUWithIndexMicrosecondsPerBulletin) }.joined(separator: ", ")) / \(x.on.map { f($0.recipientCPUWithIndexMicrosecondsPerBulletin) }.joined(separator: ", ")) µs",
                "exchange and indexing together"
            ))
            rows.append((
                "  recipient CPU per bulletin off / on", "\(each(x.off) { $0.recipientCPUMicrosecondsPerBulletin }) / \(each(x.on) { $0.recipientCPUMicrosecondsPerBulletin }) µs",
                "origin \(each(x.off) { $0.originCPUMicrosecondsPerBulletin }) / \(each(x.on) { $0.originCPUMicrosecondsPerBulletin }) µs"
            ))
        }
        if let before = referenceBefore, let after = referenceAfter {
            let unstable = referenceUnstable ?? []
            let verdict = unstable.isEmpty ? "steady: each throughput within 15 % before and after" : "NOISY: \(unstable.joined(separator: ", ")) differ by more than 15 %"
            rows.append(("reference C peer no receipts / receipts", "\(f(before.cWithoutReceipts)) / \(f(before.cWithReceipts))/s", "before BorderNet"))
            rows.append(("", "\(f(after.cWithoutReceipts)) / \(f(after.cWithReceipts))/s", "after"))
            rows.append(("reference Python peer no receipts / receipts", "\(f(before.pythonWithoutReceipts)) / \(f(before.pythonWithReceipts))/s", "before BorderNet"))
            rows.append(("", "\(f(after.pythonWithoutReceipts)) / \(f(after.pythonWithReceipts))/s", "after; ratios use the mean; \(verdict)"))
            let notes = before.notes + after.notes
            if !notes.isEmpty { rows.append(("reference notes", "", notes.joined(separator: "; "))) }
        } else if let r = reference {
            rows.append(("reference C peer no receipts / receipts", "\(f(r.cWithoutReceipts)) / \(f(r.cWithReceipts))/s", r.notes.joined(separator: "; ")))
            rows.append(("reference Python peer no receipts / receipts", "\(f(r.pythonWithoutReceipts)) / \(f(r.pythonWithReceipts))/s", ""))
        }
        let width = rows.map(\.0.count).max() ?? 0
        let valueWidth = rows.map(\.1.count).max() ?? 0
        let header = "BorderNet bench — \(date) — \(machine.cores) cores, \(machine.cpu), \(String(format: "%.0f", machine.memoryGiB)) GiB"
        return ([header] + rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1.padding(toLength: valueWidth, withPad: " ", startingAt: 0) + "  " + $0.2 }).joined(separator: "\n")
    }
}

/// The exchange with the node's indexer off and on, in turn (`make bench`, part `search`).
struct SearchExchangeFigures: Codable {
    var off: [NodeBenchmarks.EndToEnd]
    var on: [NodeBenchmarks.EndToEnd]

    /// How much slower the median run is with the indexer on, in percent (negative: faster).
    var dropPercent: Double {
        func median(_ runs: [NodeBenchmarks.EndToEnd]) -> Double {
            let sorted = runs.map(\.perSecond).sorted()
            return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
        }
        return (1 - median(on) / median(off)) * 100
    }
}
