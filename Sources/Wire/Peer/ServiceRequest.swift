/// A request on a node's service socket (DEALER → ROUTER, docs/PROTOCOL.md §16.3, docs/AUDIT.md
/// §12.1), after the routing id the ROUTER adds. The peer is who the CURVE handshake says it
/// is, never what the request claims.
///
/// ```
/// ["replay", after (u64)]      send me the envelopes of our link after this sequence
/// ["receipt", signed receipt]  my receipt for an envelope of your link to me
/// ["audit-…", …]               the secretariat's audit requests (``AuditRequest``)
/// ["roster", version (u64)]    send me your signed roster if it is newer than this version
/// ["attachment", bulletin id, number (u64), index (u64)]   send me this chunk of an attachment
/// ["attachment-receipt", signed attachment receipt]        I hold (or refused) this attachment
/// ```
public enum ServiceRequest: Sendable, Equatable {
    /// A replay request: the envelopes after `after`.
    case replay(after: UInt64)
    /// A signed receipt (its bytes, not yet parsed).
    case receipt([UInt8])
    /// One of the secretariat's audit requests.
    case audit(AuditRequest)
    /// A roster request: the requester holds roster `installedVersion` and wants the answerer's
    /// signed roster if it is newer (docs/PROTOCOL.md §16.3, "Rosters"; answer: ``RosterAnswer``).
    case roster(installedVersion: UInt64)
    /// An attachment chunk request: the chunk at `place` of a bulletin the answerer sent the
    /// requester (docs/PROTOCOL.md §17.3; answer: ``AttachmentChunkAnswer``).
    case attachmentChunk(AttachmentChunkPlace)
    /// A signed attachment receipt (its bytes, not yet checked; docs/PROTOCOL.md §17.4; answer:
    /// ``AttachmentReceiptAnswer``).
    case attachmentReceipt([UInt8])

    /// The verb of a replay request.
    public static let replayVerb: [UInt8] = Array("replay".utf8)
    /// The verb of a receipt.
    public static let receiptVerb: [UInt8] = Array("receipt".utf8)

    /// The verb of a roster request (and of its answer, ``RosterAnswer``).
    public static let rosterVerb: [UInt8] = Array("roster".utf8)

    /// The frames of this request (without a routing id).
    public var frames: [[UInt8]] {
        switch self {
        case .replay(let after): [Self.replayVerb, WireNumber.encode(after)]
        case .receipt(let bytes): [Self.receiptVerb, bytes]
        case .audit(let request): request.frames
        case .roster(let version): [Self.rosterVerb, WireNumber.encode(version)]
        case .attachmentChunk(let place): [AttachmentChunkAnswer.verb] + place.frames
        case .attachmentReceipt(let bytes): [AttachmentReceiptAnswer.verb, bytes]
        }
    }

    /// Reads a request from its frames (without the routing id). An `audit-` verb that is not
    /// a well-formed ``AuditRequest`` throws ``WireError/malformedAuditRequest(verb:)``: the node
    /// answers those with `audit-refused` rather than silence.
    public init(frames: [[UInt8]]) throws(WireError) {
        guard let verb = frames.first else { throw .frameCount(message: "service request", found: 0, expected: "2 or more") }
        if verb.starts(with: AuditRequest.verbPrefix) {
            self = .audit(try AuditRequest(frames: frames))
        } else if verb == Self.replayVerb {
            guard frames.count == 2 else { throw .frameCount(message: "replay request", found: frames.count, expected: "2") }
            guard let after = WireNumber.decode(frames[1]) else {
                throw .malformedField(message: "replay request", field: "after", byteCount: frames[1].count, expected: 8)
            }
            self = .replay(after: after)
        } else if verb == Self.rosterVerb {
            guard frames.count == 2 else { throw .frameCount(message: "roster request", found: frames.count, expected: "2") }
            guard let version = WireNumber.decode(frames[1]) else {
                throw .malformedField(message: "roster request", field: "version", byteCount: frames[1].count, expected: 8)
            }
            self = .roster(installedVersion: version)
        } else if verb == AttachmentReceiptAnswer.verb {
            guard frames.count == 2 else { throw .frameCount(message: "attachment receipt", found: frames.count, expected: "2") }
            self = .attachmentReceipt(frames[1])
        } else if verb == AttachmentChunkAnswer.verb {
            self = .attachmentChunk(try AttachmentChunkPlace(frames: frames.dropFirst(), message: "attachment request"))
        } else if verb == Self.receiptVerb {
            guard frames.count == 2 else { throw .frameCount(message: "receipt", found: frames.count, expected: "2") }
            self = .receipt(frames[1])
        } else {
            throw .unknownKind(message: "service request", byteCount: verb.count)
        }
    }
}
