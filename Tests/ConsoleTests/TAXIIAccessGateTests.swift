import Foundation
import Logging
import NodeClient
import NodeSetup
import Synchronization
import Testing
import Wire

@testable import Console

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
}

@Suite("The TAXII server's gate on the node's bound of agency records")
struct TAXIIAccessGateTests {
    @Test("the standard limits: one agency's catch-up fits whole and within the deliveries' reserve, and leaves the others a share")
    func standardLimits() {
        let limits = TAXIIAccessLimits.standard
        #expect(limits.burst == AgencyAccessBound.consoleBurst && limits.perSecond == AgencyAccessBound.consolePerSecond)
        #expect(limits.agencyBurst >= 100 && limits.agencyBurst < limits.burst)
        #expect(limits.agencyPerSecond < limits.perSecond)
        #expect(limits.deliveryReserve >= limits.agencyBurst && limits.deliveryReserve < limits.burst)
    }

    @Test("deliveries: an agency takes at most its share, then waits the seconds said; another agency is still served")
    func deliveries() {
        let clock = TestClock()
        let gate = TAXIIAccessGate(logger: Logger(label: "test"), clock: { clock.now })
        var first = 0
        for _ in 0..<1_000 where gate.admitDelivery(agency: 1) == nil { first += 1 }
        #expect(first == 100)
        #expect(gate.admitDelivery(agency: 1) == 1)
        // The second agency: what is left of the shared 160.
        var second = 0
        for _ in 0..<1_000 where gate.admitDelivery(agency: 2) == nil { second += 1 }
        #expect(second == 60)
        #expect(gate.admitDelivery(agency: 3) == 1)
        // A second later the shared bucket holds 9 again: both agencies are served within it.
        clock.advance(.seconds(1))
        var again = 0
        for round in 0..<100 where gate.admitDelivery(agency: Int64(1 + round % 2)) == nil { again += 1 }
        #expect(again == 9)
    }

    @Test("a flood of refusals is recorded only above the deliveries' reserve, then counted; deliveries keep their reserve")
    func refusals() {
        let clock = TestClock()
        var quiet = Logger(label: "test")
        quiet.logLevel = .error
        let gate = TAXIIAccessGate(logger: quiet, clock: { clock.now })
        var recorded = 0
        for _ in 0..<10_000 where gate.admitRefusal() { recorded += 1 }
        #expect(recorded == 160 - 100)
        #expect(gate.refusalsNotRecorded == 10_000 - 60)
        var delivered = 0
        for step in 0..<1_000 where gate.admitDelivery(agency: Int64(1 + step % 3)) == nil { delivered += 1 }
        #expect(delivered == 100)
        // An hour of refusals every 10 ms beside one agency paging every 100 ms: every page served.
        var pages = 0
        for step in 1...360_000 {
            clock.advance(.milliseconds(10))
            _ = gate.admitRefusal()
            if step % 20 == 0, gate.admitDelivery(agency: 1) == nil { pages += 1 }
        }
        #expect(pages == 360_000 / 20)
    }

    @Test("the recorder's reserved places: at most the pending bound, given back unused, never dropped; refusals keep to half")
    func reservations() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bn-recorder-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // No node: nothing is ever taken from the queue.
        let recorder = AccessRecorder(
            control: ControlClient(directory: NodeDirectory(path: folder.path), timeoutMilliseconds: 1_000), logger: Logger(label: "test"),
            capacity: 8, maximumAgencyPending: 4)
        for _ in 0..<3 { recorder.recordAgencyRefusal() }
        #expect(recorder.queued.count == 2 && recorder.dropped == 1)
        let first = try #require(recorder.reserveAgencyRecord())
        do {
            let unused = recorder.reserveAgencyRecord()
            #expect(unused != nil)
            #expect(recorder.reserveAgencyRecord() == nil)
            #expect(recorder.agencyPending == 4)
        }
        // The unused slot has ended: its place is back.
        #expect(recorder.agencyPending == 3)
        let second = try #require(recorder.reserveAgencyRecord())
        first.recordDelivery(agency: 3, bulletins: ["MA-01JN8SMHN0F25SPHBKNXW0JX06"])
        first.recordDelivery(agency: 3, bulletins: [])
        #expect(recorder.queued.count == 3 && recorder.agencyPending == 4)
        // Console records fill the rest of the queue but not the place held.
        for _ in 0..<10 { recorder.record(AccessRecorderTests.record) }
        #expect(recorder.queued.count == 7 && recorder.dropped == 1 + 6)
        second.recordDelivery(agency: 4, bulletins: [])
        #expect(recorder.queued.count == 8)
        #expect(recorder.queued.last == .agency(AgencyAccessRecord(agency: 4, outcome: .delivered)))
        #expect(recorder.reserveAgencyRecord() == nil)
        _ = recorder.finish(within: .milliseconds(200))
    }
}
