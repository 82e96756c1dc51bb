/// The stable numeric code of why an envelope was refused: written in receipts, in the audit log
/// and in metrics. Codes never change meaning; new ones are added (docs/PROTOCOL.md §10).
///
/// 1xx framing, 2xx roster and authenticity, 3xx link chain, 4xx body. 5xx is reserved for the
/// node's checks after decryption (e.g. the bulletin fails its schema). 6xx are refusals of
/// transport messages other than envelopes (heartbeats, replay requests, unknown kinds,
/// connections): counted and audited, never written in a receipt. Receipts carry any code,
/// so a recipient running a newer protocol can report codes this one does not name.
public struct RejectionReason: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The code on the wire (`u16`, never 0: 0 means accepted).
    public let rawValue: UInt16

    /// Wraps a code; 0 is not a rejection.
    public init?(rawValue: UInt16) {
        guard rawValue != 0 else { return nil }
        self.rawValue = rawValue
    }

    private init(_ code: UInt16) { rawValue = code }

    /// 100: larger than the maximum envelope size.
    public static let oversized = RejectionReason(100)
    /// 101: shorter than its framing says (cut off in transit or by an attacker).
    public static let truncated = RejectionReason(101)
    /// 102: a field is invalid or bytes follow the signature.
    public static let malformed = RejectionReason(102)
    /// 103: a protocol version this node does not speak.
    public static let unsupportedVersion = RejectionReason(103)
    /// 200: addressed to another state.
    public static let wrongRecipient = RejectionReason(200)
    /// 201: the origin is not in the roster.
    public static let unknownOrigin = RejectionReason(201)
    /// 202: the roster has no link from the origin to the recipient.
    public static let notLinked = RejectionReason(202)
    /// 203: the signature does not verify with the origin's roster key.
    public static let badSignature = RejectionReason(203)
    /// 300: a sequence number already accepted on this link.
    public static let duplicate = RejectionReason(300)
    /// 301: envelopes are missing before this one.
    public static let gap = RejectionReason(301)
    /// 302: the previous-envelope hash is not the hash of the envelope accepted before.
    public static let chainBroken = RejectionReason(302)
    /// 303: a different envelope with a sequence number already accepted on this link (the
    /// node compares the stored hash: same hash is a harmless duplicate, another is a conflict).
    public static let conflict = RejectionReason(303)
    /// 400: the body does not decrypt (wrong key, or altered under a valid signature).
    public static let decryptionFailed = RejectionReason(400)
    /// 410: signed and chained, but with the origin's key the roster revoked from a time at or
    /// before the envelope's created-at: the body is not opened (docs/PROTOCOL.md §6.5).
    public static let revokedKey = RejectionReason(410)
    /// 500: the decrypted body is not a valid bulletin (schemas), or does not match its header
    /// (bulletin id, TLP, schema major version).
    public static let invalidBulletin = RejectionReason(500)
    /// 600: a transport message of a kind this protocol version does not define (docs/PROTOCOL.md §16).
    public static let unknownMessageKind = RejectionReason(600)
    /// 601: a transport message with the wrong number of frames or a field of the wrong width.
    public static let malformedMessage = RejectionReason(601)
    /// 602: a heartbeat or replay answer whose numbers contradict what the link holds (e.g. a
    /// heartbeat acknowledging envelopes never acknowledged, or announcing envelopes the origin's
    /// own replay service does not have): the hint is ignored.
    public static let implausibleClaim = RejectionReason(602)
    /// 603: a replay request while the answer to the previous one is still in flight: dropped.
    public static let throttled = RejectionReason(603)
    /// 604: libzmq closed the connection on a protocol error (a frame over the transport limit,
    /// a malformed ZMTP frame); the node opens a new one.
    public static let protocolError = RejectionReason(604)
    /// 605: a connection attempt with a CURVE key that is not a roster member's transport key.
    public static let unknownTransportKey = RejectionReason(605)

    /// Every code this protocol version defines, in order.
    public static let known: [RejectionReason] = [
        .oversized, .truncated, .malformed, .unsupportedVersion, .wrongRecipient, .unknownOrigin, .notLinked,
        .badSignature, .duplicate, .gap, .chainBroken, .conflict, .decryptionFailed, .revokedKey, .invalidBulletin,
        .unknownMessageKind, .malformedMessage, .implausibleClaim, .throttled, .protocolError, .unknownTransportKey,
    ]

    /// Whether an envelope refused for this reason still takes its place in its link's chain:
    /// 4xx and 5xx, found after the signature and chain checks (docs/PROTOCOL.md §8). The
    /// recipient's position moves past it, so its rejected receipt also tells the origin that
    /// the link is delivered up to that sequence.
    public var keepsChainPlace: Bool { (400...599).contains(rawValue) }

    /// The name of a known code (`badSignature`), or `code 517` for others.
    public var name: String {
        switch self {
        case .oversized: "oversized"
        case .truncated: "truncated"
        case .malformed: "malformed"
        case .unsupportedVersion: "unsupportedVersion"
        case .wrongRecipient: "wrongRecipient"
        case .unknownOrigin: "unknownOrigin"
        case .notLinked: "notLinked"
        case .badSignature: "badSignature"
        case .duplicate: "duplicate"
        case .gap: "gap"
        case .chainBroken: "chainBroken"
        case .conflict: "conflict"
        case .decryptionFailed: "decryptionFailed"
        case .revokedKey: "revokedKey"
        case .invalidBulletin: "invalidBulletin"
        case .unknownMessageKind: "unknownMessageKind"
        case .malformedMessage: "malformedMessage"
        case .implausibleClaim: "implausibleClaim"
        case .throttled: "throttled"
        case .protocolError: "protocolError"
        case .unknownTransportKey: "unknownTransportKey"
        default: "code \(rawValue)"
        }
    }

    /// `203 badSignature`.
    public var description: String { "\(rawValue) \(name)" }

    /// The canonical order: that of the wire bytes.
    public static func < (lhs: RejectionReason, rhs: RejectionReason) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(UInt16.self)
        guard code != 0 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "rejection code 0 means accepted")
        }
        rawValue = code
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
