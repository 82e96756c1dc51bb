import Audit
import AuditCollection
import Exchange
import Foundation
import Testing

@Suite("The report's roster history: versions installed in order, rosters refused by reason and by source, counts only")
struct RosterHistoryReportTests {
    static let base: UInt64 = 1_740_830_400_000

    func log(_ node: String, _ events: [AuditEvent]) throws -> NodeLogView {
        let entries = try events.enumerated().map { index, event in
            try AuditEntry(
                index: UInt64(index), time: Timestamp(millisecondsSinceEpoch: Self.base + UInt64(index) * 1_000),
                state: state(node),
                event: event)
        }
        return NodeLogView(
            state: try state(node), entries: entries,
            coveredUntil: Timestamp(millisecondsSinceEpoch: Self.base + 100_000))
    }

    @Test(
        "installs are listed in log order with their entry's time; refusals are counted by reason and by source; text, HTML and JSON show them"
    )
    func report() throws {
        let dz = try state("DZ")
        let tn = try state("TN")
        let morocco = try log(
            "MA",
            [
                .nodeStarted(softwareVersion: "0.1.0"),
                .rosterInstalled(version: 3),
                .rosterRefused(source: dz, version: 0, reason: .badSignature),
                .rosterRefused(source: nil, version: 2, reason: .rollback),
                .rosterInstalled(version: 4),
                .rosterRefused(source: dz, version: 0, reason: .badSignature),
                .rosterRefused(source: tn, version: 5, reason: .notThisNodesCard),
                .rosterRefused(source: dz, version: 4, reason: .versionConflict),
                .rosterInstalled(version: 5),
            ])
        let algeria = try log("DZ", [.nodeStarted(softwareVersion: "0.1.0")])
        let report = AuditReport.assemble(
            rosterVersion: 5, rosterLinks: [], logs: [morocco, algeria], nodes: [], nodeFindings: [],
            lateAfterMilliseconds: 60_000,
            now: Timestamp(millisecondsSinceEpoch: Self.base + 200_000))
        let histories = try #require(report.rosterHistory)
        #expect(histories.count == 1, "a node whose log holds neither kind is not listed")
        let history = try #require(histories.first)
        #expect(history.state == (try state("MA")))
        #expect(
            history.installs == [
                .init(entryIndex: 1, time: Self.base + 1_000, version: 3),
                .init(entryIndex: 4, time: Self.base + 4_000, version: 4),
                .init(entryIndex: 8, time: Self.base + 8_000, version: 5),
            ])
        #expect(history.installCount == 3 && history.installedVersion == 5 && history.refusedCount == 5)
        #expect(
            history.refusedByReason == [
                .init(reason: "badSignature", count: 2), .init(reason: "rollback", count: 1),
                .init(reason: "versionConflict", count: 1),
                .init(reason: "notThisNodesCard", count: 1),
            ], "in the order of the reason codes")
        #expect(
            history.refusedBySource == [
                .init(source: nil, count: 1, reasons: [.init(reason: "rollback", count: 1)]),
                .init(
                    source: dz, count: 3,
                    reasons: [.init(reason: "badSignature", count: 2), .init(reason: "versionConflict", count: 1)]),
                .init(source: tn, count: 1, reasons: [.init(reason: "notThisNodesCard", count: 1)]),
            ], "the operator first, then states in order")
        #expect(report.findings.isEmpty, "a refused roster is the node doing its job, not a finding")

        let text = report.text
        #expect(text.contains("Roster history"), "\(text)")
        #expect(
            text.contains(
                "  MA  installed v3 at 2025-03-01T12:00:01.000Z (entry 1), v4 at 2025-03-01T12:00:04.000Z (entry 4), v5 at 2025-03-01T12:00:08.000Z (entry 8)"
            ), "\(text)")
        #expect(
            text.contains(
                "      refused 5: badSignature 2, rollback 1, versionConflict 1, notThisNodesCard 1; from operator 1 (rollback 1), DZ 3 (badSignature 2, versionConflict 1), TN 1 (notThisNodesCard 1)"
            ), "\(text)")
        let html = report.html
        #expect(html.contains("<h2>Roster history"))
        #expect(
            html.contains("<td>MA</td><td>3</td>") && html.contains("v5 at 2025-03-01T12:00:08.000Z (entry 8)"),
            "\(html)")
        #expect(html.contains("operator 1, DZ 3, TN 1"), "\(html)")

        let json = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(AuditReport.self, from: json)
        #expect(decoded.rosterHistory == report.rosterHistory)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let first = try #require((object["rosterHistory"] as? [[String: Any]])?.first)
        let sources = try #require(first["refusedBySource"] as? [[String: Any]])
        #expect(
            sources.first?["source"] == nil && sources.dropFirst().first?["source"] as? String == "DZ",
            "the operator has no source")
        #expect((first["installs"] as? [[String: Any]])?.first?["version"] as? Int == 3)
    }

    @Test(
        "refusals alone give a history without installs; a log with neither kind gives none; a report of an earlier version decodes without it"
    )
    func refusalsOnly() throws {
        let history = try #require(
            RosterHistoryReport.make(try log("TN", [.rosterRefused(source: nil, version: 0, reason: .tooLarge)])))
        #expect(
            history.installs.isEmpty && history.installCount == 0 && history.installedVersion == nil
                && history.refusedCount == 1)
        #expect(
            history.lines == [
                "no roster installed in the collected log", "refused 1: tooLarge 1; from operator 1 (tooLarge 1)",
            ])
        #expect(RosterHistoryReport.make(try log("DZ", [.nodeStarted(softwareVersion: "0.1.0"), .nodeStopped])) == nil)
        let installedOnly = try #require(RosterHistoryReport.make(try log("DZ", [.rosterInstalled(version: 1)])))
        #expect(
            installedOnly.lines == ["installed v1 at 2025-03-01T12:00:00.000Z (entry 0)"]
                && installedOnly.refusedBySource.isEmpty)

        let report = AuditReport.assemble(
            rosterVersion: 1, rosterLinks: [], logs: [], nodes: [], nodeFindings: [], lateAfterMilliseconds: 60_000,
            now: Timestamp(millisecondsSinceEpoch: Self.base))
        var object = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any])
        object["rosterHistory"] = nil
        let earlier = try JSONDecoder().decode(
            AuditReport.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(earlier.rosterHistory == nil)
        #expect(!earlier.text.contains("Roster history") && !earlier.html.contains("Roster history"))
    }

    @Test("a log of many installs lists the last 200 in order and counts them all; the text shows the last 20")
    func manyInstalls() throws {
        let events = (1...1_000).map { AuditEvent.rosterInstalled(version: UInt64($0)) }
        let history = try #require(RosterHistoryReport.make(try log("MA", events)))
        #expect(history.installCount == 1_000 && history.installedVersion == 1_000)
        #expect(
            history.installs.count == RosterHistoryReport.installsListed
                && history.installs.map(\.version) == Array(801...1_000))
        let line = try #require(history.lines.first)
        #expect(line.hasPrefix("installed (980 earlier not shown) v981 at "), "\(line)")
        #expect(line.hasSuffix("v1000 at 2025-03-01T12:16:39.000Z (entry 999)"), "\(line)")
    }
}
