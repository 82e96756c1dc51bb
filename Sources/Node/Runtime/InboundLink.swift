import Exchange
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
/// origin and where the link stands.
final class InboundLink {
    /// The origin's card from the roster.
    let card: IdentityCard
    /// The current sockets to the origin; replaced when a connection is lost to a protocol error.
    var sockets: InboundSockets
    /// How many times the sockets were replaced (names the monitors' inproc endpoints).
    var generation = 0
    /// The last envelope stored from the origin.
    var position: ChainPosition
    /// What this node answered for the envelope at ``position``: `accepted`, or the 400/5xx
    /// rejection of an authentic envelope whose content it refused. A receipt sent again for the
    /// position says the same, never `accepted` for a refused envelope.
    var positionStatus: ReceiptStatus = .accepted
    /// The highest sequence the origin announced (heartbeat or replay answer). An unsigned hint:
    /// it bounds nothing and is never audited beyond one replay batch past ``position``.
    var announced: UInt64?
    /// The last sequence the previous heartbeat announced: still ahead of ``position`` when the
    /// next heartbeat comes, it means envelopes were lost (not merely on their way).
    var previousHeartbeat: UInt64?
    /// Until when heartbeats from this origin do not trigger replays: its heartbeats announced
    /// envelopes that its own replay service then did not have.
    var heartbeatsIgnoredUntil: ContinuousClock.Instant?
    /// When the origin was last heard from.
    var lastContact: Timestamp?
    /// When the origin's last heartbeat came, on the monotonic clock (`nil`: none since the
    /// sockets were made). Only an origin that sends heartbeats can fall silent: silence longer
    /// than a few of its intervals gets the link new sockets.
    var lastHeard: ContinuousClock.Instant?
    /// The gap between the origin's last two heartbeats (its interval, as seen here).
    var observedHeartbeatInterval: Duration?
    /// When a heartbeat last triggered a replay request (one per replay timeout at most).
    var heartbeatReplayAt: ContinuousClock.Instant?
    /// When a heartbeat last made this node send its receipt again (one per heartbeat interval).
    var receiptResentAt: ContinuousClock.Instant?
    /// When the replay request now in flight was sent (`nil`: none).
    var replayRequestedAt: ContinuousClock.Instant?
    /// Envelopes accepted since start as published (live) and through replay: what ZeroMQ
    /// dropped or the link missed shows up in the second.
    var acceptedLive = 0
    var acceptedByReplay = 0
    /// Times the sockets were replaced since start.
    var resets = 0
    /// When the subscriber's connection closed without libzmq scheduling a new attempt (`nil`:
    /// none pending). Past a short grace, the link gets new sockets.
    var subscriberLostAt: ContinuousClock.Instant?
    /// The same for the requester: each socket's loss is cleared only by its own monitor.
    var requesterLostAt: ContinuousClock.Instant?
    /// The earlier of the two pending losses.
    var lostAt: ContinuousClock.Instant? {
        switch (subscriberLostAt, requesterLostAt) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b?): b
        case (nil, nil): nil
        }
    }
    /// When the sockets were last replaced: not more often than ``NodeEngine/minimumResetSpacing``.
    var lastReset: ContinuousClock.Instant?
    /// When a failed handshake was last logged (once a minute per link at most).
    var handshakeWarnedAt: ContinuousClock.Instant?

    var origin: StateCode { card.state }
    var subscriber: Socket { sockets.subscriber }
    var requester: Socket { sockets.requester }

    /// Records a heartbeat's arrival: the silence watch and the origin's observed interval.
    func noteHeartbeatArrival(at now: ContinuousClock.Instant) {
        if let previous = lastHeard { observedHeartbeatInterval = now - previous }
        lastHeard = now
    }

    init(card: IdentityCard, sockets: InboundSockets, position: ChainPosition) {
        self.card = card
        self.sockets = sockets
        self.position = position
    }
}

/// What a node last answered to one peer's replay requests: while it is in flight (sent less
/// than ``NodeEngine/replayTimeout`` ago and not yet acknowledged by a request beyond it),
/// further requests from that peer are dropped and counted.
struct ReplayAnswer {
    /// The `after` of the request answered.
    let after: UInt64
    /// The last sequence the answer held (`after` when it held none).
    let last: UInt64
    /// When it was sent.
    let sentAt: ContinuousClock.Instant
    /// Whether the service socket queued it (`false`: the peer's queue was full, or it left).
    let queued: Bool
}
