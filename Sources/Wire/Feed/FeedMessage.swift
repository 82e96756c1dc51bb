/// A bulletin on a node's local feed (`DATA/feed.sock`, PUB → the agencies' SUB): three frames,
/// `[incident type, origin state, bulletin JSON]`. The topic is the incident type, so an agency
/// can subscribe to the types it handles (docs/ARCHITECTURE.md, "The node at run time").
public struct FeedMessage: Sendable, Equatable {
    /// The bulletin's incident type (the topic).
    public var incidentType: String
    /// The state that posted it.
    public var origin: String
    /// The bulletin as stored, JSON.
    public var body: [UInt8]

    /// A feed message.
    public init(incidentType: String, origin: String, body: [UInt8]) {
        self.incidentType = incidentType
        self.origin = origin
        self.body = body
    }

    /// Its frames.
    public var frames: [[UInt8]] { [Array(incidentType.utf8), Array(origin.utf8), body] }

    /// Reads a feed message.
    public init(frames: [[UInt8]]) throws(WireError) {
        guard frames.count == 3 else { throw .frameCount(message: "feed message", found: frames.count, expected: "3") }
        incidentType = String(decoding: frames[0], as: UTF8.self)
        origin = String(decoding: frames[1], as: UTF8.self)
        body = frames[2]
    }
}
