import Exchange

/// One entry of a node's audit log: its position, when it happened, which node recorded it and
/// what happened. Its canonical bytes are a leaf of the log's Merkle tree.
///
/// Canonical bytes (docs/AUDIT.md §3): tag `BNAE`, format 1, index `u64`, time `u64`, node state
/// `[2]`, event kind `u8`, the kind's fields. JSON: `{"index", "time", "state", "event": {…}}`.
public struct AuditEntry: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 4-byte tag that starts the canonical bytes.
    public static let tag: [UInt8] = Array("BNAE".utf8)
    /// The format version written after the tag.
    public static let formatVersion: UInt8 = 1

    /// The 0-based position of the entry in its log (the Merkle leaf index).
    public let index: UInt64
    /// When the node recorded the event (the node's clock).
    public let time: Timestamp
    /// The state of the node whose log this is.
    public let state: StateCode
    /// What happened.
    public let event: AuditEvent

    /// An entry; the event is checked (``AuditEvent/validate()``) so that its bytes always decode.
    public init(index: UInt64, time: Timestamp, state: StateCode, event: AuditEvent) throws(FormatError) {
        try event.validate()
        self.index = index
        self.time = time
        self.state = state
        self.event = event
    }

    /// Decodes canonical bytes; a bad tag, an unknown kind, a short field or bytes left over are refused.
    public init(canonicalBytes: [UInt8]) throws(FormatError) {
        var reader = ByteReader(canonicalBytes)
        try reader.readTag(AuditEntry.tag, version: AuditEntry.formatVersion, what: "audit entry")
        index = try reader.readUInt64(field: "entry index")
        time = try reader.readTimestamp(field: "entry time")
        state = try reader.readState(field: "node state")
        event = try AuditEvent(reading: &reader)
        try reader.expectEnd(of: "audit entry")
    }

    /// The canonical bytes of this entry: the input of its leaf hash.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter(capacity: 128)
        writer.write(raw: AuditEntry.tag)
        writer.write(AuditEntry.formatVersion)
        writer.write(index)
        writer.write(time.millisecondsSinceEpoch)
        writer.write(state: state)
        event.write(to: &writer)
        return writer.bytes
    }

    /// `SHA-256(0x00 ‖ canonical bytes)`: this entry's leaf in the log's Merkle tree.
    public var leafHash: MerkleHash { MerkleHasher.leafHash(canonicalBytes) }

    /// `#12 2025-03-01T12:00:00.000Z MA envelopeSent MA→DZ`.
    public var description: String {
        "#\(index) \(time) \(state) \(event.kind)" + (event.link.map { " \($0)" } ?? "")
    }

    private enum CodingKeys: String, CodingKey {
        case index, time, state, event
    }

    /// Decodes the JSON form with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decode(UInt64.self, forKey: .index)
        time = try container.decode(Timestamp.self, forKey: .time)
        state = try container.decode(StateCode.self, forKey: .state)
        event = try container.decode(AuditEvent.self, forKey: .event)
    }

    /// Encodes the JSON form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(time, forKey: .time)
        try container.encode(state, forKey: .state)
        try container.encode(event, forKey: .event)
    }
}
