import ConsoleAccounts
import Exchange
import Foundation
import Region
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// The console part (docs/PERFORMANCE.md): page latency of `bordernet console serve` on a
/// recipient holding 100,000 bulletins, measured with `wrk`, and the exchange while the console
/// serves a paced load beside the node.
///
/// The store is filled the way bulletins reach a recipient: MA posts to DZ over the exchange (two
/// release node processes, durable stores, receipts), a mix of markings (``BenchDraft/markings``)
/// so that a reader's clearance filters something. People are created with
/// `bordernet console user add` and sign in over HTTP like a browser (CSRF token, one-time
/// password replaced).
struct ConsoleBenchmark {
    let nodes: NodeBenchmarks
    let wrk: URL

    /// The issue's target for every page.
    static let targetP95Milliseconds = 50.0
    /// Connections `wrk` keeps open on each page (each sends its next request when answered).
    static let connections = 4
    /// The paced load while the exchange runs: connections, and the pause after each answer.
    static let pacedConnections = 4
    static let pacedDelayMilliseconds = 100
    /// The TAXII pages' pace: under 4 a second, within one agency's bound (docs/TAXII.md, "Limits").
    static let taxiiDelayMilliseconds = 250

    /// One page measured.
    struct Page: Codable {
        var name: String
        /// `officer` (sees every bulletin) or `reader` (customs and security, up to AMBER, law
        /// enforcement); `agency` for the TAXII pages (a TAXII credential with the reader's grant).
        var person: String
        var path: String
        /// Bulletins the page listed (1 for a bulletin page; STIX objects for a TAXII page), checked
        /// before measuring.
        var rows: Int
        var bytes: Int
        /// The page's store query alone (`BulletinReader.page`, in this process): median of 50.
        var storeQueryMilliseconds: Double?
        var connections: Int
        var measured: Wrk.Result
        var meetsTarget: Bool
    }

    /// One exchange of bulletins MA → DZ on the filled store.
    struct ExchangeRun: Codable {
        var bulletins: Int
        var seconds: Double
        var perSecond: Double
        var originCPUMicrosecondsPerBulletin: Double
        var recipientCPUMicrosecondsPerBulletin: Double
    }

    /// One exchange run while the console serves the paced load, and what the load measured.
    struct ServingRun: Codable {
        var exchange: ExchangeRun
        /// What the paced `wrk` measured over the run.
        var consoleLoad: Wrk.Result
        /// The console process's CPU (user + system) per page served during the run.
        var consoleCPUMillisecondsPerPage: Double
        /// The console's CPU over the run, in cores (1.0: one core all the time).
        var consoleCores: Double
    }

    /// The exchange on the filled store, alternately without and with the console serving a
    /// paced load (``rounds`` of each), so that a change of the machine's speed falls on both.
    struct ExchangeBesideConsole: Codable {
        var rounds: Int
        var plain: [ExchangeRun]
        var consoleServing: [ServingRun]
        var pacing: String
    }

    struct Figures: Codable {
        var bulletins: Int
        var fillSeconds: Double
        var targetP95Milliseconds: Double
        var pages: [Page]
        var exchange: ExchangeBesideConsole
        var consolePeakRSS: Int
    }

    /// Seconds `wrk` spends on each page: 10 at scale 1.
    var secondsPerPage: Int { max(2, Int((10 * nodes.scale).rounded())) }

