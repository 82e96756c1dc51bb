import Exchange
import LinkRules
import Store
import ZeroMQ

/// The sockets a node holds to one origin: a subscriber to its publisher, a requester to its
/// replay service, and a monitor of each (a protocol error closes a connection for good, so the
/// engine must learn of it and open new sockets).
struct InboundSockets {
    /// Subscribed to the origin's publisher, topic = this node's state.
    let subscriber: Socket
    /// Connected to the origin's service socket: replay requests and receipts.
    let requester: Socket
    /// Connection events of ``subscriber``.
    let subscriberEvents: Socket
    /// Connection events of ``requester``.
    let requesterEvents: Socket
}

/// What a node keeps for one link that delivers to it (origin → this node): the sockets to the
/// origin and the link's rules, which say where the link stands and what to do next.
final class InboundLink {
    /// The origin's card from the roster.
    let card: IdentityCard
    /// The current sockets to the origin; replaced when a connection is lost to a protocol error.
    var sockets: InboundSockets
    /// How many times replacement sockets were made (names the monitors' inproc endpoints).
    var generation = 0
    /// The link's rules and state: position, replay in flight, heartbeats, connections.
    var rules: InboundLinkStateMachine
    /// When the origin was last heard from (for `status`).
    var lastContact: Timestamp?
    /// Which chunks of the origin's attachments to ask for (docs/PROTOCOL.md §17.3).
    var attachmentPull: AttachmentPull
    /// The attachment being pulled, with its key.
    var pulling: (attachment: StoredAttachment, key: AttachmentKey)?
    /// Set while the verifier checks the whole file of ``pulling``.
    var verifying = false
    /// Set when the store could not be read to check a file: not before then again.
    var verifyNotBefore: ContinuousClock.Instant?
    /// When the store is next asked for an attachment in transfer (soon after a bulletin with
    /// attachments is stored, else every second or so).
    var nextAttachmentLookup = ContinuousClock.now
    /// When the receipts of finished attachments the origin has not confirmed are sent again.
    var nextAttachmentReceipts = ContinuousClock.now
    /// The last receipt of the previous round of resent receipts: the next round starts after it
    /// (rounds walk them all, so receipts the origin never confirms do not hold the others back).
    var attachmentReceiptsCursor: StoredAttachment?

    var origin: StateCode { card.state }
    var subscriber: Socket { sockets.subscriber }
    var requester: Socket { sockets.requester }
    /// The last envelope stored from the origin (or taken in the batch being stored).
    var position: ChainPosition { rules.position }
    /// For `status`, metrics and the audit's recovery: see ``InboundLinkStateMachine``.
    var announced: UInt64? { rules.announced }
    var replayRequestedAt: ContinuousClock.Instant? { rules.replayRequestedAt }
    var acceptedLive: Int { rules.acceptedLive }
    var acceptedByReplay: Int { rules.acceptedByReplay }

    init(
        card: IdentityCard, sockets: InboundSockets, rules: InboundLinkStateMachine,
        attachmentPull: AttachmentPull = AttachmentPull()
    ) {
        self.card = card
        self.sockets = sockets
        self.rules = rules
        self.attachmentPull = attachmentPull
    }
}
