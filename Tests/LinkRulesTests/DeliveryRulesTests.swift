import Exchange
import LinkRules
import Testing

/// Receipts leave only once the batch is stored, and a failed commit takes the link back to what
/// is stored (docs/PROTOCOL.md §8 "Then the node stores … and only then sends its receipt").
@Suite("Delivery rules: store commits, rollbacks, lost receipts")
struct DeliveryRulesTests {
    @Test("no receipt before the commit; a failed commit sends none and goes back to the stored position and status")
    func failedCommit() {
        var recipient = Recipient(Fixture.rules(at: 2, status: .rejected(.invalidBulletin)))
        #expect(recipient.receive(Fixture.envelope(3)) == .next)
        #expect(recipient.receive(Fixture.envelope(4), status: .rejected(.decryptionFailed)) == .next)
        #expect(recipient.receive(Fixture.envelope(1, fork: 5)) == .rejectConflict)
        recipient.failCommit()
        #expect(recipient.rules.position == Fixture.position(2))
        #expect(recipient.rules.positionStatus == .rejected(.invalidBulletin))
        // Nothing of the failed batch is remembered: no receipt for it at the next commit.
        #expect(recipient.commit().isEmpty)
        // The envelopes come again (by replay) and are taken as new, not as duplicates.
        #expect(recipient.receive(Fixture.envelope(3), replayed: true) == .next)
        #expect(recipient.commit() == [LinkReceipt(for: Fixture.envelope(3), status: .accepted)])
    }

    @Test("after a failed commit an envelope taken in that batch is not mistaken for a held one")
    func rollbackForgetsTaken() {
        var recipient = Recipient(Fixture.rules(at: 0))
        #expect(recipient.receive(Fixture.envelope(1)) == .next)
        recipient.failCommit()
        #expect(recipient.read(Fixture.envelope(1)) == .checkSignature)
        #expect(recipient.receive(Fixture.envelope(1)) == .next)
    }

    @Test("a heartbeat saying our receipts were lost gets the cumulative receipt again, with the position's status")
    func lostReceipts() {
        var recipient = Recipient(Fixture.rules(at: 3, status: .rejected(.invalidBulletin)))
        let actions = recipient.rules.heartbeatArrived(latest: 3, acknowledged: 1, now: Fixture.at(0))
        #expect(receipts(actions) == [LinkReceipt(for: Fixture.envelope(3), status: .rejected(.invalidBulletin))])
        #expect(recipient.rules.heartbeatArrived(latest: 3, acknowledged: 3, now: Fixture.at(5)).isEmpty)
    }

    @Test("a commit after which nothing happened sends nothing")
    func emptyCommit() {
        var rules = Fixture.rules(at: 4)
        #expect(rules.storeCommitted().isEmpty)
        rules.storeCommitFailed(now: Fixture.at(0))
        #expect(rules.position == Fixture.position(4))
        // Nothing was taken: no replay is scheduled for this link.
        #expect(rules.tick(now: Fixture.at(60)).isEmpty)
    }

    /// The defect a review found after the merge: a replay answer whose commit failed looked like
    /// an answer that moved nothing, so the honest origin was refused as implausibleClaim, its
    /// heartbeats ignored for 60 s and no further batch asked for.
    @Test("a replay answer whose commit fails blames nobody, and the replay is asked again after the timeout")
    func failedCommitOfAReplay() {
        var recipient = Recipient(Fixture.rules(at: 2))
        #expect(replayRequests(recipient.rules.heartbeatArrived(latest: 9, acknowledged: 2, now: Fixture.at(0))).isEmpty)
        let asked = replayRequests(recipient.rules.heartbeatArrived(latest: 9, acknowledged: 2, now: Fixture.at(1)))
        #expect(asked.map(\.after) == [2])
        #expect(recipient.rules.replayAnswerArrived(latest: 9, envelopeCount: 2) == .ingest)
        #expect(recipient.receive(Fixture.envelope(3), replayed: true, now: Fixture.at(1.5)) == .next)
        #expect(recipient.receive(Fixture.envelope(4), replayed: true, now: Fixture.at(1.5)) == .next)
        recipient.failCommit(now: Fixture.at(1.5))
        let afterAnswer = recipient.rules.replayAnswerIngested(now: Fixture.at(1.5))
        #expect(afterAnswer.isEmpty, "\(afterAnswer)")
        #expect(recipient.rules.position == Fixture.position(2))
        // Within the replay timeout nothing more is asked; after it, the same replay again.
        #expect(replayRequests(recipient.rules.tick(now: Fixture.at(3))).isEmpty)
        #expect(replayRequests(recipient.rules.tick(now: Fixture.at(5))).map(\.after) == [2])
        // The envelopes come again by that replay and are taken as new.
        #expect(recipient.receive(Fixture.envelope(3), replayed: true, now: Fixture.at(5.5)) == .next)
    }
}
