import Testing
import Wire

/// The bucket shared by the node (what it writes) and the console (what it serves): docs/AUDIT.md
/// §3.3, docs/TAXII.md "Limits".
@Suite("The bound on agency access records")
struct AgencyAccessBoundTests {
    @Test("the console's bound stays within the node's: burst and pending records within its burst, a lower rate")
    func consoleWithinNode() {
        #expect(AgencyAccessBound.consoleBurst + AgencyAccessBound.consolePending <= AgencyAccessBound.nodeBurst)
        #expect(AgencyAccessBound.consolePerSecond < AgencyAccessBound.nodePerSecond)
        #expect(AgencyAccessBound.consolePending >= AgencyAccessRecord.maximumPerRequest)
    }

    @Test("a reserve is never taken by admit(keeping:); seconds until a record; refills lose no fraction")
    func reserveAndWait() {
        var bound = AgencyAccessBound(burst: 10, perSecond: 2)
        let start = ContinuousClock.now
        #expect(bound.admit(100, keeping: 6, now: start) == 4)
        #expect(bound.admit(1, keeping: 6, now: start) == 0)
        #expect(bound.availableRecords(now: start) == 6)
        #expect(bound.admit(6, now: start) == 6)
        #expect(bound.droppedInInterval == 97)
        // Empty: one record in 0.5 s (rounded up to 1), three in 1.5 s (2).
        #expect(bound.secondsUntil(1, now: start) == 1)
        #expect(bound.secondsUntil(3, now: start) == 2)
        #expect(bound.secondsUntil(1_000, now: start) == 5)
        #expect(bound.secondsUntil(0, now: start) == 0)
        // 1,000 refills 0.4 ms apart (0.4 s in all): 0.8 records, none lost to rounding.
        for step in 1...1_000 { _ = bound.availableRecords(now: start + .microseconds(400 * step)) }
        #expect(bound.availableRecords(now: start + .milliseconds(400)) == 0)
        #expect(bound.availableRecords(now: start + .milliseconds(500)) == 1)
        // A clock that goes back regains nothing and takes nothing away.
        #expect(bound.availableRecords(now: start) == 1)
        #expect(bound.admit(-3, now: start) == 0)
        #expect(bound.admit(1, keeping: -5, now: start + .milliseconds(500)) == 1)
    }

    @Test("whatever the delays, what the console's bound admits with its pending records held the node's bound admits whole")
    func nodeAdmitsWhatTheConsoleServes() {
        var console = AgencyAccessBound(burst: AgencyAccessBound.consoleBurst, perSecond: AgencyAccessBound.consolePerSecond)
        var node = AgencyAccessBound(burst: AgencyAccessBound.nodeBurst, perSecond: AgencyAccessBound.nodePerSecond)
        let start = ContinuousClock.now
        var pending = 0
        var served = 0
        // 600 s of requests every 5 ms; the node takes what is pending (8 a request) every 20 ms,
        // except in four stalls of 30 s, after which it takes everything held at once.
        for step in 0..<120_000 {
            let now = start + .milliseconds(5 * step)
            let stalled = (step / 6_000) % 5 == 1
            if pending < AgencyAccessBound.consolePending, console.admit(1, now: now) == 1 {
                pending += 1
                served += 1
            }
            if !stalled, step % 4 == 0 {
                let taken = (step / 6_000) % 5 == 2 && step % 6_000 == 0 ? pending : min(pending, AgencyAccessRecord.maximumPerRequest)
                #expect(node.admit(taken, now: now) == taken)
                pending -= taken
            }
        }
        #expect(node.droppedInInterval == 0)
        #expect(served > AgencyAccessBound.consolePerSecond * 400)
    }
}
