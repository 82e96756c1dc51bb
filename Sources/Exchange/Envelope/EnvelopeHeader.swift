import Sodium

/// The fixed-size clear-text header of an envelope (docs/PROTOCOL.md §7.1): who sends to whom,
/// where on the link's chain, which bulletin, its TLP and schema, and the ephemeral key the body
/// was encrypted with. It is the associated data of the body encryption and the start of what
/// the origin signs, so no field of it can be changed without detection.
public struct EnvelopeHeader: Hashable, Sendable {
    /// The protocol version this implementation writes and reads.
    public static let protocolVersion: UInt8 = 1
    /// Bytes in a header: 1 + 2 + 2 + 8 + 32 + 8 + 16 + 1 + 1 + 1 + 32.
    public static let byteCount = 104

    /// The sending state.
    public let origin: StateCode
    /// The receiving state.
    public let recipient: StateCode
    /// Position on the link `origin → recipient`: 1, 2, 3…
    public let sequence: UInt64
    /// The hash of envelope `sequence − 1` on the link; all zero for sequence 1.
    public let previousHash: EnvelopeHash
    /// The bulletin's id, time, TLP and schema version.
    public let metadata: BulletinMetadata
    /// The ephemeral X25519 public key of the body encryption.
    public let ephemeralKey: X25519.PublicKey

    /// A header with the given fields. Only sealing (sequence ≥ 1 by construction) and tests make
    /// headers this way; decoding goes through ``init(readingAfterVersion:)``, which refuses sequence 0.
    init(
        origin: StateCode, recipient: StateCode, sequence: UInt64, previousHash: EnvelopeHash,
        metadata: BulletinMetadata, ephemeralKey: X25519.PublicKey
    ) {
        self.origin = origin
        self.recipient = recipient
        self.sequence = sequence
        self.previousHash = previousHash
        self.metadata = metadata
        self.ephemeralKey = ephemeralKey
    }

    /// The link the envelope travels on.
    public var link: Link { Link(origin: origin, recipient: recipient) }

    /// The 104 canonical header bytes.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter(capacity: EnvelopeHeader.byteCount)
        write(to: &writer)
        return writer.bytes
    }

    func write(to writer: inout ByteWriter) {
        writer.write(EnvelopeHeader.protocolVersion)
        origin.write(to: &writer)
        recipient.write(to: &writer)
        writer.write(sequence)
        writer.write(raw: previousHash.bytes)
        writer.write(metadata.createdAt.millisecondsSinceEpoch)
        writer.write(raw: metadata.bulletinID.bytes)
        writer.write(metadata.tlp.rawValue)
        writer.write(metadata.schemaVersion.major)
        writer.write(metadata.schemaVersion.minor)
        writer.write(raw: ephemeralKey.rawRepresentation)
    }

    /// Reads the header fields after the version byte, which the caller has checked.
    init(readingAfterVersion reader: inout ByteReader) throws(FormatError) {
        origin = try StateCode(reading: &reader, field: "origin state")
        recipient = try StateCode(reading: &reader, field: "recipient state")
        sequence = try reader.readUInt64(field: "link sequence")
        guard sequence != 0 else {
            throw FormatError.invalidField(field: "link sequence", reason: "0 is not a sequence number (the first is 1)")
        }
        previousHash = try EnvelopeHash(reading: &reader, field: "previous envelope hash")
        let createdAt = Timestamp(millisecondsSinceEpoch: try reader.readUInt64(field: "created-at"))
        let bulletinID = try BulletinID(reading: &reader)
        let tlp = try TLP(reading: &reader)
        let major = try reader.readUInt8(field: "schema major version")
        let minor = try reader.readUInt8(field: "schema minor version")
        metadata = BulletinMetadata(
            bulletinID: bulletinID, createdAt: createdAt, tlp: tlp,
            schemaVersion: BodySchemaVersion(major: major, minor: minor))
        let key = try reader.readArray(count: X25519.publicKeyByteCount, field: "ephemeral key")
        do {
            ephemeralKey = try X25519.PublicKey(rawRepresentation: key)
        } catch {
            throw FormatError.invalidField(field: "ephemeral key", reason: "\(error)")
        }
    }
}
