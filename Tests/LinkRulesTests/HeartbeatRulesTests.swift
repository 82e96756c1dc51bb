import Exchange
import LinkRules
import Testing

/// docs/PROTOCOL.md §16.4: heartbeats and a replay answer's `latest` are unsigned hints; what they
/// may trigger is bounded.
@Suite("Heartbeat rules: hints, never evidence")
struct HeartbeatRulesTests {
    @Test("acknowledging more than was received is refused as implausibleClaim and ignored entirely")
    func implausibleAcknowledgement() {
        var rules = Fixture.rules(at: 3)
        let actions = rules.heartbeatArrived(latest: 9, acknowledged: 5, now: Fixture.at(0))
        #expect(refusals(actions) == [.implausibleClaim])
        #expect(actions.count == 1)
        #expect(rules.announced == nil)
        // Ignored: the next heartbeat is the first to count, so it asks for nothing yet.
        #expect(rules.heartbeatArrived(latest: 9, acknowledged: 3, now: Fixture.at(2)).isEmpty)
    }

    @Test("a position still below the previous heartbeat's latest asks for one replay, audited for one batch")
    func stillBehind() {
        var rules = Fixture.rules(at: 3, batch: 10)
        #expect(rules.heartbeatArrived(latest: 50, acknowledged: 3, now: Fixture.at(0)).isEmpty)
        let actions = rules.heartbeatArrived(latest: 50, acknowledged: 3, now: Fixture.at(2))
        #expect(replayRequests(actions) == [ReplayRequest(after: 3, audited: 4...13, reason: .heartbeat)])
        // In flight: nothing more, however many come.
        for second in 3...20 { #expect(rules.heartbeatArrived(latest: 50, acknowledged: 3, now: Fixture.at(Double(second) / 10 + 2)).isEmpty) }
    }

    @Test("a position caught up with the previous heartbeat asks for nothing (a steady stream is a little behind)")
    func caughtUp() {
        var recipient = Recipient(Fixture.rules(at: 3))
        #expect(recipient.rules.heartbeatArrived(latest: 5, acknowledged: 3, now: Fixture.at(0)).isEmpty)
        recipient.receive(Fixture.envelope(4))
        recipient.receive(Fixture.envelope(5))
        _ = recipient.commit()
        #expect(recipient.rules.heartbeatArrived(latest: 7, acknowledged: 5, now: Fixture.at(2)) == [])
        #expect(recipient.rules.replayRequestedAt == nil)
    }

    @Test("heartbeats trigger at most one replay request per replay timeout, even when the request could not be sent")
    func oneReplayPerTimeout() {
        var rules = Fixture.rules(at: 3)
        _ = rules.heartbeatArrived(latest: 9, acknowledged: 3, now: Fixture.at(0))
        #expect(replayRequests(rules.heartbeatArrived(latest: 9, acknowledged: 3, now: Fixture.at(0.1))).count == 1)
        rules.replayRequestNotSent()
        #expect(rules.heartbeatArrived(latest: 9, acknowledged: 3, now: Fixture.at(3.0)).isEmpty)
        #expect(replayRequests(rules.heartbeatArrived(latest: 9, acknowledged: 3, now: Fixture.at(3.1))).count == 1)
    }

    @Test("a receipt is sent again at most once per heartbeat interval, however many heartbeats come")
    func receiptResendSpacing() {
        var rules = Fixture.rules(at: 3, heartbeat: .seconds(2))
        var sent = 0
        for tenth in 0..<100 {  // 10 s of heartbeats every 100 ms
            sent += receipts(rules.heartbeatArrived(latest: 3, acknowledged: 1, now: Fixture.at(Double(tenth) / 10))).count
        }
        #expect(sent == 5)
    }

    @Test("a replay answer that moves nothing while heartbeats announced more: implausibleClaim, and 60 s of distrust")
    func distrust() {
        var rules = Fixture.rules(at: 3)
        _ = rules.heartbeatArrived(latest: 40, acknowledged: 3, now: Fixture.at(0))
        #expect(replayRequests(rules.heartbeatArrived(latest: 40, acknowledged: 3, now: Fixture.at(2))).count == 1)
        #expect(rules.replayAnswerArrived(latest: 40, envelopeCount: 0) == .ingest)
        let actions = rules.replayAnswerIngested(now: Fixture.at(2.5))
        #expect(refusals(actions) == [.implausibleClaim])
        #expect(replayRequests(actions).isEmpty)
        #expect(rules.announced == 3)
        var requested = 0
        for second in 3...61 {  // heartbeats keep claiming 40
            requested += replayRequests(rules.heartbeatArrived(latest: 40, acknowledged: 3, now: Fixture.at(Double(second)))).count
        }
        #expect(requested == 0)
        #expect(replayRequests(rules.heartbeatArrived(latest: 40, acknowledged: 3, now: Fixture.at(62.5))).count == 1)
    }

    @Test("heartbeats at 2^64−1: one request audited for one batch, then nothing for 60 s but a retry after 3 s unanswered")
    func maximalHeartbeats() {
        var rules = Fixture.rules(at: 7, batch: 256)
        var requests: [ReplayRequest] = []
        for tenth in 0..<30 {
            requests += replayRequests(rules.heartbeatArrived(latest: .max, acknowledged: 0, now: Fixture.at(Double(tenth) / 10)))
        }
        #expect(requests == [ReplayRequest(after: 7, audited: 8...263, reason: .heartbeat)])
        let retry = replayRequests(rules.tick(now: Fixture.at(3.2)))
        #expect(retry == [ReplayRequest(after: 7, audited: 8...263, reason: .retry)])
        #expect(rules.replayAnswerArrived(latest: 7, envelopeCount: 0) == .ingest)
        #expect(refusals(rules.replayAnswerIngested(now: Fixture.at(3.3))) == [.implausibleClaim])
        for second in 4...60 {
            #expect(replayRequests(rules.heartbeatArrived(latest: .max, acknowledged: 0, now: Fixture.at(Double(second)))).isEmpty)
        }
    }
}
