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
        rules.storeCommitFailed()
        #expect(rules.position == Fixture.position(4))
    }
}
