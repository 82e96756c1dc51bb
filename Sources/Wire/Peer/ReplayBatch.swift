/// A node's answer to a replay request (ROUTER → DEALER, docs/PROTOCOL.md §16.3):
/// `["envelopes", latest sequence of the link (u64), envelope…]`. `latest` is unsigned: it tells
/// the requester whether to ask again, it proves nothing.
public struct ReplayBatch: Sendable, Equatable {
    /// The last sequence of the answering origin's link to the requester, as it says.
    public var latest: UInt64
    /// The envelopes after the requested sequence, in order (their bytes, not yet parsed).
    public var envelopes: [[UInt8]]

    /// The verb of a replay answer.
    public static let verb: [UInt8] = Array("envelopes".utf8)

    /// A batch.
    public init(latest: UInt64, envelopes: [[UInt8]]) {
        self.latest = latest
        self.envelopes = envelopes
    }

    /// Its frames (the ROUTER's routing id goes before them).
    public var frames: [[UInt8]] {
        [Self.verb, WireNumber.encode(latest)] + envelopes
    }

    /// Reads an answer that may hold at most `maximumEnvelopes`.
    public init(frames: [[UInt8]], maximumEnvelopes: Int) throws(WireError) {
        guard frames.count >= 2 else { throw .frameCount(message: "service answer", found: frames.count, expected: "2 or more") }
        guard frames[0] == Self.verb else { throw .notAReplayAnswer(verbByteCount: frames[0].count) }
        guard let latest = WireNumber.decode(frames[1]) else {
            throw .malformedField(message: "replay answer", field: "latest", byteCount: frames[1].count, expected: 8)
        }
        guard frames.count - 2 <= maximumEnvelopes else { throw .tooManyEnvelopes(count: frames.count - 2, limit: maximumEnvelopes) }
        self.latest = latest
        self.envelopes = Array(frames.dropFirst(2))
    }
}