    func run(say: (String) -> Void) throws -> Figures {
        let region = try BenchRegion(executable: nodes.executable, schemas: nodes.schemas)
        try region.create(states: ["MA", "DZ"], links: [("MA", "DZ")])
        try region.start("MA")
        try region.start("DZ")
        try region.wait(seconds: 30, "DZ to subscribe") { try region.status("MA").outgoing.first?.subscribed == true }

        let total = nodes.count(100_000)
        var fill = PostPipeline(directory: try region.node("MA"), draft: nodes.draft, recipients: ["DZ"])
        fill.mix = try BenchDraft.mix(of: nodes.draft)
        let fillStart = Date()
        let accepted = try fill.run(count: total)
        try region.wait(seconds: 300, "every receipt of the fill") { try region.status("MA").outgoing.first?.acknowledged == UInt64(total) }
        let fillSeconds = Date().timeIntervalSince(fillStart)
        say("console: \(total) bulletins stored at DZ in \(String(format: "%.1f", fillSeconds)) s; starting its console")

        let dz = try region.node("DZ")
        let folder = region.root.appendingPathComponent("console-dz")
        let officerPassword = "bench-officer-" + UUID().uuidString
        let readerPassword = "bench-reader-" + UUID().uuidString
        try addUser(folder, "officer", password: officerPassword, ["--role", "officer", "--tlp", "RED", "--agency", "law-enforcement"])
        try addUser(
            folder, "reader", password: readerPassword,
            ["--role", "reader", "--working-groups", "customs,security", "--tlp", "AMBER", "--agency", "law-enforcement"])
        // An agency system with the reader's grant, for the TAXII pages (docs/TAXII.md).
        let agencyToken = try AccountStore.open(folder: folder).addAgency(
            NewAgency(
                name: "bench-agency", workingGroups: ["customs", "security"], highestTLP: "AMBER", agencyKind: "law-enforcement",
                expiresAt: Date().addingTimeInterval(86_400)),
            now: Date()
        ).token
        let console = try ConsoleProcess(executable: nodes.executable, schemas: nodes.schemas, nodeData: dz.root, folder: folder)
        defer { console.stop() }
        let http = LoopbackHTTP(port: console.port)
        let officer = try signIn(http, "officer", password: officerPassword)
        let reader = try signIn(http, "reader", password: readerPassword)

        // Positions in the store, read as the console reads them.
        let store = try BulletinReader(storeFile: dz.root.appendingPathComponent("store.sqlite"))
        guard let deep = try store.summary(id: accepted[accepted.count / 10].id)?.cursor.description,
            let middle = try store.summary(id: accepted[accepted.count / 2].id)
        else { throw BenchError("the bulletins posted are not in DZ's store") }
        var readable: BulletinSummary?
        for item in accepted[(accepted.count / 2)...].prefix(64) {
            guard let summary = try store.summary(id: item.id) else { continue }
            let groupAllowed = ["customs", "security"].contains(summary.workingGroup ?? "")
            let tlpAllowed = [TLP.clear, .green, .amber].contains(summary.tlp)
            if groupAllowed, tlpAllowed, summary.handling.allSatisfy({ $0 == "law-enforcement-use-only" }) {
                readable = summary
                break
            }
        }
        guard let readable else { throw BenchError("no bulletin the reader may open among those posted") }

        // The queries the console makes for these pages (ConsoleServer.feedPage): a reader's
        // clearance narrows the query to their groups, the TLPs up to theirs, and the handling
        // codes that allow a law-enforcement agency (docs/CONSOLE.md).
        var readerScope = BulletinQuery(
            tlps: [.clear, .green, .amber], workingGroups: ["customs", "security"],
            permittedHandling: ["law-enforcement-use-only", "no-action-without-consultation", "no-judicial-use-without-consent", "not-for-third-states"])
        let readerFirst = readerScope
        readerScope.before = BulletinCursor(deep)
        let plan: [(name: String, person: String, cookie: String, path: String, query: BulletinQuery?)] = [
            ("feed, first page", "officer", officer, "/", BulletinQuery()),
            ("feed, filtered (customs, AMBER)", "officer", officer, "/?group=customs&tlp=AMBER", BulletinQuery(tlps: [.amber], workingGroups: ["customs"])),
            ("feed, 90% down (cursor)", "officer", officer, "/?before=\(deep)", BulletinQuery(before: BulletinCursor(deep))),
            ("bulletin", "officer", officer, "/bulletins/\(middle.id)", nil),
            ("feed, first page", "reader", reader, "/", readerFirst),
            ("feed, 90% down (cursor)", "reader", reader, "/?before=\(deep)", readerScope),
            ("bulletin", "reader", reader, "/bulletins/\(readable.id)", nil),
        ]
        let load = try Wrk(executable: wrk, folder: region.root.appendingPathComponent("wrk"))
        let base = "http://127.0.0.1:\(console.port)"
        var pages: [Page] = []
        for page in plan {
            let check = try http.request("GET", page.path, cookies: Self.cookieMap(page.cookie))
            guard check.status == 200 else { throw BenchError("\(page.person) \(page.path) answered \(check.status), not 200") }
            let rows = page.name == "bulletin" ? (check.body.contains(page.path.dropFirst(11)) ? 1 : 0) : check.body.components(separatedBy: "href=\"/bulletins/").count - 1
            guard rows > 0 else { throw BenchError("\(page.person) \(page.path) shows no bulletin") }
            var storeQuery: Double?
            if let query = page.query {
                var samples: [Double] = []
                for _ in 0..<50 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    _ = try store.page(query)
                    samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
                }
                storeQuery = samples.sorted()[samples.count / 2]
            }
            say("console: \(page.person) \(page.name) (\(rows) rows, \(check.body.utf8.count) bytes): \(Self.connections) connections for \(secondsPerPage) s")
            let measured = try load.measure(url: base + page.path, cookie: page.cookie, connections: Self.connections, seconds: secondsPerPage)
            guard measured.requests > 0, measured.not200 == 0, measured.errors == 0 else {
                throw BenchError("\(page.person) \(page.path): \(measured.not200) answers other than 200, \(measured.errors) errors")
            }
            pages.append(
                Page(
                    name: page.name, person: page.person, path: page.path, rows: rows, bytes: check.body.utf8.count,
                    storeQueryMilliseconds: storeQuery, connections: Self.connections, measured: measured,
                    meetsTarget: measured.p95Milliseconds <= Self.targetP95Milliseconds))
        }
        guard let deepPosition = BulletinCursor(deep) else { throw BenchError("the deep cursor does not read back") }
        pages += try taxiiPages(http: http, load: load, base: base, token: agencyToken, deepStoredAt: deepPosition.storedAt, say: say)

