/// A node's answer to an ``AuditRequest`` (docs/AUDIT.md §12.1). The bytes of heads, proofs and
/// entries are parsed and verified by the Audit layer; this type only frames them.
public enum AuditAnswer: Sendable, Equatable {
    /// `["audit-head", signed tree head]`.
    case head([UInt8])
    /// `["audit-consistency", BNCP proof]`.
    case consistency([UInt8])
    /// `["audit-entries", from (u64), entry…]`: the entries from index `from`, in order.
    case entries(from: UInt64, [[UInt8]])
    /// `["audit-inclusion", BNIP proof]`.
    case inclusion([UInt8])
    /// `["audit-refused", reason]`: the node will not or cannot answer; the reason is for a person.
    case refused(reason: String)

    /// The verb of a refusal.
    public static let refusedVerb: [UInt8] = Array("audit-refused".utf8)
    /// The most bytes of a refusal's reason that are read (the rest is dropped).
    public static let maximumReasonBytes = 4_096

    /// Its frames.
    public var frames: [[UInt8]] {
        switch self {
        case .head(let bytes): [AuditRequest.headVerb, bytes]
        case .consistency(let bytes): [AuditRequest.consistencyVerb, bytes]
        case .entries(let from, let entries): [AuditRequest.entriesVerb, WireNumber.encode(from)] + entries
        case .inclusion(let bytes): [AuditRequest.inclusionVerb, bytes]
        case .refused(let reason): [Self.refusedVerb, Array(reason.utf8)]
        }
    }

    /// Whether this answers `request` (same verb) or refuses it. An answer to an earlier request
    /// (one that timed out) answers a later request of another kind not at all.
    public func answers(_ request: AuditRequest) -> Bool {
        switch (self, request) {
        case (.refused, _), (.head, .head), (.consistency, .consistency), (.inclusion, .inclusion): true
        case (.entries(let from, _), .entries(let asked, _)): from == asked
        default: false
        }
    }

    /// Reads an answer.
    public init(frames: [[UInt8]]) throws(WireError) {
        guard let verb = frames.first else { throw .frameCount(message: "audit answer", found: 0, expected: "2 or more") }
        if verb == Self.refusedVerb {
            self = .refused(reason: frames.count > 1 ? Self.reason(frames[1]) : "no reason given")
            return
        }
        if verb == AuditRequest.entriesVerb {
            guard frames.count >= 2, let from = WireNumber.decode(frames[1]) else {
                throw .malformedField(message: "audit-entries answer", field: "from", byteCount: frames.count >= 2 ? frames[1].count : 0, expected: 8)
            }
            self = .entries(from: from, Array(frames.dropFirst(2)))
            return
        }
        guard frames.count == 2 else {
            throw .frameCount(message: "\(String(decoding: verb.prefix(32), as: UTF8.self)) answer", found: frames.count, expected: "2")
        }
        switch verb {
        case AuditRequest.headVerb: self = .head(frames[1])
        case AuditRequest.consistencyVerb: self = .consistency(frames[1])
        case AuditRequest.inclusionVerb: self = .inclusion(frames[1])
        default: throw .unknownKind(message: "audit answer", byteCount: verb.count)
        }
    }

    /// A refusal's reason as text: at most ``maximumReasonBytes`` of the frame, invalid UTF-8
    /// replaced. A replacement character takes 3 bytes where the frame had 1 or 2, so whole
    /// scalars are dropped from the end until the text fits in ``maximumReasonBytes``: the
    /// answer then encodes to a frame that reads back as the same reason.
    static func reason(_ frame: [UInt8]) -> String {
        var reason = String(decoding: frame.prefix(maximumReasonBytes), as: UTF8.self)
        while reason.utf8.count > maximumReasonBytes { reason.unicodeScalars.removeLast() }
        return reason
    }
}
