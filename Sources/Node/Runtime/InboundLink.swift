import Exchange
import ZeroMQ

/// What a node keeps for one link that delivers to it (origin → this node): the sockets to the
/// origin and where the link stands.
final class InboundLink {
    /// The origin's card from the roster.
    let card: IdentityCard
    /// Subscribed to the origin's publisher, topic = this node's state.
    let subscriber: Socket
    /// Connected to the origin's service socket: replay requests and receipts.
    let requester: Socket
    /// The last envelope stored from the origin.
    var position: ChainPosition
    /// The highest sequence the origin announced (heartbeat or envelope).
    var announced: UInt64?
    /// The last sequence the previous heartbeat announced: still ahead of ``position`` when the
    /// next heartbeat comes, it means envelopes were lost (not merely on their way).
    var previousHeartbeat: UInt64?
    /// When the origin was last heard from.
    var lastContact: Timestamp?
    /// When the replay request now in flight was sent (`nil`: none).
    var replayRequestedAt: ContinuousClock.Instant?
    /// Envelopes accepted since start as published (live) and through replay: what ZeroMQ
    /// dropped or the link missed shows up in the second.
    var acceptedLive = 0
    var acceptedByReplay = 0

    var origin: StateCode { card.state }

    init(card: IdentityCard, subscriber: Socket, requester: Socket, position: ChainPosition) {
        self.card = card
        self.subscriber = subscriber
        self.requester = requester
        self.position = position
    }
}
