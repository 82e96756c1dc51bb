import Exchange
import LinkRules
import Testing

/// docs/PROTOCOL.md §8 steps 7–8 (sequence and previous hash against the link's position) and
/// §11.1 (which envelope gets which receipt), driven on the rules alone.
@Suite("Chain rules: next, duplicates, conflicts, gaps, broken chains")
struct ChainRulesTests {
    @Test("envelopes in order are taken one by one; one accepted receipt covers the batch")
    func inOrder() {
        var recipient = Recipient()
        for sequence in UInt64(1)...5 {
            #expect(recipient.receive(Fixture.envelope(sequence)) == .next)
            #expect(recipient.rules.position == Fixture.position(sequence))
        }
        #expect(recipient.commit() == [LinkReceipt(for: Fixture.envelope(5), status: .accepted)])
        #expect(recipient.rules.acceptedLive == 5 && recipient.rules.acceptedByReplay == 0)
    }

    @Test("the first envelope must carry the zero previous hash")
    func firstEnvelopeChainsToZero() {
        var recipient = Recipient()
        let forged = EnvelopeFacts(sequence: 1, previousHash: Fixture.hash(9), hash: Fixture.hash(1))
        #expect(recipient.receive(forged) == .rejectChainBroken(expected: .zero, got: Fixture.hash(9)))
        #expect(recipient.rules.position == .start)
    }

    @Test("a re-delivered envelope (same hash, stored or earlier in the batch) is acknowledged again with the cumulative receipt")
    func duplicate() {
        var recipient = Recipient(Fixture.rules(at: 3))
        #expect(recipient.receive(Fixture.envelope(2)) == .acknowledgeAgain)
        #expect(recipient.commit() == [LinkReceipt(for: Fixture.envelope(3), status: .accepted)])
        // Taken in this batch, not stored yet: still a duplicate, and the accepted receipt covers it.
        #expect(recipient.receive(Fixture.envelope(4)) == .next)
        #expect(recipient.receive(Fixture.envelope(4)) == .acknowledgeAgain)
        #expect(recipient.commit() == [LinkReceipt(for: Fixture.envelope(4), status: .accepted)])
        #expect(recipient.contentOpened == 1)
    }

    @Test("a held envelope read again is acknowledged without a signature check; anything else is checked")
    func readBeforeSignature() {
        var recipient = Recipient(Fixture.rules(at: 3))
        #expect(recipient.read(Fixture.envelope(3)) == .acknowledgeAgain)
        #expect(recipient.read(Fixture.envelope(3, fork: 1)) == .checkSignature)
        #expect(recipient.read(Fixture.envelope(4)) == .checkSignature)
        #expect(recipient.commit() == [LinkReceipt(for: Fixture.envelope(3), status: .accepted)])
    }

    @Test("another envelope for a held sequence is a conflict, receipted with the conflicting envelope's hash")
    func conflict() {
        var recipient = Recipient(Fixture.rules(at: 3))
        let other = Fixture.envelope(2, fork: 7)
        #expect(recipient.receive(other) == .rejectConflict)
        #expect(recipient.rules.position == Fixture.position(3))
        #expect(recipient.commit() == [LinkReceipt(for: other, status: .rejected(.conflict))])
        #expect(recipient.contentOpened == 0)
    }

    @Test("a sequence beyond the next is a gap: no receipt, one replay request for one batch, none while one is in flight")
    func gap() {
        var recipient = Recipient(Fixture.rules(at: 3, batch: 10))
        let action = recipient.receive(Fixture.envelope(9), now: Fixture.at(1))
        #expect(action == .gap(missing: 4...8, replay: ReplayRequest(after: 3, audited: 4...4, reason: .gap)))
        #expect(recipient.rules.replayRequestedAt == Fixture.at(1))
        #expect(recipient.receive(Fixture.envelope(12)) == .gap(missing: 4...11, replay: nil))
        #expect(recipient.commit().isEmpty)
        #expect(recipient.rules.position == Fixture.position(3))
        #expect(recipient.contentOpened == 0)
    }

    @Test("the right sequence with another previous hash breaks the chain: receipted, position kept, the genuine one taken after")
    func chainBroken() {
        var recipient = Recipient(Fixture.rules(at: 1))
        let forked = Fixture.envelope(2, fork: 3)
        #expect(recipient.receive(forked) == .rejectChainBroken(expected: Fixture.hash(1), got: Fixture.hash(1, fork: 3)))
        #expect(recipient.commit() == [LinkReceipt(for: forked, status: .rejected(.chainBroken))])
        #expect(recipient.receive(Fixture.envelope(2)) == .next)
        #expect(recipient.commit() == [LinkReceipt(for: Fixture.envelope(2), status: .accepted)])
    }

    @Test("refused content (400, 5xx) keeps the envelope's place; its rejection is receipted and repeated, never 'accepted'")
    func refusedContentKeepsItsPlace() {
        var recipient = Recipient(Fixture.rules(at: 1))
        #expect(recipient.receive(Fixture.envelope(2), status: .rejected(.invalidBulletin)) == .next)
        #expect(recipient.receive(Fixture.envelope(3), status: .accepted) == .next)
        #expect(recipient.receive(Fixture.envelope(4), status: .rejected(.decryptionFailed)) == .next)
        #expect(
            recipient.commit() == [
                LinkReceipt(for: Fixture.envelope(3), status: .accepted),
                LinkReceipt(for: Fixture.envelope(2), status: .rejected(.invalidBulletin)),
                LinkReceipt(for: Fixture.envelope(4), status: .rejected(.decryptionFailed)),
            ])
        #expect(recipient.rules.position == Fixture.position(4))
        #expect(recipient.rules.cumulativeReceipt == LinkReceipt(for: Fixture.envelope(4), status: .rejected(.decryptionFailed)))
        // A re-delivery of the refused last envelope repeats its rejection.
        #expect(recipient.receive(Fixture.envelope(4)) == .acknowledgeAgain)
        #expect(recipient.commit() == [LinkReceipt(for: Fixture.envelope(4), status: .rejected(.decryptionFailed))])
    }

    @Test("a re-delivery in a batch that accepted envelopes gets no second receipt; the accepted one covers it")
    func noCumulativeWhenAccepted() {
        var recipient = Recipient(Fixture.rules(at: 2))
        #expect(recipient.receive(Fixture.envelope(1)) == .acknowledgeAgain)
        #expect(recipient.receive(Fixture.envelope(3), replayed: true) == .next)
        #expect(recipient.commit() == [LinkReceipt(for: Fixture.envelope(3), status: .accepted)])
        #expect(recipient.rules.acceptedByReplay == 1)
    }

    @Test("taking an envelope out of turn is refused and changes nothing")
    func takeOutOfTurn() {
        var rules = Fixture.rules(at: 2)
        for envelope in [Fixture.envelope(2), Fixture.envelope(4), Fixture.envelope(3, fork: 1)] {
            #expect(throws: InboundLinkError.notNext(envelope: envelope, position: Fixture.position(2))) {
                try rules.take(envelope, status: .accepted, replayed: false)
            }
        }
        #expect(rules.position == Fixture.position(2))
        #expect(rules.storeCommitted().isEmpty)
    }

    @Test("a link with nothing received has no cumulative receipt to send")
    func nothingToAcknowledge() {
        var recipient = Recipient()
        #expect(recipient.rules.cumulativeReceipt == nil)
        #expect(recipient.receive(Fixture.envelope(1, fork: 2)) == .next)
        recipient.failCommit()
        #expect(recipient.rules.cumulativeReceipt == nil)
    }
}
