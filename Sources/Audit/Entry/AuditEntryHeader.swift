import Exchange

/// The common part of an entry's canonical bytes (docs/AUDIT.md §3.1) — index, time, state and
/// kind code — read without the kind's fields: what a reader can still check of an entry of a
/// kind added after it was built (docs/AUDIT.md §11). The entry's leaf hash binds all its bytes
/// whether or not its kind is known.
public struct AuditEntryHeader: Hashable, Sendable {
    /// The entry's 0-based position in its log.
    public let index: UInt64
    /// When the node recorded it.
    public let time: Timestamp
    /// The node whose log it is.
    public let state: StateCode
    /// The kind code (byte ``kindOffset``).
    public let kindCode: UInt8

    /// Where the kind byte is in an entry's canonical bytes (0-based; docs/AUDIT.md §3.1): after
    /// the tag (4), format (1), index (8), time (8) and state (2).
    public static let kindOffset = 23

    /// The header of `bytes`: tag `BNAE`, format 1, index, time, a state of two letters `A`–`Z`,
    /// and a kind byte; what follows it is not read.
    public init(canonicalBytes bytes: [UInt8]) throws(FormatError) {
        var reader = ByteReader(bytes)
        try reader.readTag(AuditEntry.tag, version: AuditEntry.formatVersion, what: "audit entry")
        index = try reader.readUInt64(field: "entry index")
        time = try reader.readTimestamp(field: "entry time")
        state = try reader.readState(field: "node state")
        kindCode = try reader.readUInt8(field: "event kind")
    }

    /// Whether this BorderNet knows the kind (and so decodes the entry with ``AuditEntry/init(canonicalBytes:)``).
    public var isKnownKind: Bool { AuditEvent.Kind(rawValue: kindCode) != nil }

    /// The highest kind code this BorderNet knows. New kinds get codes above it (docs/AUDIT.md §11):
    /// an unknown code at or below it is a corrupted entry, not one of a newer version.
    public static let highestKnownKindCode: UInt8 = AuditEvent.Kind.allCases.map(\.rawValue).max() ?? 0

    /// The most bytes an entry of a kind this BorderNet does not know may take to be kept unread
    /// (docs/AUDIT.md §11). The largest entry of a known kind is a `bulletinPosted` to all 676
    /// possible states with a 64-byte incident type: 1,461 bytes; a new kind may be as large,
    /// and nothing larger is kept as opaque bytes.
    public static let maximumUnknownKindBytes = 2_048

    /// Whether the kind is one a newer BorderNet may have added: above ``highestKnownKindCode``.
    public var isFutureKind: Bool { kindCode > Self.highestKnownKindCode }

    /// Why an entry of these bytes (`byteCount` of them) and this header is not kept unread, or
    /// `nil` when it is: a kind code this BorderNet knows (decode it instead), a code not above
    /// the highest known one (a corrupted entry), or more than ``maximumUnknownKindBytes`` bytes.
    public func unknownKindProblem(byteCount: Int) -> String? {
        if isKnownKind { return "kind \(kindCode) is known: decode the entry" }
        guard isFutureKind else {
            return "kind code \(kindCode) is no kind of event, and not above the highest this BorderNet knows (\(Self.highestKnownKindCode)): the entry is corrupted"
        }
        guard byteCount <= Self.maximumUnknownKindBytes else {
            return "an entry of unknown kind \(kindCode) takes \(byteCount) bytes, more than the \(Self.maximumUnknownKindBytes) an entry of a kind added later may take"
        }
        return nil
    }
}
