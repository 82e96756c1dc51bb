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
    /// The kind code (byte 23).
    public let kindCode: UInt8

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
}
