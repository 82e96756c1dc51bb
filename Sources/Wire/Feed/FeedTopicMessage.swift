import Foundation

/// A message on a node's local feed (`DATA/feed.sock`) under a topic of its own: two frames, the
/// topic then one JSON object of at most ``maximumBytes`` (``AlertMessage`` on `alert`,
/// ``FlagNotice`` on `flagged`). Bulletins are three frames (``FeedMessage``), so none reads as
/// another. One encoding and one bounded reading for all of them.
public protocol FeedTopicMessage: Codable {
    /// The topic, the first frame.
    static var topic: String { get }
    /// The most bytes of the JSON frame that are read.
    static var maximumBytes: Int { get }
}

extension FeedTopicMessage {
    /// Its frames: the topic, then the JSON (sorted keys).
    public var frames: [[UInt8]] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [Array(Self.topic.utf8), (try? encoder.encode(self)).map(Array.init) ?? Array("{}".utf8)]
    }

    /// Reads the message from the feed: two frames, the topic, then a JSON object of the
    /// message's members of at most ``maximumBytes``; `nil` for anything else (a bulletin,
    /// another topic, a damaged message).
    public init?(frames: [[UInt8]]) {
        guard frames.count == 2, frames[0] == Array(Self.topic.utf8), frames[1].count <= Self.maximumBytes,
            let decoded = try? JSONDecoder().decode(Self.self, from: Data(frames[1]))
        else { return nil }
        self = decoded
    }
}
