import Foundation

/// A bulletin flagged for review, on a node's local feed (`DATA/feed.sock`) the moment it is
/// flagged: two frames, `["flagged", JSON]`, the topic first (no incident type is called so).
/// The JSON object is `{"bulletin": "DZ-01J…", "origin": "DZ", "reason": "revokedKey",
/// "since": 1740830400000, "rosterVersion": 9, "flaggedAt": 1740834000000}`. The same object is
/// the `flag` of a bulletin in `feed --json` and the control socket's `history`.
///
/// `revokedKey`: the bulletin was accepted under keys the secretariat later revoked from `since`
/// (the compromise time), and it was created or stored at or after that time: whoever stole the
/// keys may have signed it. It stays stored; readers are told to check it with its origin.
public struct FlagNotice: Codable, Sendable, Equatable {
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
    /// The roster that revoked the keys.
    public var rosterVersion: UInt64
    /// When the node flagged it (Unix milliseconds).
    public var flaggedAt: Int64

    /// A flag.
    public init(bulletin: String, origin: String, reason: String, since: Int64, rosterVersion: UInt64, flaggedAt: Int64)
    {
        self.bulletin = bulletin
        self.origin = origin
        self.reason = reason
        self.since = since
        self.rosterVersion = rosterVersion
        self.flaggedAt = flaggedAt
    }

    /// Its frames: the topic, then the JSON.
    public var frames: [[UInt8]] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [Array(Self.topic.utf8), (try? encoder.encode(self)).map(Array.init) ?? Array("{}".utf8)]
    }

    /// Reads a flag from the feed: two frames, the topic `flagged`, then a JSON object of the
    /// members above of at most ``maximumBytes``; `nil` for anything else.
    public init?(frames: [[UInt8]]) {
        guard frames.count == 2, frames[0] == Array(Self.topic.utf8), frames[1].count <= Self.maximumBytes,
            let decoded = try? JSONDecoder().decode(FlagNotice.self, from: Data(frames[1]))
        else { return nil }
        self = decoded
    }
}
