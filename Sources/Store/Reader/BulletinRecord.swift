import Exchange

/// One bulletin with everything its page shows: the body, the summary, for this node's own
/// bulletins each recipient's delivery, the later bulletins that correct or withdraw it, and its
/// flag when this node flagged it for review.
public struct BulletinRecord: Sendable, Hashable {
    /// The bulletin JSON exactly as validated and stored.
    public var body: [UInt8]
    /// Its summary (markings, title, own or received).
    public var summary: BulletinSummary
    /// For an own bulletin, one entry per recipient in the order of their state codes; empty for a
    /// received bulletin.
    public var recipients: [RecipientDelivery]
    /// The bulletins stored here that correct or withdraw this one, oldest first.
    public var laterBulletins: [ChainLink]
    /// Why and since when this node flagged the bulletin for review (a received bulletin accepted
    /// under keys the secretariat later revoked), read from `bulletin_flag`; `nil` when it is not
    /// flagged. Set exactly when ``BulletinSummary/flagged`` is (both read in one transaction).
    public var flag: BulletinFlag?

    /// A record.
    public init(
        body: [UInt8], summary: BulletinSummary, recipients: [RecipientDelivery], laterBulletins: [ChainLink],
        flag: BulletinFlag? = nil
    ) {
        self.body = body
        self.summary = summary
        self.recipients = recipients
        self.laterBulletins = laterBulletins
        self.flag = flag
    }

    /// A later bulletin of the correction and withdrawal chain.
    public struct ChainLink: Sendable, Hashable {
        /// How the later bulletin relates to this one.
        public enum Kind: String, Sendable, Hashable {
            /// It replaces this one in full (`corrects`).
            case correction
            /// It withdraws this one (`withdraws`).
            case withdrawal
        }

        /// The later bulletin's id.
        public var id: BulletinReference
        /// Correction or withdrawal.
        public var kind: Kind
        /// When this node stored it.
        public var storedAt: Timestamp

        /// A link.
        public init(id: BulletinReference, kind: Kind, storedAt: Timestamp) {
            self.id = id
            self.kind = kind
            self.storedAt = storedAt
        }
    }
}

/// Where one recipient's envelope of an own bulletin stands, from the signed receipts stored.
public struct RecipientDelivery: Sendable, Hashable {
    /// The recipient state.
    public var recipient: StateCode
    /// The envelope's sequence on the link to it.
    public var sequence: UInt64
    /// When the envelope was sealed.
    public var sealedAt: Timestamp
    /// What its receipts say.
    public var state: DeliveryState

    /// A delivery.
    public init(recipient: StateCode, sequence: UInt64, sealedAt: Timestamp, state: DeliveryState) {
        self.recipient = recipient
        self.sequence = sequence
        self.sealedAt = sealedAt
        self.state = state
    }
}

/// What the recipient's signed receipts say about one envelope (docs/PROTOCOL.md §11).
public enum DeliveryState: Sendable, Hashable {
    /// No receipt covers it yet.
    case awaitingReceipt
    /// The recipient signed a receipt accepting it; `receivedAt` is when it stored it (its clock).
    case accepted(receivedAt: Timestamp)
    /// A later envelope's receipt covers it (receipts are cumulative through the chain), but none
    /// names it alone: it took its place in the recipient's chain.
    case covered(bySequence: UInt64, receivedAt: Timestamp)
    /// The recipient signed a receipt refusing it, with its reason.
    case refused(RejectionReason, receivedAt: Timestamp)
}
