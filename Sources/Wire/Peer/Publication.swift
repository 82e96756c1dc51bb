import Exchange

/// A message on a node's publisher (PUB → SUB, docs/PROTOCOL.md §16.2):
/// `[recipient's state, kind, body]`. The subscriber's topic filter (the recipient's two letters)
/// has already picked the first frame; the kind is one byte string.
///
/// ```
/// [recipient, "E", envelope]                                        an envelope
/// [recipient, "H", latest sequence (u64) ‖ acknowledged sequence (u64)]  a heartbeat
/// ```
public enum Publication: Sendable, Equatable {
    /// An envelope for the recipient (its bytes, not yet parsed).
    case envelope([UInt8])
    /// A heartbeat: the last sequence of the origin's link to the recipient and the last one
    /// the origin holds a receipt for. Unsigned: a hint, never evidence (§16.4).
    case heartbeat(latest: UInt64, acknowledged: UInt64)

    /// The kind frame of an envelope.
    public static let envelopeKind: [UInt8] = Array("E".utf8)
    /// The kind frame of a heartbeat.
    public static let heartbeatKind: [UInt8] = Array("H".utf8)

    /// The topic frame that addresses `state`: its two ASCII letters.
    public static func topic(_ state: StateCode) -> [UInt8] {
        [state.bytes.0, state.bytes.1]
    }

    /// The frames that publish this to `recipient`.
    public func frames(to recipient: StateCode) -> [[UInt8]] {
        switch self {
        case .envelope(let bytes):
            [Self.topic(recipient), Self.envelopeKind, bytes]
        case .heartbeat(let latest, let acknowledged):
            [Self.topic(recipient), Self.heartbeatKind, WireNumber.encode(latest) + WireNumber.encode(acknowledged)]
        }
    }

    /// Reads a publication; an envelope frame over `maximumEnvelopeBytes` is refused unread.
    public init(frames: [[UInt8]], maximumEnvelopeBytes: Int) throws(WireError) {
        guard frames.count == 3 else { throw .frameCount(message: "publication", found: frames.count, expected: "3") }
        let body = frames[2]
        if frames[1] == Self.envelopeKind {
            guard body.count <= maximumEnvelopeBytes else {
                throw .oversized(message: "publication", byteCount: body.count, limit: maximumEnvelopeBytes)
            }
            self = .envelope(body)
        } else if frames[1] == Self.heartbeatKind {
            guard body.count == 16, let latest = WireNumber.decode(body[0..<8]), let acknowledged = WireNumber.decode(body[8..<16]) else {
                throw .malformedField(message: "heartbeat", field: "body", byteCount: body.count, expected: 16)
            }
            self = .heartbeat(latest: latest, acknowledged: acknowledged)
        } else {
            throw .unknownKind(message: "publication", byteCount: frames[1].count)
        }
    }
}
