import Exchange
import LinkRules
import Testing

/// docs/PROTOCOL.md §16.3 on the requester's side: one request in flight, the next batch only
/// after one that moved the position, no loop on an unsigned `latest`, answers bounded.
@Suite("Replay answer rules")
struct ReplayAnswerRulesTests {
    @Test("at most one request in flight; sent again only after the replay timeout; a request not sent frees the slot")
    func oneInFlight() {
        var rules = Fixture.rules(at: 2)
        #expect(rules.requestReplay(.start, now: Fixture.at(0)) == ReplayRequest(after: 2, audited: 3...3, reason: .start))
        #expect(rules.requestReplay(.gap, now: Fixture.at(1)) == nil)
        #expect(rules.tick(now: Fixture.at(3)).isEmpty)
        #expect(replayRequests(rules.tick(now: Fixture.at(3.01))).map(\.reason) == [.retry])
        rules.replayRequestNotSent()
        #expect(rules.requestReplay(.gap, now: Fixture.at(3.02)) != nil)
    }

    @Test("an answer of more than 10,000 envelopes is refused as malformed and leaves the request in flight")
    func oversizedAnswer() {
        var rules = Fixture.rules(at: 0)
        _ = rules.requestReplay(.start, now: Fixture.at(0))
        #expect(rules.replayAnswerArrived(latest: 20_000, envelopeCount: 10_001) == .refuse(.malformedMessage, detail: "replay batch of 10001 envelopes"))
        #expect(rules.replayRequestedAt != nil)
        #expect(rules.replayAnswerIngested(now: Fixture.at(1)).isEmpty)
        #expect(rules.replayAnswerArrived(latest: 20_000, envelopeCount: 10_000) == .ingest)
        #expect(rules.replayRequestedAt == nil)
    }

    @Test("the next batch is asked for after a batch that moved the position and left it below latest")
    func continueAfterProgress() {
        var recipient = Recipient(Fixture.rules(at: 0, batch: 3))
        _ = recipient.rules.requestReplay(.start, now: Fixture.at(0))
        #expect(recipient.rules.replayAnswerArrived(latest: 7, envelopeCount: 3) == .ingest)
        for sequence in UInt64(1)...3 { recipient.receive(Fixture.envelope(sequence), replayed: true) }
        _ = recipient.commit()
        let actions = recipient.rules.replayAnswerIngested(now: Fixture.at(0.5))
        #expect(replayRequests(actions) == [ReplayRequest(after: 3, audited: 4...6, reason: .continue)])
        #expect(recipient.rules.announced == 6)  // latest 7 is believed only one batch ahead
        // The last batch reaches latest: nothing more is asked.
        #expect(recipient.rules.replayAnswerArrived(latest: 7, envelopeCount: 3) == .ingest)
        for sequence in UInt64(4)...7 { recipient.receive(Fixture.envelope(sequence), replayed: true) }
        _ = recipient.commit()
        #expect(recipient.rules.replayAnswerIngested(now: Fixture.at(0.6)).isEmpty)
        #expect(recipient.rules.acceptedByReplay == 7)
    }

    @Test("an empty answer with a huge latest asks for nothing (no loop on an unsigned latest)")
    func noLoopOnLatest() {
        var rules = Fixture.rules(at: 5)
        _ = rules.requestReplay(.start, now: Fixture.at(0))
        #expect(rules.replayAnswerArrived(latest: .max, envelopeCount: 0) == .ingest)
        #expect(rules.replayAnswerIngested(now: Fixture.at(0.1)).isEmpty)
        #expect(rules.announced == 5 + 256)
        #expect(rules.replayRequestedAt == nil)
    }

    /// Was "counts as one that moved nothing" until a review after the merge: that refused an
    /// honest origin (implausibleClaim) for our own store's failure and stalled the link for 60 s.
    @Test("an answer whose envelopes could not be stored refuses nothing; the replay is asked again")
    func failedCommitRefusesNothing() {
        var recipient = Recipient(Fixture.rules(at: 0))
        _ = recipient.rules.heartbeatArrived(latest: 4, acknowledged: 0, now: Fixture.at(0))
        _ = recipient.rules.heartbeatArrived(latest: 4, acknowledged: 0, now: Fixture.at(2))
        #expect(recipient.rules.replayAnswerArrived(latest: 4, envelopeCount: 4) == .ingest)
        for sequence in UInt64(1)...4 { recipient.receive(Fixture.envelope(sequence), replayed: true) }
        recipient.failCommit(now: Fixture.at(2.5))
        #expect(refusals(recipient.rules.replayAnswerIngested(now: Fixture.at(2.5))).isEmpty)
        #expect(recipient.rules.position == .start)
        #expect(replayRequests(recipient.rules.tick(now: Fixture.at(6))).map(\.after) == [0])
    }

    @Test("an answer ingested that was never admitted does nothing")
    func ingestedWithoutAnswer() {
        var rules = Fixture.rules(at: 5)
        #expect(rules.replayAnswerIngested(now: Fixture.at(0)).isEmpty)
    }
}
