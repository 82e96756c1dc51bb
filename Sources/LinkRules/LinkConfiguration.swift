import Exchange

/// The figures the link rules run on: the node's own settings (`limits.heartbeat_interval_ms`,
/// `limits.replay_batch` of `node.toml`) and the fixed delays of docs/PROTOCOL.md §16.3–§16.5.
///
/// The fixed delays are the protocol's: a peer relies on them (a requester retries after the
/// replay timeout, an origin throttles within it), so they are constants here, not settings.
public struct LinkConfiguration: Hashable, Sendable {
    /// The largest `limits.replay_batch` a node can be configured with, and so the most
    /// envelopes a replay answer may hold: a larger answer is refused as malformed (§16.5).
    public static let maximumReplayBatch = ReplayLimit.maximumEnvelopes

    /// This node's heartbeat interval: a receipt is sent again at most once per interval, and a
    /// silent origin is measured against it.
    public let heartbeatInterval: Duration
    /// The most envelopes one replay answer brings, and so the most sequences one replay request
    /// is audited for (clamped to 1…``maximumReplayBatch``).
    public let replayBatchSize: Int

    /// How long a replay request may go unanswered before it is sent again, and how long an
    /// origin waits before it answers the same peer again (§16.3).
    public let replayTimeout = Duration.seconds(3)
    /// How long heartbeats from an origin trigger no replay after a replay answer showed that
    /// they announced envelopes its own service did not have (§16.4 step 4).
    public let heartbeatDistrust = Duration.seconds(60)
    /// How long a closed connection may wait for libzmq to schedule its reconnection.
    public let connectionLossGrace = Duration.seconds(1)
    /// The shortest time between two replacements of a link's sockets after lost connections.
    public let minimumResetSpacing = Duration.seconds(5)
    /// The shortest silence after which a link whose origin sends heartbeats gets new sockets.
    public let minimumSilenceBeforeReset = Duration.seconds(30)
    /// How many of the origin's heartbeat intervals (or ours, whichever is longer) make a silence.
    public let silentIntervals = 3
    /// A failed handshake is logged once per this interval per link at most.
    public let handshakeWarningInterval = Duration.seconds(60)

    /// The rules for a node with this heartbeat interval and replay batch size.
    public init(heartbeatInterval: Duration, replayBatchSize: Int) {
        self.heartbeatInterval = heartbeatInterval
        self.replayBatchSize = min(max(replayBatchSize, 1), Self.maximumReplayBatch)
    }

    /// `node.toml`'s defaults: a heartbeat every 2 s, replay batches of 256 envelopes.
    public static let standard = LinkConfiguration(heartbeatInterval: .milliseconds(2_000), replayBatchSize: 256)
}
