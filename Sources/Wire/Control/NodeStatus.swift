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

    /// A value with every field given.
    public init(state: String, nodeName: String, rosterVersion: UInt64, rosterExpiresAt: Int64, startedAt: Int64, outgoing: [OutgoingLinkStatus], incoming: [IncomingLinkStatus], rejections: [String: [String: Int]], storeBytes: Int64) {
        self.state = state
        self.nodeName = nodeName
        self.rosterVersion = rosterVersion
        self.rosterExpiresAt = rosterExpiresAt
        self.startedAt = startedAt
        self.outgoing = outgoing
        self.incoming = incoming
        self.rejections = rejections
        self.storeBytes = storeBytes
    }
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
    /// Attachments of bulletins sent to the recipient that it has not yet said it holds (or
    /// refused) by an attachment receipt: still in transfer (docs/PROTOCOL.md §17.4).
    public var attachmentsInTransfer: Int?

    /// A value with every field given.
    public init(recipient: String, sent: UInt64, acknowledged: UInt64, oldestUnacknowledged: UnacknowledgedEnvelope? = nil, subscribed: Bool) {
        self.recipient = recipient
        self.sent = sent
        self.acknowledged = acknowledged
        self.oldestUnacknowledged = oldestUnacknowledged
        self.subscribed = subscribed
    }
}

/// The oldest envelope of a link that its recipient has not acknowledged.
public struct UnacknowledgedEnvelope: Codable, Sendable, Equatable {
    /// Its sequence number.
    public var sequence: UInt64
    /// The bulletin it carries.
    public var bulletinID: String
    /// How long ago it was sealed, in seconds.
    public var ageSeconds: Int64

    /// A value with every field given.
    public init(sequence: UInt64, bulletinID: String, ageSeconds: Int64) {
        self.sequence = sequence
        self.bulletinID = bulletinID
        self.ageSeconds = ageSeconds
    }
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
    /// Attachments of the origin's bulletins this node is still pulling.
    public var attachmentsInTransfer: Int?
    /// Envelopes accepted since the node started, as published.
    public var acceptedLive: Int
    /// Envelopes accepted since the node started through replay (what the live path missed).
    public var acceptedByReplay: Int

    /// A value with every field given.
    public init(origin: String, received: UInt64, announced: UInt64? = nil, lastContactAt: Int64? = nil, replaying: Bool, acceptedLive: Int, acceptedByReplay: Int) {
        self.origin = origin
        self.received = received
        self.announced = announced
        self.lastContactAt = lastContactAt
        self.replaying = replaying
        self.acceptedLive = acceptedLive
        self.acceptedByReplay = acceptedByReplay
    }
}