        // The exchange on this store, without and then with the console serving a paced load.
        let count = nodes.count(20_000)
        let rounds = 2
        say("console: exchange of \(count) bulletins MA → DZ, \(rounds) times without and \(rounds) times with DZ's console serving a paced load, in turn")
        var plain: [ExchangeRun] = []
        var serving: [ServingRun] = []
        var acknowledged = total
        for _ in 0..<rounds {
            plain.append(try exchange(region, count: count, acknowledgedBefore: acknowledged))
            acknowledged += count
            let paced = try load.start(
                url: base + "/", cookie: officer, connections: Self.pacedConnections, seconds: 900,
                delayMilliseconds: Self.pacedDelayMilliseconds, paths: plan.filter { $0.person == "officer" }.map(\.path))
            Thread.sleep(forTimeInterval: 1)
            let consoleBefore = console.cpuSeconds() ?? 0
            let run = try exchange(region, count: count, acknowledgedBefore: acknowledged)
            acknowledged += count
            let consoleCPU = (console.cpuSeconds() ?? 0) - consoleBefore
            let served = try paced.stop()
            guard served.not200 == 0, served.errors == 0 else {
                throw BenchError("the paced console load had \(served.not200) answers other than 200 and \(served.errors) errors")
            }
            let pagesDuring = served.perSecond * run.seconds
            serving.append(
                ServingRun(
                    exchange: run, consoleLoad: served, consoleCPUMillisecondsPerPage: pagesDuring > 0 ? consoleCPU * 1_000 / pagesDuring : .nan,
                    consoleCores: consoleCPU / run.seconds))
        }
        let peak = console.peakResidentBytes() ?? 0
        region.stop("MA")
        region.stop("DZ")
        // For EXPLAIN QUERY PLAN and the like afterwards (docs/PERFORMANCE.md).
        if let keep = ProcessInfo.processInfo.environment["BORDERNET_BENCH_KEEP_STORE"] {
            try FileManager.default.copyItem(at: dz.root.appendingPathComponent("store.sqlite"), to: URL(fileURLWithPath: keep))
        }
        return Figures(
            bulletins: total, fillSeconds: fillSeconds, targetP95Milliseconds: Self.targetP95Milliseconds, pages: pages,
            exchange: ExchangeBesideConsole(
                rounds: rounds, plain: plain, consoleServing: serving,
                pacing: "\(Self.pacedConnections) connections, \(Self.pacedDelayMilliseconds) ms after each answer, officer pages in turn"),
            consolePeakRSS: peak)
    }

    /// The TAXII page of 100 objects (docs/TAXII.md) as an agency system reads it with the reader's
    /// grant: the collection's first page, and a page 90 % of the way through (`added_after` the
    /// time the 10,000th bulletin was stored).
    private func taxiiPages(
        http: LoopbackHTTP, load: Wrk, base: String, token: String, deepStoredAt: Timestamp, say: (String) -> Void
    ) throws -> [Page] {
        let headers = ["Authorization: Bearer \(token)", "Accept: application/taxii+json;version=2.1"]
        let collection = try Self.taxiiCollection(http: http, headers: headers)
        let root = "/taxii2/bordernet/collections/\(collection)/objects/?limit=100"
        let after = Self.stixTime(deepStoredAt)
        var pages: [Page] = []
        for (name, path) in [("TAXII objects, first page", root), ("TAXII objects, 90% down (added_after)", root + "&added_after=" + after)] {
            let check = try http.request("GET", path, headers: headers)
            guard check.status == 200 else { throw BenchError("agency \(path) answered \(check.status), not 200: \(check.body.prefix(300))") }
            let rows = check.body.components(separatedBy: "\"spec_version\"").count - 1
            guard rows == 100 else { throw BenchError("agency \(path) gave \(rows) objects, not 100") }
            // Paced within the agency's bound (docs/TAXII.md, "Limits": 5 pages a second after a
            // burst of 100): a flood would measure 429s.
            say("console: agency \(name) (\(rows) objects, \(check.body.utf8.count) bytes): 1 connection, \(Self.taxiiDelayMilliseconds) ms after each answer, for \(secondsPerPage) s")
            let measured = try load.start(
                url: base + path, cookie: "", connections: 1, seconds: secondsPerPage, delayMilliseconds: Self.taxiiDelayMilliseconds, paths: [],
                headers: headers
            ).finish(deadline: Date().addingTimeInterval(Double(secondsPerPage) + 60))
            guard measured.requests > 0, measured.not200 == 0, measured.errors == 0 else {
                throw BenchError("agency \(path): \(measured.not200) answers other than 200, \(measured.errors) errors")
            }
            pages.append(
                Page(
                    name: name, person: "agency", path: path, rows: rows, bytes: check.body.utf8.count, storeQueryMilliseconds: nil,
                    connections: 1, measured: measured, meetsTarget: measured.p95Milliseconds <= Self.targetP95Milliseconds))
        }
        return pages
    }

    /// The id of the agency's first collection (everything it may receive).
    private static func taxiiCollection(http: LoopbackHTTP, headers: [String]) throws -> String {
        let answer = try http.request("GET", "/taxii2/bordernet/collections/", headers: headers)
        guard answer.status == 200, let start = answer.body.range(of: "\"id\": \""),
            let end = answer.body[start.upperBound...].firstIndex(of: "\"")
        else { throw BenchError("the TAXII collections answered \(answer.status): \(answer.body.prefix(300))") }
        return String(answer.body[start.upperBound..<end])
    }

    /// A STIX timestamp (UTC, milliseconds) of `time`.
    private static func stixTime(_ time: Timestamp) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(time.millisecondsSinceEpoch) / 1_000))
    }

    /// Posts `count` bulletins MA → DZ (the end-to-end bulletin) and waits for every receipt.
    private func exchange(_ region: BenchRegion, count: Int, acknowledgedBefore: Int) throws -> ExchangeRun {
        let before = (region.cpuSeconds("MA") ?? 0, region.cpuSeconds("DZ") ?? 0)
        let start = Date()
        _ = try PostPipeline(directory: try region.node("MA"), draft: nodes.draft, recipients: ["DZ"]).run(count: count)
        try region.wait(seconds: 300, "every receipt") {
            try region.status("MA").outgoing.first?.acknowledged == UInt64(acknowledgedBefore + count)
        }
        let seconds = Date().timeIntervalSince(start)
        let cpu = ((region.cpuSeconds("MA") ?? 0) - before.0, (region.cpuSeconds("DZ") ?? 0) - before.1)
        return ExchangeRun(
            bulletins: count, seconds: seconds, perSecond: Double(count) / seconds,
            originCPUMicrosecondsPerBulletin: cpu.0 * 1_000_000 / Double(count),
            recipientCPUMicrosecondsPerBulletin: cpu.1 * 1_000_000 / Double(count))
    }

    /// `bordernet console user add … --password-stdin`, as an operator would.
    private func addUser(_ folder: URL, _ username: String, password: String, _ options: [String]) throws {
        let process = Process()
        process.executableURL = nodes.executable
        process.arguments =
            ["console", "user", "add", "--console-data", folder.path, "--username", username, "--name", "Bench \(username)", "--lang", "en", "--password-stdin"]
            + options
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data((password + "\n").utf8))
        try? input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("console user add \(username) failed: \(text)") }
    }

    /// Signs in as a browser does (the form's CSRF token and its cookie), replaces the one-time
    /// password `console user add` set, and returns the session's `Cookie` header value.
    private func signIn(_ http: LoopbackHTTP, _ username: String, password: String) throws -> String {
        let form = try http.request("GET", "/login?lang=en")
        guard let signInCookie = form.cookie("__Host-bn_signin"), let token = form.formValue("csrf") else {
            throw BenchError("the sign-in form has no CSRF token or cookie (status \(form.status))")
        }
        let signedIn = try http.request(
            "POST", "/login", cookies: ["__Host-bn_signin": signInCookie],
            form: [("csrf", token), ("lang", "en"), ("username", username), ("password", password)])
        guard (300..<400).contains(signedIn.status), let first = signedIn.cookie("__Host-bn_session"), !first.isEmpty else {
            throw BenchError("\(username) could not sign in (status \(signedIn.status))")
        }
        let passwordForm = try http.request("GET", "/password", cookies: ["__Host-bn_session": first])
        guard passwordForm.status == 200, let csrf = passwordForm.formValue("csrf") else {
            throw BenchError("\(username): no password form (status \(passwordForm.status))")
        }
        let chosen = password + "-chosen"
        let changed = try http.request(
            "POST", "/password", cookies: ["__Host-bn_session": first],
            form: [("csrf", csrf), ("current", password), ("new", chosen), ("repeat", chosen)])
        guard (300..<400).contains(changed.status), let session = changed.cookie("__Host-bn_session"), !session.isEmpty else {
            throw BenchError("\(username) could not replace the one-time password (status \(changed.status))")
        }
        return "__Host-bn_session=\(session)"
    }

    private static func cookieMap(_ header: String) -> [String: String] {
        let parts = header.split(separator: "=", maxSplits: 1)
        return parts.count == 2 ? [String(parts[0]): String(parts[1])] : [:]
    }
}

