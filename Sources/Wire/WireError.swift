import Exchange

/// Why frames from a socket are not a message of the protocol. Each case names what was wrong
/// for the log and maps to the ``RejectionReason`` the node counts and audits it under.
public enum WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message has a number of frames its kind does not allow.
    case frameCount(message: String, found: Int, expected: String)
    /// The kind or verb is not one this version knows (its length, never its bytes, is logged).
    case unknownKind(message: String, byteCount: Int)
    /// A frame is larger than the limit for what it carries.
    case oversized(message: String, byteCount: Int, limit: Int)
    /// A number frame (`u64` big-endian) or a fixed-size body has the wrong length.
    case malformedField(message: String, field: String, byteCount: Int, expected: Int)
    /// An `audit-` request that is not one of the four of docs/AUDIT.md §12.1 (the node answers
    /// `audit-refused` with this description).
    case malformedAuditRequest(verb: String)
    /// A requester's answer that does not start with `envelopes` (PROTOCOL.md §16.5: malformed,
    /// since a requester expects nothing else).
    case notAReplayAnswer(verbByteCount: Int)
    /// A replay answer holds more envelopes than any batch a node may be configured with.
    case tooManyEnvelopes(count: Int, limit: Int)

    /// The rejection reason a node counts and audits this under (docs/PROTOCOL.md §11.1).
    public var reason: RejectionReason {
        switch self {
        case .unknownKind: .unknownMessageKind
        case .oversized: .oversized
        case .frameCount, .malformedField, .tooManyEnvelopes, .malformedAuditRequest, .notAReplayAnswer: .malformedMessage
        }
    }

    public var description: String {
        switch self {
        case .frameCount(let message, let found, let expected):
            "\(message) of \(found) frames, not \(expected)"
        case .unknownKind(let message, let byteCount):
            "\(message) kind of \(byteCount) bytes that this version does not know"
        case .oversized(let message, let byteCount, let limit):
            "\(message): a frame of \(byteCount) bytes (limit \(limit))"
        case .malformedField(let message, let field, let byteCount, let expected):
            "\(message): \(field) of \(byteCount) bytes, not \(expected)"
        case .malformedAuditRequest:
            "malformed audit request: expected audit-head, audit-consistency FROM TO, audit-inclusion INDEX SIZE or audit-entries FROM COUNT (u64 big-endian frames)"
        case .notAReplayAnswer(let count):
            "service answer starting with a verb of \(count) bytes, not envelopes"
        case .tooManyEnvelopes(let count, let limit):
            "replay batch of \(count) envelopes (at most \(limit))"
        }
    }
}
