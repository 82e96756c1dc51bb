import Foundation

/// An alert on a node's local feed (`DATA/feed.sock`): two frames, `["alert", JSON]`, the topic
/// first, so that a program subscribes to alerts alone with the topic `alert` (no incident type
/// is called so). The JSON object is
/// `{"alert": 12, "entry": 3, "bulletin": "DZ-01J…", "score": 0.93, "raisedAt": 1740830400000}`.
/// Bulletins on the feed are three frames (``FeedMessage``), so neither reads as the other.
///
/// Every subscriber of the feed reads it (agency systems too): it carries numbers only, never
/// the entry's owner nor the value watched. The node's user reads those by the alert's number
/// in `watchlists.sqlite` (`WatchAlertReader`, `bordernet alerts`).
public struct AlertMessage: FeedTopicMessage, Sendable, Equatable {
    /// The topic of alerts on the feed.
    public static let topic = "alert"
    /// The most bytes of an alert's JSON frame that are read.
    public static let maximumBytes = 8_192

    /// The alert's number (`bordernet alerts --after N` reads after it).
    public var alert: Int64
    /// The watch-list entry that matched.
    public var entry: Int64
    /// The bulletin, `<origin>-<ULID>`.
    public var bulletin: String
    /// How strongly it matched, 0…1 (1 for an exact identifier).
    public var score: Double
    /// When it was raised (Unix milliseconds).
    public var raisedAt: Int64

    /// An alert.
    public init(
        alert: Int64, entry: Int64, bulletin: String, score: Double, raisedAt: Int64
    ) {
        self.alert = alert
        self.entry = entry
        self.bulletin = bulletin
        self.score = score
        self.raisedAt = raisedAt
    }
}
