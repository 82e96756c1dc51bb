import Audit
import AuditCollection
import Exchange
import Foundation
import Testing

@Suite("The report's console access: counts per account and action, refused openings, records over the rate bound")
struct ConsoleAccessReportTests {
    func log(_ node: String, _ events: [AuditEvent]) throws -> NodeLogView {
        let entries = try events.enumerated().map { index, event in
            try AuditEntry(index: UInt64(index), time: Timestamp(millisecondsSinceEpoch: 1_740_830_400_000 + UInt64(index) * 1_000), state: state(node), event: event)
        }
        return NodeLogView(state: try state(node), entries: entries, coveredUntil: Timestamp(millisecondsSinceEpoch: 1_740_830_500_000))
    }

    @Test("a node's console accesses are counted per account, action and outcome; refused openings are listed and are a warning; drops are summed")
    func report() throws {
        let red = BulletinReference(origin: try state("DZ"), id: try BulletinID(bytes: [UInt8](repeating: 7, count: 16)))
        let shown = BulletinReference(origin: try state("DZ"), id: try BulletinID(bytes: [UInt8](repeating: 8, count: 16)))
        let morocco = try log("MA", [
            .nodeStarted(softwareVersion: "0.1.0"),
            .consoleAccess(ConsoleAccess(account: 0, role: .none, action: .signIn, outcome: .refused)),
            .consoleAccess(ConsoleAccess(account: 3, role: .reader, action: .signIn, outcome: .succeeded)),
            .consoleAccess(ConsoleAccess(account: 3, role: .reader, action: .openBulletin, outcome: .succeeded, bulletin: shown)),
            .consoleAccess(ConsoleAccess(account: 3, role: .reader, action: .openBulletin, outcome: .succeeded, bulletin: shown)),
            .consoleAccess(ConsoleAccess(account: 3, role: .reader, action: .openBulletin, outcome: .refused, bulletin: red)),
            .consoleAccess(ConsoleAccess(account: 3, role: .reader, action: .openBulletin, outcome: .notFound)),
            .consoleAccess(ConsoleAccess(account: 3, role: .reader, action: .signOut, outcome: .succeeded)),
            .consoleAccessDropped(count: 12),
            .consoleAccessDropped(count: .max),
        ])
        let algeria = try log("DZ", [.nodeStarted(softwareVersion: "0.1.0")])
        let report = AuditReport.assemble(
            rosterVersion: 1, rosterLinks: [], logs: [morocco, algeria], nodes: [], nodeFindings: [], lateAfterMilliseconds: 60_000,
            now: Timestamp(millisecondsSinceEpoch: 1_740_830_600_000))
        #expect(report.consoleAccess.count == 1)
        let access = try #require(report.consoleAccess.first)
        #expect(access.state == (try state("MA")))
        #expect(access.dropped == .max)
        #expect(access.refusedOpeningCount == 2)
        #expect(access.refusedOpenings.map(\.entryIndex) == [5, 6])
        #expect(access.refusedOpenings.first?.bulletin == red.description && access.refusedOpenings.last?.bulletin == nil)
        #expect(access.counts.first { $0.account == 3 && $0.action == "openBulletin" && $0.outcome == "succeeded" }?.count == 2)
        #expect(access.counts.first { $0.account == 0 }?.role == "none")
        #expect(access.accountsRefused == [3])
        let kinds = report.findings.map(\.kind)
        #expect(kinds.contains(.accessRefused) && kinds.contains(.accessDropped))
        #expect(report.findings.filter { $0.kind == .accessRefused }.allSatisfy { $0.severity == .warning && $0.entryIndex == 5 })

        let text = report.text
        #expect(text.contains("account 3 (reader): signIn succeeded 1, signOut succeeded 1, openBulletin succeeded 2, openBulletin refused 1, openBulletin notFound 1"), "\(text)")
        #expect(text.contains("refused opening: account 3 (reader) \(red)"))
        #expect(text.contains("no account (sign-ins for unknown names): signIn refused 1"))
        let html = report.html
        #expect(html.contains("Console access") && html.contains("Refused and not-found openings") && html.contains(red.description))
        let json = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(AuditReport.self, from: json)
        #expect(decoded.consoleAccess == report.consoleAccess)
        #expect(String(decoding: json, as: UTF8.self).contains(#""refusedOpeningCount":2"#))
    }

    @Test("agency accesses are counted per agency (responses, bulletins, refusals); refusals are a warning; text, HTML and JSON show them")
    func agencies() throws {
        let first = BulletinReference(origin: try state("DZ"), id: try BulletinID(bytes: [UInt8](repeating: 7, count: 16)))
        let second = BulletinReference(origin: try state("DZ"), id: try BulletinID(bytes: [UInt8](repeating: 8, count: 16)))
        let morocco = try log("MA", [
            .nodeStarted(softwareVersion: "0.1.0"),
            .agencyAccess(AgencyAccess(agency: 4, delivered: [first, second])),
            .agencyAccess(AgencyAccess(agency: 4, delivered: [second])),
            .agencyAccess(AgencyAccess(agency: 4, delivered: [])),
            .agencyAccess(AgencyAccess(agency: 0, outcome: .refused)),
            .agencyAccess(AgencyAccess(agency: 0, outcome: .refused)),
            .agencyAccess(AgencyAccess(agency: 9, outcome: .refused)),
        ])
        let report = AuditReport.assemble(
            rosterVersion: 1, rosterLinks: [], logs: [morocco], nodes: [], nodeFindings: [], lateAfterMilliseconds: 60_000,
            now: Timestamp(millisecondsSinceEpoch: 1_740_830_600_000))
        let access = try #require(report.consoleAccess.first)
        #expect(access.counts.isEmpty && access.refusedOpeningCount == 0)
        #expect(
            access.agencies == [
                .init(agency: 0, delivered: 0, bulletins: 0, refused: 2), .init(agency: 4, delivered: 3, bulletins: 3, refused: 0),
                .init(agency: 9, delivered: 0, bulletins: 0, refused: 1),
            ])
        #expect(access.agencyRequestsRefused == 3)
        let refused = try #require(report.findings.first { $0.kind == .accessRefused })
        #expect(refused.severity == .warning && refused.text.contains("3 TAXII requests refused on MA's console (2 without a valid token; agencies 9)"), "\(refused.text)")
        let text = report.text
        #expect(text.contains("TAXII agency 4: 3 responses delivering 3 bulletins"), "\(text)")
        #expect(text.contains("TAXII requests without a valid token: 2 refused"), "\(text)")
        #expect(report.html.contains("Agency systems (TAXII"))
        let decoded = try JSONDecoder().decode(AuditReport.self, from: JSONEncoder().encode(report))
        #expect(decoded.consoleAccess == report.consoleAccess)
    }

    @Test("a report of logs without console access has no console section")
    func none() throws {
        let report = AuditReport.assemble(
            rosterVersion: 1, rosterLinks: [], logs: [try log("MA", [.nodeStarted(softwareVersion: "0.1.0")])], nodes: [], nodeFindings: [],
            lateAfterMilliseconds: 60_000, now: Timestamp(millisecondsSinceEpoch: 1_740_830_600_000))
        #expect(report.consoleAccess.isEmpty)
        #expect(!report.text.contains("Console access") && !report.html.contains("Console access"))
    }
}
