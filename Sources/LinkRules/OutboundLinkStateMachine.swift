import Exchange

/// The rules of one link from this node (this node → recipient), on the origin's side: which
/// receipts it keeps and how far they acknowledge the link, and when it answers the recipient's
/// replay requests (docs/PROTOCOL.md §16.3). A value fed with events, as
/// ``InboundLinkStateMachine``; signatures, the store and the sockets are the engine's.
public struct OutboundLinkStateMachine: Sendable {
    /// An instant on the monotonic clock.
    public typealias Instant = ContinuousClock.Instant

    /// The link: this node, and the recipient.
    public let link: Link
    /// The figures the rules run on.
    public let configuration: LinkConfiguration
    /// The highest sequence the recipient acknowledged: an `accepted` receipt, or a `rejected`
    /// one with 400/5xx (that envelope took its place in the recipient's chain, §8).
    public private(set) var acknowledged: UInt64
    /// The last replay answer sent to the recipient.
    private var lastAnswer: ReplayAnswer?

    /// What to do with a replay request.
    public enum ReplayVerdict: Hashable, Sendable {
        /// Answer it, then report ``OutboundLinkStateMachine/answerSent(after:last:queued:now:)``.
        case answer
        /// Drop it and count it as `throttled`: the previous answer is in flight.
        case throttle(detail: String)
    }

    /// What to do with a receipt whose signature holds.
    public enum ReceiptVerdict: Hashable, Sendable {
        /// Store it, then report ``OutboundLinkStateMachine/receiptStored(_:)``.
        case keep
        /// Count it as a transport refusal and drop it (nothing is answered, §16.3).
        case refuse(RejectionReason, detail: String)
    }

    /// A link whose recipient acknowledged up to `acknowledged` (as stored).
    public init(link: Link, acknowledged: UInt64 = 0, configuration: LinkConfiguration) {
        self.link = link
        self.acknowledged = acknowledged
        self.configuration = configuration
    }

    // MARK: Replay

    /// The recipient asks for the envelopes after `after`. One answer in flight per peer: a
    /// request is answered when the previous answer is older than the replay timeout (the
    /// requester's own retry delay), or when it starts at or beyond the last envelope of a
    /// queued answer that brought some (the requester got it and asks for the next).
    public func replayRequested(after: UInt64, now: Instant) -> ReplayVerdict {
        guard let previous = lastAnswer, now - previous.sentAt < configuration.replayTimeout, !previous.isFollowed(by: after) else {
            return .answer
        }
        return .throttle(detail: "replay request after \(after) while the answer after \(previous.after) is in flight")
    }

    /// An answer to `after` holding envelopes up to `last` (`after` when none) was sent;
    /// `queued` is `false` when the service socket could not queue it (the peer's queue is full,
    /// or it left): then nothing more is answered for the replay timeout either.
    public mutating func answerSent(after: UInt64, last: UInt64, queued: Bool, now: Instant) {
        lastAnswer = ReplayAnswer(after: after, last: last, sentAt: now, queued: queued)
    }

    // MARK: Receipts

    /// A receipt whose signature holds came from the recipient. It is kept only if it is for
    /// this link and names an envelope this node sent on it with that sequence **and** that
    /// hash; `sent` answers the envelope stored for a sequence.
    public func receiptArrived(_ receipt: Receipt, sent: (UInt64) -> SentEnvelope?) -> ReceiptVerdict {
        guard receipt.link == link else { return .refuse(.wrongRecipient, detail: "receipt for \(receipt.link)") }
        guard let envelope = sent(receipt.sequence), envelope.sequence == receipt.sequence, envelope.hash == receipt.envelopeHash else {
            return .refuse(.chainBroken, detail: "receipt for sequence \(receipt.sequence) names an envelope we did not send")
        }
        return .keep
    }

    /// A kept receipt was stored: an `accepted` one, or a `rejected` one whose envelope took its
    /// place in the recipient's chain (400/5xx), moves ``acknowledged`` up to its sequence (and
    /// the heartbeats stop asking for it again). Others change nothing.
    public mutating func receiptStored(_ receipt: Receipt) {
        switch receipt.status {
        case .accepted:
            acknowledged = max(acknowledged, receipt.sequence)
        case .rejected(let reason):
            if reason.keepsChainPlace { acknowledged = max(acknowledged, receipt.sequence) }
        }
    }
}
