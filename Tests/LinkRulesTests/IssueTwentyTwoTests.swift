import Exchange
import LinkRules
import Testing

/// The link-rule bugs of issue 22 that no test caught before the rules were a value of their own.
@Suite("Issue 22: bugs no test would catch")
struct IssueTwentyTwoTests {
    /// Catches issue 22 bug 1: the fast path taking a pre-opened envelope on its sequence alone,
    /// without comparing its previous hash with the link's position. MA sends a genuine
    /// envelope 1, then an envelope 2 whose previous hash is wrong: the rules call it
    /// `chainBroken` (receipted), refuse to take it, and keep only envelope 1; the correct
    /// envelope 2 is then taken.
    @Test("bug 1: an envelope with the next sequence and a wrong previous hash is not taken")
    func fastPathComparesPreviousHash() {
        var recipient = Recipient()
        #expect(recipient.receive(Fixture.envelope(1)) == .next)
        let wrong = EnvelopeFacts(sequence: 2, previousHash: Fixture.hash(1, fork: 9), hash: Fixture.hash(2, fork: 9))
        #expect(recipient.receive(wrong) == .rejectChainBroken(expected: Fixture.hash(1), got: Fixture.hash(1, fork: 9)))
        // Taken directly, as a fast path that skipped the classification would: refused as well.
        #expect(throws: InboundLinkError.self) { try recipient.rules.take(wrong, status: .accepted, replayed: false) }
        #expect(recipient.rules.position == Fixture.position(1))
        #expect(
            recipient.commit() == [
                LinkReceipt(for: Fixture.envelope(1), status: .accepted), LinkReceipt(for: wrong, status: .rejected(.chainBroken)),
            ])
        #expect(recipient.contentOpened == 1)
        #expect(recipient.receive(Fixture.envelope(2)) == .next)
        #expect(recipient.rules.position == Fixture.position(2))
    }

    /// Catches issue 22 bug 2: an origin accepting a receipt for the right sequence but another
    /// envelope hash. A DZ-signed "accepted" receipt for sequence 1 with another hash leaves MA at
    /// 0 acknowledged and is refused (counted as `chainBroken`); the correct receipt then gives 1.
    @Test("bug 2: a receipt naming the right sequence and another hash is refused")
    func receiptMustNameTheHashSent() {
        var rules = OutboundLinkStateMachine(link: Fixture.outboundLink, configuration: .standard)
        let sent: (UInt64) -> SentEnvelope? = { $0 == 1 ? SentEnvelope(sequence: 1, hash: Fixture.hash(1)) : nil }
        let forged = Receipt(
            link: Fixture.outboundLink, sequence: 1, envelopeHash: Fixture.hash(1, fork: 4), receivedAt: Timestamp(millisecondsSinceEpoch: 1),
            status: .accepted)
        #expect(
            rules.receiptArrived(forged, sent: sent)
                == .refuse(.chainBroken, detail: "receipt for sequence 1 names an envelope we did not send"))
        #expect(rules.acknowledged == 0)
        let genuine = Receipt(
            link: Fixture.outboundLink, sequence: 1, envelopeHash: Fixture.hash(1), receivedAt: Timestamp(millisecondsSinceEpoch: 1),
            status: .accepted)
        #expect(rules.receiptArrived(genuine, sent: sent) == .keep)
        rules.receiptStored(genuine)
        #expect(rules.acknowledged == 1)
    }
}
