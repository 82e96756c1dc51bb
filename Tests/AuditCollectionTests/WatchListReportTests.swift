import Audit
import AuditCollection
import Exchange
import Foundation
import Testing

@Suite("The report's watch-lists: entries added and removed per kind of owner, alerts raised, counts only")
struct WatchListReportTests {
    func log(_ node: String, _ events: [AuditEvent]) throws -> NodeLogView {
        let entries = try events.enumerated().map { index, event in
            try AuditEntry(
                index: UInt64(index),
                time: Timestamp(millisecondsSinceEpoch: 1_740_830_400_000 + UInt64(index) * 1_000), state: state(node),
                event: event)
        }
        return NodeLogView(
            state: try state(node), entries: entries, coveredUntil: Timestamp(millisecondsSinceEpoch: 1_740_830_500_000)
        )
    }

    @Test(
        "changes are counted per owner kind, removed entries are not kept, alerts are counted with their distinct entries; text, HTML and JSON show them"
    )
    func report() throws {
        let bulletin = BulletinReference(
            origin: try state("DZ"), id: try BulletinID(bytes: [UInt8](repeating: 7, count: 16)))
        let other = BulletinReference(
            origin: try state("TN"), id: try BulletinID(bytes: [UInt8](repeating: 8, count: 16)))
        let morocco = try log(
            "MA",
            [
                .nodeStarted(softwareVersion: "0.1.0"),
                .watchListChanged(WatchListChange(owner: .user, change: .added, entry: 1)),
                .watchListChanged(WatchListChange(owner: .user, change: .added, entry: 2)),
                .watchListChanged(WatchListChange(owner: .operatorOfNode, change: .added, entry: 3)),
                .alertRaised(entry: 1, bulletin: bulletin),
                .alertRaised(entry: 1, bulletin: other),
                .alertRaised(entry: 3, bulletin: other),
                .watchListChanged(WatchListChange(owner: .user, change: .removed, entry: 2)),
            ])
        let algeria = try log("DZ", [.nodeStarted(softwareVersion: "0.1.0")])
        let report = AuditReport.assemble(
            rosterVersion: 1, rosterLinks: [], logs: [morocco, algeria], nodes: [], nodeFindings: [],
            lateAfterMilliseconds: 60_000,
            now: Timestamp(millisecondsSinceEpoch: 1_740_830_600_000))
        let watchLists = try #require(report.watchLists)
        #expect(watchLists.count == 1, "a node without watch-list entries is not listed")
        let watch = try #require(watchLists.first)
        #expect(watch.state == (try state("MA")))
        #expect(
            watch.owners == [
                .init(owner: "user", added: 2, removed: 1), .init(owner: "operator", added: 1, removed: 0),
            ])
        #expect(watch.kept == 2 && watch.alertsRaised == 3 && watch.entriesAlerting == 2)
        #expect(report.findings.isEmpty, "watching is not a finding")

        #expect(
            report.text.contains(
                "MA  entries: user 2 added, 1 removed; operator 1 added; 2 kept; alerts: 3 raised by 2 entries"),
            "\(report.text)")
        #expect(report.html.contains("<h2>Watch-lists") && report.html.contains("user +2 −1, operator +1 −0"))
        let decoded = try JSONDecoder().decode(AuditReport.self, from: try JSONEncoder().encode(report))
        #expect(decoded.watchLists == report.watchLists)
    }

    @Test(
        "alerts alone (entries made before the collected log began) are reported; no log with neither kind gives a report"
    )
    func alertsOnly() throws {
        let bulletin = BulletinReference(
            origin: try state("DZ"), id: try BulletinID(bytes: [UInt8](repeating: 7, count: 16)))
        let tunisia = try log("TN", [.alertRaised(entry: 9, bulletin: bulletin)])
        let watch = try #require(WatchListReport.make(tunisia))
        #expect(watch.owners.isEmpty && watch.kept == 0 && watch.alertsRaised == 1 && watch.entriesAlerting == 1)
        #expect(watch.line == "no entry changed; alerts: 1 raised by 1 entry")
        #expect(WatchListReport.make(try log("DZ", [.nodeStarted(softwareVersion: "0.1.0")])) == nil)
    }
}
