import Exchange
import LinkRules
import Testing

/// docs/PROTOCOL.md §16.3 on the origin's side: one replay answer in flight per peer, receipts
/// kept only for envelopes sent, and what moves the link's acknowledged number.
@Suite("Outbound link rules: replay throttle and receipts")
struct OutboundLinkRulesTests {
    static func rules(acknowledged: UInt64 = 0) -> OutboundLinkStateMachine {
        OutboundLinkStateMachine(link: Fixture.outboundLink, acknowledged: acknowledged, configuration: .standard)
    }

    static func receipt(_ sequence: UInt64, hash: EnvelopeHash? = nil, status: ReceiptStatus = .accepted, link: Link = Fixture.outboundLink)
        -> Receipt
    {
        Receipt(
            link: link, sequence: sequence, envelopeHash: hash ?? Fixture.hash(sequence), receivedAt: Timestamp(millisecondsSinceEpoch: 1),
            status: status)
    }

    /// The origin sent envelopes 1…5 of chain 0.
    static func sent(_ sequence: UInt64) -> SentEnvelope? {
        (1...5).contains(sequence) ? SentEnvelope(sequence: sequence, hash: Fixture.hash(sequence)) : nil
    }

    @Test("a request within 3 s of the previous answer is throttled, unless it follows an answer that held envelopes")
    func throttle() {
        var rules = Self.rules()
        #expect(rules.replayRequested(after: 0, now: Fixture.at(0)) == .answer)
        rules.answerSent(after: 0, last: 256, queued: true, now: Fixture.at(0))
        #expect(rules.replayRequested(after: 256, now: Fixture.at(0.1)) == .answer)
        if case .throttle = rules.replayRequested(after: 100, now: Fixture.at(0.1)) {} else { Issue.record("not throttled") }
        rules.answerSent(after: 256, last: 256, queued: true, now: Fixture.at(0.2))  // an empty answer
        if case .throttle = rules.replayRequested(after: 256, now: Fixture.at(3.1)) {} else { Issue.record("not throttled") }
        #expect(rules.replayRequested(after: 256, now: Fixture.at(3.2)) == .answer)
    }

    @Test("an answer the socket could not queue is followed by nothing for 3 s")
    func notQueued() {
        var rules = Self.rules()
        rules.answerSent(after: 0, last: 256, queued: false, now: Fixture.at(0))
        #expect(rules.replayRequested(after: 256, now: Fixture.at(2.9)) != .answer)
        #expect(rules.replayRequested(after: 256, now: Fixture.at(3)) == .answer)
    }

    @Test("a receipt for another link is refused as wrongRecipient")
    func wrongLink() {
        let verdict = Self.rules().receiptArrived(Self.receipt(1, link: Fixture.link), sent: Self.sent)
        #expect(verdict == .refuse(.wrongRecipient, detail: "receipt for MA→DZ"))
    }

    @Test("a receipt for a sequence never sent is refused as chainBroken")
    func neverSent() {
        if case .refuse(let reason, _) = Self.rules().receiptArrived(Self.receipt(6), sent: Self.sent) {
            #expect(reason == .chainBroken)
        } else {
            Issue.record("kept a receipt for an envelope never sent")
        }
    }

    @Test("kept receipts move acknowledged: accepted and 400/5xx do, 3xx and lower sequences do not")
    func acknowledged() {
        var rules = Self.rules(acknowledged: 1)
        #expect(rules.receiptArrived(Self.receipt(3), sent: Self.sent) == .keep)
        rules.receiptStored(Self.receipt(3))
        #expect(rules.acknowledged == 3)
        rules.receiptStored(Self.receipt(2))
        #expect(rules.acknowledged == 3)
        rules.receiptStored(Self.receipt(4, status: .rejected(.invalidBulletin)))
        #expect(rules.acknowledged == 4)
        rules.receiptStored(Self.receipt(5, status: .rejected(.conflict)))
        #expect(rules.acknowledged == 4)
        rules.receiptStored(Self.receipt(5, status: .rejected(.decryptionFailed)))
        #expect(rules.acknowledged == 5)
    }
}
