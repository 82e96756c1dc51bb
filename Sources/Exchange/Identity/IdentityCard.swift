import Sodium

/// The public face of a node: which state it speaks for, its name, its three public keys and its
/// endpoints. Rosters carry one card per member; neighbours verify signatures with the signing
/// key, encrypt to the encryption key and allow-list the transport key for CURVE.
///
/// Canonical bytes (docs/PROTOCOL.md §5): tag `BNIC`, format 1, state, node name, signing key,
/// encryption key, transport key, publish endpoint, service endpoint. JSON: the same fields with
/// keys as 64 lower-case hex digits.
public struct IdentityCard: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 4-byte tag that starts the canonical bytes.
    public static let tag: [UInt8] = Array("BNIC".utf8)
    /// The format version written after the tag.
    public static let formatVersion: UInt8 = 1
    /// Longest node name, in UTF-8 bytes.
    public static let maximumNameByteCount = 64

    /// The state the node speaks for.
    public let state: StateCode
    /// A human name for the node, e.g. `ma-rabat-1` (1…64 bytes of UTF-8, no control characters).
    public let nodeName: String
    /// Verifies the node's envelopes and receipts.
    public let signingKey: Ed25519.PublicKey
    /// Envelope bodies addressed to this state are encrypted to this key.
    public let encryptionKey: X25519.PublicKey
    /// The node's ZeroMQ CURVE public key (a separate X25519 key; see docs/PROTOCOL.md §5).
    public let transportKey: X25519.PublicKey
    /// Where the node listens.
    public let endpoints: NodeEndpoints

    /// A card with checked fields. The encryption and transport keys must differ: they are
    /// separate keys, so that a transport compromise does not open envelope bodies.
    public init(
        state: StateCode, nodeName: String, signingKey: Ed25519.PublicKey, encryptionKey: X25519.PublicKey,
        transportKey: X25519.PublicKey, endpoints: NodeEndpoints
    ) throws(FormatError) {
        let nameBytes = nodeName.utf8.count
        guard (1...IdentityCard.maximumNameByteCount).contains(nameBytes) else {
            throw FormatError.invalidField(
                field: "node name", reason: "must be 1…\(IdentityCard.maximumNameByteCount) bytes of UTF-8, got \(nameBytes)")
        }
        guard !nodeName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw FormatError.invalidField(field: "node name", reason: "contains a control character")
        }
        guard encryptionKey != transportKey else {
            throw FormatError.invalidField(
                field: "transport key", reason: "equals the encryption key; a node needs separate keys")
        }
        self.state = state
        self.nodeName = nodeName
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.transportKey = transportKey
        self.endpoints = endpoints
    }

    /// Decodes canonical bytes; anything else (a bad tag, a short field, bytes left over) is refused.
    public init(canonicalBytes: [UInt8]) throws(FormatError) {
        var reader = ByteReader(canonicalBytes)
        try self.init(reading: &reader)
        try reader.expectEnd(of: "identity card")
    }

    init(reading reader: inout ByteReader) throws(FormatError) {
        try reader.readTag(IdentityCard.tag, version: IdentityCard.formatVersion, what: "identity card")
        let state = try StateCode(reading: &reader, field: "identity card state")
        let name = try reader.readString(field: "node name")
        let signing = try reader.readArray(count: Ed25519.publicKeyByteCount, field: "signing key")
        let encryption = try reader.readArray(count: X25519.publicKeyByteCount, field: "encryption key")
        let transport = try reader.readArray(count: X25519.publicKeyByteCount, field: "transport key")
        let endpoints = try NodeEndpoints(reading: &reader)
        do {
            try self.init(
                state: state, nodeName: name,
                signingKey: Ed25519.PublicKey(rawRepresentation: signing),
                encryptionKey: X25519.PublicKey(rawRepresentation: encryption),
                transportKey: X25519.PublicKey(rawRepresentation: transport),
                endpoints: endpoints)
        } catch let error as FormatError {
            throw error
        } catch {
            // Unreachable: the key bytes were read with their exact lengths.
            throw FormatError.invalidField(field: "identity card key", reason: "\(error)")
        }
    }

    /// The canonical bytes of this card.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter(capacity: 256)
        write(to: &writer)
        return writer.bytes
    }

    func write(to writer: inout ByteWriter) {
        writer.write(raw: IdentityCard.tag)
        writer.write(IdentityCard.formatVersion)
        state.write(to: &writer)
        writer.write(string: nodeName)
        writer.write(raw: signingKey.rawRepresentation)
        writer.write(raw: encryptionKey.rawRepresentation)
        writer.write(raw: transportKey.rawRepresentation)
        endpoints.write(to: &writer)
    }

    /// `MA ma-rabat-1 (Ed25519:…)`: the state, the name and the signing key.
    public var description: String { "\(state) \(nodeName) (\(signingKey))" }

    // MARK: JSON

    private enum CodingKeys: String, CodingKey {
        case format, state, nodeName, signingKey, encryptionKey, transportKey, endpoints
    }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(UInt8.self, forKey: .format)
        guard format == IdentityCard.formatVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: container,
                debugDescription: FormatError.unsupportedFormatVersion(what: "identity card", version: format).description)
        }
        let signing = try container.decodePublicKeyBytes(forKey: .signingKey)
        let encryption = try container.decodePublicKeyBytes(forKey: .encryptionKey)
        let transport = try container.decodePublicKeyBytes(forKey: .transportKey)
        let state = try container.decode(StateCode.self, forKey: .state)
        let name = try container.decode(String.self, forKey: .nodeName)
        let endpoints = try container.decode(NodeEndpoints.self, forKey: .endpoints)
        do {
            try self.init(
                state: state, nodeName: name,
                signingKey: Ed25519.PublicKey(rawRepresentation: signing),
                encryptionKey: X25519.PublicKey(rawRepresentation: encryption),
                transportKey: X25519.PublicKey(rawRepresentation: transport),
                endpoints: endpoints)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .nodeName, in: container, debugDescription: "\(error)")
        }
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(IdentityCard.formatVersion, forKey: .format)
        try container.encode(state, forKey: .state)
        try container.encode(nodeName, forKey: .nodeName)
        try container.encode(Hex.encode(signingKey.rawRepresentation), forKey: .signingKey)
        try container.encode(Hex.encode(encryptionKey.rawRepresentation), forKey: .encryptionKey)
        try container.encode(Hex.encode(transportKey.rawRepresentation), forKey: .transportKey)
        try container.encode(endpoints, forKey: .endpoints)
    }
}
