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
}
