import Audit
import Exchange
import Testing
import Wire

@testable import Node

@Suite("The node's checks of console access records, and their rate bound")
struct ConsoleAccessRecordTests {
    static let reference = "MA-01JN8SMHN0F25SPHBKNXW0JX05"

    @Test("well-formed records become consoleAccess values with the account, role, action, outcome and reference")
    func accepted() throws {
        let accesses = try NodeEngine.consoleAccesses([
            ConsoleAccessRecord(account: 7, role: "reader", action: .openBulletin, outcome: .refused, bulletin: Self.reference),
            ConsoleAccessRecord(account: 0, role: nil, action: .signIn, outcome: .refused),
            ConsoleAccessRecord(account: 2, role: "officer", action: .openBulletin, outcome: .notFound),
            ConsoleAccessRecord(account: 2, role: "officer", action: .signOut, outcome: .succeeded),
        ])
        #expect(accesses.count == 4)
        #expect(accesses[0] == ConsoleAccess(account: 7, role: .reader, action: .openBulletin, outcome: .refused, bulletin: try BulletinReference(Self.reference)))
        #expect(accesses[1] == ConsoleAccess(account: 0, role: .none, action: .signIn, outcome: .refused))
    }

    @Test("each malformed record refuses the whole request and names its index and what is wrong")
    func refusals() throws {
        let good = ConsoleAccessRecord(account: 2, role: "officer", action: .signOut, outcome: .succeeded)
        let cases: [(ConsoleAccessRecord, String)] = [
            (ConsoleAccessRecord(account: -1, role: "officer", action: .signIn, outcome: .succeeded), "negative"),
            (ConsoleAccessRecord(account: 2, role: "root", action: .signIn, outcome: .succeeded), "'root' is not"),
            (ConsoleAccessRecord(account: 2, role: "none", action: .signIn, outcome: .succeeded), "'none' is not"),
            (ConsoleAccessRecord(account: 2, role: nil, action: .signIn, outcome: .succeeded), "console role"),
            (ConsoleAccessRecord(account: 0, role: nil, action: .signIn, outcome: .succeeded), "account 0"),
            (ConsoleAccessRecord(account: 2, role: "reader", action: .openBulletin, outcome: .succeeded, bulletin: "<script>alert(1)</script>"), "not a reference"),
            (ConsoleAccessRecord(account: 2, role: "reader", action: .openBulletin, outcome: .succeeded), "names its bulletin"),
            (ConsoleAccessRecord(account: 2, role: "reader", action: .signIn, outcome: .succeeded, bulletin: Self.reference), "names no bulletin"),
            (ConsoleAccessRecord(account: 2, role: "reader", action: .signOut, outcome: .lockedOut), "cannot end"),
            (ConsoleAccessRecord(account: Int64(1) << 53, role: "reader", action: .signOut, outcome: .succeeded), "2^53"),
        ]
        for (record, reason) in cases {
            do {
                _ = try NodeEngine.consoleAccesses([good, record])
                Issue.record("accepted: \(record)")
            } catch {
                #expect(error.description.hasPrefix("access 1: ") && error.description.contains(reason), "\(error)")
            }
        }
        #expect(throws: ConsoleAccessRefusal.self) { try NodeEngine.consoleAccesses([]) }
        #expect(throws: ConsoleAccessRefusal.self) { try NodeEngine.consoleAccesses(nil) }
        #expect(throws: ConsoleAccessRefusal.self) {
            try NodeEngine.consoleAccesses(Array(repeating: good, count: ConsoleAccessRecord.maximumPerRequest + 1))
        }
    }

    @Test("at most perSecond records a second are admitted; the rest are counted for the interval's summary, which then starts again")
    func rateBound() {
        var bound = ConsoleAccessBound(perSecond: 20)
        let start = ContinuousClock.now
        #expect(bound.admit(15, now: start) == 15)
        #expect(bound.admit(15, now: start + .milliseconds(500)) == 5)
        #expect(bound.admit(64, now: start + .milliseconds(999)) == 0)
        #expect(bound.droppedInInterval == 10 + 64)
        // A new window a second after the first began.
        #expect(bound.admit(64, now: start + .milliseconds(1_000)) == 20)
        #expect(bound.closeInterval() == 10 + 64 + 44)
        #expect(bound.closeInterval() == 0)
        // 1,000 seconds of a flood of 64 records every 10 ms: never more than 20 a second.
        var admitted = 0
        for step in 0..<100_000 { admitted += bound.admit(64, now: start + .seconds(2) + .milliseconds(step * 10)) }
        #expect(admitted == 20 * 1_000)
        #expect(bound.closeInterval() == UInt64(64 * 100_000 - 20 * 1_000))
        #expect(ConsoleAccessBound(perSecond: 0).perSecond == 1)
    }

    @Test("agency records become agencyAccess values, references sorted; they may come alone or beside console records")
    func agencyAccepted() throws {
        let later = "MA-01JN8SMHN0F25SPHBKNXW0JX06"
        let (console, agencies) = try NodeEngine.accesses(
            nil,
            agencies: [
                AgencyAccessRecord(agency: 3, outcome: .delivered, bulletins: [later, Self.reference]),
                AgencyAccessRecord(agency: 3, outcome: .delivered),
                AgencyAccessRecord(agency: 0, outcome: .refused), AgencyAccessRecord(agency: 5, outcome: .refused),
            ])
        #expect(console.isEmpty)
        #expect(agencies[0] == AgencyAccess(agency: 3, outcome: .delivered, bulletins: [try BulletinReference(Self.reference), try BulletinReference(later)]))
        #expect(agencies[2] == AgencyAccess(agency: 0, outcome: .refused))
        let both = try NodeEngine.accesses(
            [ConsoleAccessRecord(account: 2, role: "officer", action: .signOut, outcome: .succeeded)],
            agencies: [AgencyAccessRecord(agency: 0, outcome: .refused)])
        #expect(both.console.count == 1 && both.agencies.count == 1)
        let page = try (0..<100).map { n in
            BulletinReference(origin: try StateCode("DZ"), id: try BulletinID(bytes: [UInt8](repeating: 1, count: 15) + [UInt8(n)])).description
        }
        #expect(try NodeEngine.accesses(nil, agencies: [AgencyAccessRecord(agency: 1, outcome: .delivered, bulletins: page.reversed())]).agencies.first?.bulletins.count == 100)
    }

    @Test("each malformed agency record refuses the whole request and names its index and what is wrong")
    func agencyRefusals() throws {
        let good = AgencyAccessRecord(agency: 3, outcome: .delivered, bulletins: [Self.reference])
        let page = Array(repeating: Self.reference, count: 101)
        let cases: [(AgencyAccessRecord, String)] = [
            (AgencyAccessRecord(agency: -1, outcome: .refused), "negative"),
            (AgencyAccessRecord(agency: 0, outcome: .delivered, bulletins: [Self.reference]), "agency 0"),
            (AgencyAccessRecord(agency: 0, outcome: .delivered), "agency 0"),
            (AgencyAccessRecord(agency: 3, outcome: .refused, bulletins: [Self.reference]), "refused request delivered no bulletin"),
            (AgencyAccessRecord(agency: 3, outcome: .delivered, bulletins: ["<script>alert(1)</script>"]), "not a reference"),
            (AgencyAccessRecord(agency: 3, outcome: .delivered, bulletins: [Self.reference, Self.reference]), "listed twice"),
            (AgencyAccessRecord(agency: 3, outcome: .delivered, bulletins: page), "more than the 100"),
            (AgencyAccessRecord(agency: Int64(1) << 53, outcome: .refused), "2^53"),
        ]
        for (record, reason) in cases {
            do {
                _ = try NodeEngine.accesses(nil, agencies: [good, record])
                Issue.record("accepted: \(record)")
            } catch {
                #expect(error.description.hasPrefix("agency access 1: ") && error.description.contains(reason), "\(error)")
            }
        }
        #expect(throws: ConsoleAccessRefusal.self) { try NodeEngine.accesses(nil, agencies: []) }
        #expect(throws: ConsoleAccessRefusal.self) { try NodeEngine.accesses([], agencies: nil) }
        #expect(throws: ConsoleAccessRefusal.self) {
            try NodeEngine.accesses(nil, agencies: Array(repeating: good, count: AgencyAccessRecord.maximumPerRequest + 1))
        }
    }

    @Test("the agency bound admits a catch-up of 100 pages at once, then 10 a second; the rest are counted")
    func agencyBound() {
        var bound = AgencyAccessBound(burst: NodeEngine.agencyAccessBurst, perSecond: NodeEngine.agencyAccessesPerSecond)
        let start = ContinuousClock.now
        // A TAXII client paging through 10,000 bulletins, 8 records a request, all at once.
        var admitted = 0
        for step in 0..<13 { admitted += bound.admit(step < 12 ? 8 : 4, now: start) }
        #expect(admitted == 100 && bound.droppedInInterval == 0)
        // Another 100 at once: the burst's other half; then nothing is left.
        #expect(bound.admit(100, now: start) == 100)
        #expect(bound.admit(8, now: start) == 0)
        // 0.9 s later, 9 regained (10 a second, counted in thousandths).
        #expect(bound.admit(20, now: start + .milliseconds(900)) == 9)
        #expect(bound.closeInterval() == 8 + 11)
        // 1,000 seconds of a flood of 8 records every 10 ms: 10 a second after the burst is spent.
        var flood = 0
        for step in 0..<100_000 { flood += bound.admit(8, now: start + .seconds(2) + .milliseconds(step * 10)) }
        #expect(flood <= 200 + 10 * 1_000 && flood >= 10 * 1_000)
        // A long quiet fills the bucket again, never past its burst.
        #expect(bound.admit(1_000, now: start + .seconds(100_000)) == 200)
        #expect(AgencyAccessBound(burst: 0, perSecond: 0).burst == 1)
    }
}
