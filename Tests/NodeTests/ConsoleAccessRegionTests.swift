import Audit
import AuditCollection
import Exchange
import Foundation
import NodeClient
import NodeSetup
import Testing
import Wire
import ZeroMQ

@testable import Node

/// The web console's access records through a real node process and its control socket: written
/// to the audit log as `consoleAccess` entries, malformed ones refused and counted, a flood held
/// to the rate bound and summed up in one `consoleAccessDropped` entry; the log still verifies,
/// `audit entries` lists them, and the secretariat's `audit collect` and `audit report` read them.
@Suite("Console access records in a running node", .serialized)
struct ConsoleAccessRegionTests {
    static let reference = "DZ-01JN8SMHN0F25SPHBKNXW0JX05"

    @Test("recordAccess: entries written, malformed requests refused, a flood bounded and summarised; collect and report read them")
    func records() throws {
        let region = try RegionHarness()
        let data = try region.addNode("MA")
        try region.signRoster(links: [])
        try region.start("MA")
        let client = ControlClient(directory: NodeDirectory(path: data.path), timeoutMilliseconds: 20_000)

        // The control round trip the console would pay per request (printed, never asserted).
        var trips: [Duration] = []
        for _ in 0..<50 {
            let start = ContinuousClock.now
            _ = try client.send(ControlRequest(command: .ping))
            trips.append(ContinuousClock.now - start)
        }
        trips.sort()
        print("control round trip (ping, fresh connection per request): median \(trips[25]), max \(trips[49])")

        let records = [
            ConsoleAccessRecord(account: 2, role: "officer", action: .signIn, outcome: .succeeded),
            ConsoleAccessRecord(account: 3, role: "reader", action: .openBulletin, outcome: .refused, bulletin: Self.reference),
            ConsoleAccessRecord(account: 0, role: nil, action: .signIn, outcome: .lockedOut),
        ]
        let accepted = try client.send(ControlRequest(command: .recordAccess, accesses: records))
        #expect(accepted.ok, "\(accepted)")
        let malformed = try client.send(
            ControlRequest(
                command: .recordAccess,
                accesses: [ConsoleAccessRecord(account: 3, role: "reader", action: .openBulletin, outcome: .succeeded, bulletin: "../../etc/passwd")]))
        #expect(!malformed.ok && malformed.error?.contains("access 0: bulletin") == true, "\(malformed)")
        let empty = try client.send(ControlRequest(command: .recordAccess, accesses: []))
        #expect(!empty.ok)

        // A flood: 10 requests of 64 records in well under 10 s; at most 20 a second are written.
        let flood = Array(repeating: ConsoleAccessRecord(account: 2, role: "officer", action: .signOut, outcome: .succeeded), count: 64)
        let floodStart = ContinuousClock.now
        for _ in 0..<10 { #expect(try client.send(ControlRequest(command: .recordAccess, accesses: flood)).ok) }
        let floodSeconds = Int((ContinuousClock.now - floodStart).components.seconds) + 1

        let metrics = try #require(try client.send(ControlRequest(command: .metrics)).metrics)
        #expect(metrics.contains("bordernet_console_access_requests_refused_total 2"), "\(metrics)")
        #expect(metrics.contains(#"bordernet_console_accesses_total{action="signIn",outcome="succeeded"} 1"#), "\(metrics)")
        region.stop("MA")  // the stop summarises the interval: the drops are written before nodeStopped

        let listed = try JSONDecoder().decode(
            [AuditEntry].self,
            from: Data(RegionHarness.bordernet(["audit", "entries", "--data", data.path, "--kind", "consoleAccess", "--kind", "consoleAccessDropped", "--json"]).utf8))
        let accesses = listed.compactMap { entry -> ConsoleAccess? in if case .consoleAccess(let access) = entry.event { access } else { nil } }
        let dropped = listed.reduce(UInt64(0)) { sum, entry in if case .consoleAccessDropped(let count) = entry.event { sum + count } else { sum } }
        #expect(accesses.prefix(3).map(\.account) == [2, 3, 0])
        #expect(accesses[1] == ConsoleAccess(account: 3, role: .reader, action: .openBulletin, outcome: .refused, bulletin: try BulletinReference(Self.reference)))
        // The first three share the flood's first one-second window.
        let flooded = accesses.count - 3
        #expect(accesses.count >= 20 && accesses.count <= 20 * (floodSeconds + 1), "\(accesses.count) records written in about \(floodSeconds) s")
        #expect(UInt64(flooded) + dropped == 640, "written \(flooded), dropped \(dropped)")
        #expect(metrics.contains("bordernet_console_accesses_dropped_total \(dropped)"), "\(metrics)")
        let text = try RegionHarness.bordernet(["audit", "entries", "--data", data.path, "--kind", "consoleAccess", "--last", "5000"])
        #expect(text.contains(#"consoleAccess {"account":3,"action":"openBulletin","kind":"consoleAccess","outcome":"refused","reference":"\#(Self.reference)","role":"reader"}"#), "\(text)")
        #expect(!text.contains("passwd"))
        #expect(try RegionHarness.bordernet(["audit", "verify", "--data", data.path]).contains("intact"))

        // The secretariat collects the new kinds and reports them per node.
        try region.start("MA")
        let sec = region.secretariat.path
        let collected = try JSONDecoder().decode(
            CollectionRun.Summary.self, from: Data(RegionHarness.bordernet(["audit", "collect", "--data", sec, "--json"]).utf8))
        #expect(collected.nodes.allSatisfy { $0.outcome == .collected }, "\(collected.nodes)")
        let report = try JSONDecoder().decode(
            AuditReport.self, from: Data(RegionHarness.bordernet(["audit", "report", "--data", sec, "--json"]).utf8))
        let morocco = try #require(report.consoleAccess.first)
        #expect(morocco.refusedOpenings.map(\.bulletin) == [Self.reference])
        #expect(morocco.dropped == dropped)
        #expect(report.findings.contains { $0.kind == .accessRefused && $0.subject == "MA" })
        region.stop("MA")
    }

    @Test("agency accesses: a TAXII catch-up of 100 full pages is written whole, a malformed record refused; verify, entries, collect and report read them")
    func agencyCatchUp() throws {
        let region = try RegionHarness()
        let data = try region.addNode("MA")
        try region.signRoster(links: [])
        try region.start("MA")
        let client = ControlClient(directory: NodeDirectory(path: data.path), timeoutMilliseconds: 20_000)
        // 10,000 bulletins at 100 a page, 8 pages a request (as the console's recorder batches).
        let pages = try (0..<100).map { page in
            try (0..<100).map { n in
                BulletinReference(origin: try StateCode("DZ"), id: try BulletinID(bytes: [UInt8](repeating: 1, count: 14) + [UInt8(page), UInt8(n)]))
                    .description
            }
        }
        var records = pages.map { AgencyAccessRecord(agency: 4, outcome: .delivered, bulletins: $0) }
        records.append(AgencyAccessRecord(agency: 0, outcome: .refused))
        var start = 0
        while start < records.count {
            let batch = Array(records[start..<min(start + AgencyAccessRecord.maximumPerRequest, records.count)])
            let answer = try client.send(ControlRequest(command: .recordAccess, agencyAccesses: batch))
            #expect(answer.ok, "\(answer)")
            start += batch.count
        }
        let malformed = try client.send(
            ControlRequest(command: .recordAccess, agencyAccesses: [AgencyAccessRecord(agency: 0, outcome: .delivered, bulletins: [Self.reference])]))
        #expect(!malformed.ok && malformed.error?.contains("agency access 0") == true, "\(malformed)")
        let metrics = try #require(try client.send(ControlRequest(command: .metrics)).metrics)
        #expect(metrics.contains(#"bordernet_agency_accesses_total{outcome="delivered"} 100"#), "\(metrics)")
        #expect(metrics.contains("bordernet_agency_bulletins_delivered_total 10000"), "\(metrics)")
        region.stop("MA")

        let listed = try JSONDecoder().decode(
            [AuditEntry].self,
            from: Data(RegionHarness.bordernet(["audit", "entries", "--data", data.path, "--kind", "agencyAccess", "--last", "1000", "--json"]).utf8))
        let accesses = listed.compactMap { entry -> AgencyAccess? in if case .agencyAccess(let access) = entry.event { access } else { nil } }
        #expect(accesses.count == 101)
        #expect(Set(accesses.filter { $0.outcome == .delivered }.flatMap(\.bulletins)).count == 10_000)
        #expect(accesses.last == AgencyAccess(agency: 0, outcome: .refused))
        let dropped = try JSONDecoder().decode(
            [AuditEntry].self,
            from: Data(RegionHarness.bordernet(["audit", "entries", "--data", data.path, "--kind", "consoleAccessDropped", "--json"]).utf8))
        #expect(dropped.isEmpty, "\(dropped)")
        let text = try RegionHarness.bordernet(["audit", "entries", "--data", data.path, "--kind", "agencyAccess", "--last", "1"])
        #expect(text.contains(#"agencyAccess {"agency":0,"bulletins":[],"kind":"agencyAccess","outcome":"refused"}"#), "\(text)")
        #expect(try RegionHarness.bordernet(["audit", "verify", "--data", data.path]).contains("intact"))

        try region.start("MA")
        let sec = region.secretariat.path
        let collected = try JSONDecoder().decode(
            CollectionRun.Summary.self, from: Data(RegionHarness.bordernet(["audit", "collect", "--data", sec, "--json"]).utf8))
        #expect(collected.nodes.allSatisfy { $0.outcome == .collected }, "\(collected.nodes)")
        let report = try JSONDecoder().decode(
            AuditReport.self, from: Data(RegionHarness.bordernet(["audit", "report", "--data", sec, "--json"]).utf8))
        let morocco = try #require(report.consoleAccess.first)
        #expect(morocco.agencies.map(\.agency) == [0, 4])
        #expect(morocco.agencies.last?.delivered == 100 && morocco.agencies.last?.bulletins == 10_000)
        #expect(morocco.agencies.first?.refused == 1)
        #expect(report.findings.contains { $0.kind == .accessRefused && $0.text.contains("TAXII requests refused") })
        #expect(!report.findings.contains { $0.kind == .unknownKind })
        let plain = try RegionHarness.bordernet(["audit", "report", "--data", sec])
        #expect(plain.contains("TAXII agency 4: 100 responses delivering 10000 bulletins"), "\(plain)")
        region.stop("MA")
    }

    @Test("access records sent among posts are written, and every post is stored: recordAccess does not wait for the posts' commit")
    func accessesAmongPosts() throws {
        #expect(!NodeEngine.seesPendingPosts(.recordAccess))
        #expect(NodeEngine.seesPendingPosts(.status) && NodeEngine.seesPendingPosts(.history) && NodeEngine.seesPendingPosts(.ping))

        let region = try RegionHarness()
        let data = try region.addNode("MA")
        try region.addNode("DZ")
        try region.signRoster(links: [("MA", "DZ")])
        try region.start("MA")
        let examples = RegionHarness.schemas.appendingPathComponent("examples")
        let draft = try String(contentsOf: RegionHarness.draft(of: examples.appendingPathComponent("drug-trafficking.json"), in: region.root), encoding: .utf8)
        // 6 posts and 3 recordAccess requests interleaved, all written before the node reads any.
        var requests: [ControlRequest] = []
        for index in 0..<6 {
            requests.append(ControlRequest(command: .post, draft: Array(draft.utf8)))
            if index % 2 == 1 {
                requests.append(
                    ControlRequest(command: .recordAccess, accesses: [ConsoleAccessRecord(account: Int64(index), role: "officer", action: .signIn, outcome: .succeeded)]))
            }
        }
        let context = try Context()
        let dealer = try Socket(context, type: .dealer)
        try dealer.setOption(.linger(milliseconds: 0))
        try dealer.connect(NodeDirectory(path: data.path).controlEndpoint)
        for request in requests { _ = try dealer.send(try request.frames()) }
        var responses: [ControlResponse] = []
        while responses.count < requests.count, let message = try receiveMessage(from: dealer, within: 30) {
            responses.append(try ControlResponse(frame: try #require(message.frames.last)))
        }
        dealer.close()
        #expect(responses.count == requests.count && responses.allSatisfy(\.ok), "\(responses)")
        #expect(responses.compactMap(\.posted).flatMap(\.envelopes).map(\.sequence).sorted() == Array(1...6))
        region.stop("MA")

        let listed = try JSONDecoder().decode(
            [AuditEntry].self, from: Data(RegionHarness.bordernet(["audit", "entries", "--data", data.path, "--last", "1000", "--json"]).utf8))
        let accounts = listed.compactMap { entry -> UInt64? in if case .consoleAccess(let access) = entry.event { access.account } else { nil } }
        #expect(accounts.sorted() == [1, 3, 5])
        #expect(listed.filter { $0.event.kind == .bulletinPosted }.count == 6)
    }
}
