import Clearance
import Exchange
import Foundation
import SearchIndex
import Synchronization
import Testing

@testable import Console

/// An owner's alerts as the index gives them: oldest first, and, like
/// `SearchReader.alerts(of:scope:after:limit:)`, only the admitted ones among the next
/// `4 × limit` of the owner's alerts (a page wholly outside the scope is empty). Counts readings.
final class FakeAlerts: Sendable {
    let numbers: [Int64]
    let admitted: @Sendable (Int64) -> Bool
    let readings = Atomic<Int>(0)

    init(_ numbers: [Int64], admitted: @escaping @Sendable (Int64) -> Bool) {
        self.numbers = numbers.sorted()
        self.admitted = admitted
    }

    static let reference = BulletinReference(origin: try! StateCode("MA"), id: try! BulletinID(bytes: [UInt8](repeating: 1, count: 16)))

    func read(_ scope: ReadableScope, _ after: Int64, _ limit: Int) -> [WatchAlert] {
        readings.add(1, ordering: .relaxed)
        let limit = max(1, min(limit, 500))
        let start = numbers.partitioningIndex { $0 > after }
        let examined = numbers[start...].prefix(limit * 4)
        let kept = examined.filter { scope == .everything || admitted($0) }.prefix(limit)
        return kept.map {
            WatchAlert(id: $0, entry: 1, owner: .user("reader"), bulletin: Self.reference, score: 1, reason: "r", raisedAtMilliseconds: $0)
        }
    }

    func scan(_ scope: ReadableScope) -> AlertScan { AlertScan(scope: scope) { self.read($0, $1, $2) } }
}

extension Collection {
    func partitioningIndex(where belongs: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if belongs(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}

@Suite("The console's reading of alerts: the newest, and a cursor that always moves")
struct AlertScanTests {
    static let restricted = ReadableScope.restricted(workingGroups: [.security], tlps: [.green], permittedHandling: [])

    @Test("the newest 50 of 3,000 alerts (numbers shared with other owners), not the first 2,000's last, in a bounded number of readings")
    func newestFifty() throws {
        // The owner's alerts are every third number, up to 9,000; the scope admits the even ones.
        let alerts = FakeAlerts((1...3_000).map { Int64($0) * 3 }) { $0 % 2 == 0 }
        let (everything, top) = try alerts.scan(.everything).newest(count: 50)
        #expect(top == 9_000)
        let lastFifty: [Int64] = (2_951...3_000).map { (number: Int) -> Int64 in Int64(number) * 3 }
        #expect(everything.map(\.id) == lastFifty)
        let (restricted, _) = try alerts.scan(Self.restricted).newest(count: 50)
        let expected: [Int64] = (0..<50).reversed().map { (step: Int) -> Int64 in 9_000 - Int64(step) * 6 }
        #expect(restricted.map(\.id) == expected)
        #expect(alerts.readings.load(ordering: .relaxed) < 2 * 220)
        // A million alerts far apart: still bounded.
        let many = FakeAlerts((1...1_000_000).map { Int64($0) * 7 }) { _ in true }
        let (newest, last) = try many.scan(.everything).newest(count: 50)
        #expect(last == 7_000_000 && newest.last?.id == 7_000_000 && newest.count == 50 && newest.first?.id == 7 * 999_951)
        #expect(many.readings.load(ordering: .relaxed) < 220)
        // None, and fewer than 50.
        #expect(try FakeAlerts([]) { _ in true }.scan(.everything).newest(count: 50).last == 0)
        #expect(try FakeAlerts([5, 9, 12]) { $0 != 9 }.scan(Self.restricted).newest(count: 50).alerts.map(\.id) == [5, 12])
    }

    @Test("a page of alerts wholly outside the scope moves the cursor past it: the stream never stalls")
    func cursorMovesPastTheOutOfScope() throws {
        // 2,000 alerts outside the scope, then one inside.
        let alerts = FakeAlerts((1...2_001).map { Int64($0) }) { $0 == 2_001 }
        let scan = alerts.scan(Self.restricted)
        // What the stream did before: the same empty page for ever.
        #expect(alerts.read(Self.restricted, 0, 100).isEmpty)
        var after: Int64 = 0
        var shown: [Int64] = []
        for _ in 0..<100 where shown.isEmpty {
            let (page, next) = try scan.step(after: after, limit: 100)
            #expect(next > after || page.isEmpty)
            shown += page.map(\.id)
            if next == after { break }
            after = next
        }
        #expect(shown == [2_001] && after == 2_001)
        // Nothing more: the cursor stays, nothing is sent again.
        let (more, next) = try scan.step(after: after, limit: 100)
        #expect(more.isEmpty && next == after)
        // Admitted alerts are never skipped: every other alert admitted, 100 a step.
        let half = FakeAlerts((1...1_000).map { Int64($0) }) { $0 % 2 == 1 }
        var seen: [Int64] = []
        var cursor: Int64 = 0
        for _ in 0..<100 {
            let (page, next) = try half.scan(Self.restricted).step(after: cursor, limit: 100)
            seen += page.map(\.id)
            guard next > cursor else { break }
            cursor = next
        }
        let odd: [Int64] = stride(from: Int64(1), through: 999, by: 2).map { $0 }
        #expect(seen == odd)
    }

    @Test("a reconnection's Last-Event-ID goes on after it when further; one that is not a number is ignored")
    func lastEventID() {
        #expect(ConsoleServer.alertStreamStart(after: nil, lastEventID: nil) == 0)
        #expect(ConsoleServer.alertStreamStart(after: "12", lastEventID: nil) == 12)
        #expect(ConsoleServer.alertStreamStart(after: "12", lastEventID: "4000") == 4_000)
        #expect(ConsoleServer.alertStreamStart(after: "12", lastEventID: "3") == 12)
        #expect(ConsoleServer.alertStreamStart(after: "12", lastEventID: "x") == 12)
        #expect(ConsoleServer.alertStreamStart(after: "12", lastEventID: "-5") == 12)
        #expect(ConsoleServer.alertStreamStart(after: "x", lastEventID: "40") == nil)
        #expect(ConsoleServer.lastEventID.canonicalName == "last-event-id")
    }
}