/// `bordernet console serve` on a node's data folder, from the release binary, on a free
/// loopback port; its log in the console's folder.
final class ConsoleProcess {
    let port: Int
    private let process = Process()

    init(executable: URL, schemas: URL, nodeData: URL, folder: URL) throws {
        guard let port = LoopbackPort.freeRange(count: 1, from: 20_000 + Int.random(in: 0..<30_000)) else {
            throw BenchError("no free loopback port for the console")
        }
        self.port = port
        let log = folder.appendingPathComponent("console.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.executableURL = executable
        process.arguments = [
            "console", "serve", "--data", nodeData.path, "--console-data", folder.path, "--host", "127.0.0.1", "--port", String(port),
            "--schemas", schemas.path, "--log-level", "warning",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let http = LoopbackHTTP(port: port)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            if (try? http.request("GET", "/login", timeoutSeconds: 2))?.status == 200 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        let tail = (try? String(contentsOf: log, encoding: .utf8)).map { String($0.suffix(600)) } ?? ""
        throw BenchError("the console did not answer on 127.0.0.1:\(port) within 30 s: \(tail)")
    }

    func cpuSeconds() -> Double? { process.isRunning ? BenchRegion.cpuSeconds(pid: process.processIdentifier) : nil }

    /// Peak resident memory (VmHWM) in bytes.
    func peakResidentBytes() -> Int? {
        guard process.isRunning, let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }

    /// SIGTERM, then SIGKILL after 10 s; waits for the process.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
