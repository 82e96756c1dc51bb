/// What `bordernet status` shows: the node, its roster and each of its links.
public struct NodeStatus: Codable, Sendable, Equatable {
    /// This node's state.
    public var state: String
    /// This node's name.
    public var nodeName: String
    /// The installed roster's version.
    public var rosterVersion: UInt64
    /// When the installed roster expires (Unix milliseconds).
    public var rosterExpiresAt: Int64
    /// When the node started (Unix milliseconds).
    public var startedAt: Int64
    /// Links from this node to each recipient.
    public var outgoing: [OutgoingLinkStatus]
    /// Links from each origin to this node.
    public var incoming: [IncomingLinkStatus]
    /// Refused messages per peer and reason.
    public var rejections: [String: [String: Int]]
    /// Bytes used by the store (database and write-ahead log).
    public var storeBytes: Int64
}

/// One link from this node.
public struct OutgoingLinkStatus: Codable, Sendable, Equatable {
    /// The recipient state.
    public var recipient: String
    /// The last sequence sealed on the link.
    public var sent: UInt64
    /// The highest sequence the recipient acknowledged (its receipts cover everything up to it).
    public var acknowledged: UInt64
    /// The oldest envelope not acknowledged yet.
    public var oldestUnacknowledged: UnacknowledgedEnvelope?
    /// Whether the recipient is subscribed to its topic right now.
    public var subscribed: Bool
}

/// The oldest envelope of a link that its recipient has not acknowledged.
public struct UnacknowledgedEnvelope: Codable, Sendable, Equatable {
    /// Its sequence number.
    public var sequence: UInt64
    /// The bulletin it carries.
    public var bulletinID: String
    /// How long ago it was sealed, in seconds.
    public var ageSeconds: Int64
}

/// One link to this node.
public struct IncomingLinkStatus: Codable, Sendable, Equatable {
    /// The origin state.
    public var origin: String
    /// The last sequence stored from it.
    public var received: UInt64
    /// The last sequence the origin announced (heartbeat or envelope), if heard.
    public var announced: UInt64?
    /// When the origin was last heard from (Unix milliseconds).
    public var lastContactAt: Int64?
    /// Whether a replay request is waiting for its answer.
    public var replaying: Bool
    /// Envelopes accepted since the node started, as published.
    public var acceptedLive: Int
    /// Envelopes accepted since the node started through replay (what the live path missed).
    public var acceptedByReplay: Int
}
