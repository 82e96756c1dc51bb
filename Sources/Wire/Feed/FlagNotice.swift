import Foundation

/// A bulletin flagged for review, on a node's local feed (`DATA/feed.sock`) the moment it is
/// flagged: two frames, `["flagged", JSON]`, the topic first (no incident type is called so).
/// The JSON object is `{"bulletin": "DZ-01J…", "origin": "DZ", "reason": "revokedKey",
/// "since": 1740830400000, "rosterVersion": 9, "flaggedAt": 1740834000000,
/// "incidentType": "arms-trafficking"}`. The same object is
/// the `flag` of a bulletin in `feed --json` and the control socket's `history`.
///
/// `revokedKey`: the bulletin was accepted under keys the secretariat later revoked from `since`
/// (the compromise time), and it was created or stored at or after that time: whoever stole the
/// keys may have signed it. It stays stored; readers are told to check it with its origin.
public struct FlagNotice: FeedTopicMessage, Sendable, Equatable {
    /// The topic of flags on the feed.
    public static let topic = "flagged"
    /// The most bytes of a flag's JSON frame that are read.
    public static let maximumBytes = 4_096

    /// The bulletin, `<origin>-<ULID>`.
    public var bulletin: String
    /// The state that posted it (whose keys were revoked).
    public var origin: String
    /// Why it is flagged (`revokedKey`).
    public var reason: String
    /// The compromise time of the revocation (Unix milliseconds).
    public var since: Int64
    /// The roster in force when the node applied the revocation.
    public var rosterVersion: UInt64
    /// When the node flagged it (Unix milliseconds).
    public var flaggedAt: Int64
    /// The bulletin's incident type, so that a program following one type can keep to it
    /// (absent from nodes before it was sent).
    public var incidentType: String?

    /// A flag.
    public init(bulletin: String, origin: String, reason: String, since: Int64, rosterVersion: UInt64, flaggedAt: Int64,
        incidentType: String? = nil
    )
    {
        self.bulletin = bulletin
        self.origin = origin
        self.reason = reason
        self.since = since
        self.rosterVersion = rosterVersion
        self.flaggedAt = flaggedAt
        self.incidentType = incidentType
    }
}
