import ArgumentParser
import Foundation

/// `bordernet-bench`: the benchmarks behind `make bench` (docs/PERFORMANCE.md).
///
/// A separate executable rather than a `bordernet bench` subcommand: it links the benchmark
/// code and the reference peers' harness into a tool for developers, not into the binary that
/// agencies install, yet uses the same library code and runs the same release `bordernet` node
/// processes.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bordernet-bench",
        abstract: "Measure BorderNet against the cryptographic limit and against the reference peers.",
        discussion: """
            Runs, in one invocation: the ceiling (raw libsodium and our seal/open on all cores), \
            end to end (two node processes, durable stores, receipts), fan-out to 8 recipients, \
            paced latency, catch-up of a recipient that was offline, footprint, attachments (50 MiB \
            of files pulled on one link, and the latency of bulletins posted meanwhile), console page \
            latency with 100,000 bulletins (wrk) and the exchange beside a serving console, the search \
            index (1,000,000 generated bulletins indexed with correlation, searches timed; the \
            exchange with the indexer off and on), and — when \
            ../shared/bench is present — the reference C and Python peers, printing ratios. \
            Writes bench-results.json.

            Example:
              make bench
              .build/release/bordernet-bench --scale 0.1     (a quick run at a tenth of the sizes)
            """)

    @Option(help: "Fraction of the standard sizes (20,000 end to end, 100,000 catch-up and console store, 20 s paced, 10 s per console page).")
    var scale = 1.0

    @Option(help: ArgumentHelp("Where to write the results.", valueName: "file"))
    var out = "bench-results.json"

    @Option(help: ArgumentHelp("Time the searches over this search.sqlite instead of building one of 1,000,000 generated bulletins (the indexing figures and the exchange with the indexer off and on are then skipped).", valueName: "file"))
    var searchIndex: String?

    @Flag(help: "Run end to end, fan-out, latency and catch-up with the nodes' search indexer off ([search] enabled = false): the exchange's own CPU, memory and latency, without the indexer's.")
    var indexerOff = false

    @Flag(help: "Skip the reference peers even if ../shared/bench is present.")
    var skipReference = false

    @Option(help: ArgumentHelp("Run only these parts (comma-separated): ceiling, end-to-end, fan-out, latency, catch-up, attachments, console, search, reference.", valueName: "parts"))
    var only: String?

    private func wants(_ part: String) -> Bool {
        only.map { $0.split(separator: ",").contains(Substring(part)) } ?? true
    }

    func run() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent()
            .appendingPathComponent("bordernet")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ValidationError("the bordernet binary is missing beside this one (\(executable.path)); run `make bench`")
        }
        let schemas = URL(fileURLWithPath: "Schemas", isDirectory: true).standardizedFileURL
        let draft = try BenchDraft.make(schemas: schemas)
        var report = BenchReport(date: Date().formatted(.iso8601), machine: BenchReport.Machine.current())
        func say(_ text: String) {
            print("· " + text)
            fflush(nil)
        }

        if wants("ceiling") {
            say("ceiling: libsodium primitives and Exchange seal/open on \(ProcessInfo.processInfo.activeProcessorCount) cores")
            report.ceiling = try CeilingBenchmark(
                duration: 1.5, draft: draft, draftWithObservables: try BenchDraft.make(schemas: schemas, keepingObservables: true),
                schemas: schemas
            ).run()
        }
        var nodes = NodeBenchmarks(executable: executable, schemas: schemas, draft: draft, scale: scale)
        if indexerOff { nodes.indexer = false }
        // The reference peers run before and after BorderNet's parts: the machine's speed changes
        // from minute to minute, and two runs of the peers show by how much (a noisy invocation).
        let referenceFolder = skipReference || !wants("reference") ? nil : ReferencePeers.locate()
        func runReferencePeers(_ when: String) -> ReferencePeers.Figures? {
            guard let folder = referenceFolder else { return nil }
            say("reference peers (\(when) BorderNet)")
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("bn-reference-\(UUID().uuidString.prefix(6))")
            defer { try? FileManager.default.removeItem(at: work) }
            return ReferencePeers(folder: folder, work: work).run(bulletins: nodes.count(20_000), progress: say)
        }
        report.referenceBefore = runReferencePeers("before")
        if wants("end-to-end") {
            say("end to end: \(nodes.count(20_000)) bulletins MA → DZ, durable stores, receipts")
            report.endToEnd = try nodes.endToEnd()
        }
        if wants("fan-out") {
            say("fan-out: \(nodes.count(2_000)) bulletins to 8 recipients")
            report.fanOut = try nodes.fanOut()
        }
        if wants("latency") {
            say("latency: paced at 1,000/s for \(Int(20 * scale)) s")
            report.latency = try nodes.latency(rate: 1_000, seconds: 20)
        }
        if wants("catch-up") {
            say("catch-up: \(nodes.count(100_000)) bulletins to a recipient that was offline")
            report.catchUp = try nodes.catchUp()
        }
        if wants("attachments") {
            say("attachments: a bulletin with 50 MiB of files MA → DZ, bulletins paced at 200/s on the same link meanwhile")
            report.attachments = try nodes.attachments()
        }
        if wants("console") {
            guard let wrk = Wrk.locate() else {
                throw ValidationError("the console part needs wrk (apt-get install wrk; `make bench` installs it), or leave it out with --only")
            }
            say("console: \(nodes.count(100_000)) bulletins at a recipient, its console's pages measured with wrk")
            report.console = try ConsoleBenchmark(nodes: nodes, wrk: wrk).run(say: say)
        }

        if wants("search") {
            let size = nodes.count(1_000_000)
            say("search: \(size) generated bulletins indexed with correlation, then searches timed")
            report.search = try SearchBenchmark(schemas: schemas, bulletins: size, existingIndex: searchIndex).run(say: say)
        }
        if wants("search"), searchIndex == nil {
            say("search: end to end \(nodes.count(20_000)) bulletins naming two persons each, the indexer off and on, three runs each in turn")
            let persons = try BenchDraft.withPersons(schemas: schemas, count: 500)
            var off: [NodeBenchmarks.EndToEnd] = []
            var on: [NodeBenchmarks.EndToEnd] = []
            for _ in 0..<3 {
                off.append(try nodes.endToEnd(searchIndex: false, mix: persons))
                on.append(try nodes.endToEnd(searchIndex: true, mix: persons))
            }
            report.searchExchange = SearchExchangeFigures(off: off, on: on)
        }

        if skipReference || !wants("reference") {
            report.reference = ReferencePeers.Figures(notes: ["skipped (--skip-reference)"])
        } else if referenceFolder != nil {
            report.referenceAfter = runReferencePeers("after")
            if let before = report.referenceBefore, let after = report.referenceAfter {
                report.reference = ReferencePeers.Figures.mean(before, after)
                report.referenceUnstable = ReferencePeers.Figures.unstable(before, after)
            }
        } else {
            report.reference = ReferencePeers.Figures(notes: ["../shared/bench is absent: reference peers skipped"])
            say("../shared/bench is absent: the side-by-side part is skipped")
        }
        print("")
        print(report.table())
        try report.write(to: URL(fileURLWithPath: out))
        print("written to \(out)")
    }
}
