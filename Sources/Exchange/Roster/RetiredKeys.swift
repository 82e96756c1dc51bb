import Sodium

/// Keys a state's node used before its current card (rotated out) or that were revoked after a
/// compromise: one entry of a roster's key history (roster format 3, docs/PROTOCOL.md §6.1, §6.5).
///
/// A roster lists, per state, its current card and the keys that were in force before it, each
/// until a moment. Whoever checks a signature picks the key by the time the signed thing carries
/// (an envelope's created-at, a receipt's received-at, an audit tree head's timestamp), so an
/// envelope, receipt or head signed before a rotation still verifies after the new roster is
/// installed, and nothing in flight or replayed is lost. No key id travels on the wire: the time,
/// which the signature covers, selects the key.
///
/// Canonical bytes (inside a roster): state ‖ signing key ‖ encryption key ‖ transport key ‖
/// `until` (u64 ms) ‖ revocation presence (u8 0/1) ‖ the revocation string when present. JSON:
/// `{"state": "MA", "signingKey": "<64 hex>", "encryptionKey": …, "transportKey": …,
/// "until": <ms>, "revocation": "…"}`, keys written as identity cards write them, `revocation`
/// absent for a rotation.
///
/// The value itself is not checked when made; a ``Roster`` checks every entry it holds (the
/// revocation text, distinct keys, the order and count of entries) when it is built or decoded.
public struct RetiredKeys: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Longest revocation reason, in UTF-8 bytes.
    public static let maximumRevocationByteCount = 200

    /// The state whose node used these keys (it need not be a member any more: a state removed
    /// after a revocation keeps its history).
    public let state: StateCode
    /// Verified the node's envelopes, receipts and audit tree heads dated before ``until``.
    public let signingKey: Ed25519.PublicKey
    /// Envelope bodies addressed to the state and dated before ``until`` were encrypted to it.
    public let encryptionKey: X25519.PublicKey
    /// The node's CURVE key before ``until`` (never let in when the keys are revoked).
    public let transportKey: X25519.PublicKey
    /// These keys are in force for what is dated strictly before this time: envelopes by their
    /// created-at, receipts by their received-at, audit tree heads by their timestamp. From it on,
    /// the next keys (a later RetiredKeys entry of the state, or its current card) are.
    public let until: Timestamp
    /// `nil` for a rotation; for a revocation after a compromise, the secretariat's reason (1–200
    /// bytes of UTF-8, no control characters, Unicode category Cc): the keys were stolen or may
    /// have been, and `until` is the time from which they are no longer trusted (the compromise
    /// time).
    public let revocation: String?

    /// An entry of the key history; a ``Roster`` checks it when it is built or decoded.
    public init(
        state: StateCode, signingKey: Ed25519.PublicKey, encryptionKey: X25519.PublicKey,
        transportKey: X25519.PublicKey, until: Timestamp, revocation: String?
    ) {
        self.state = state
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.transportKey = transportKey
        self.until = until
        self.revocation = revocation
    }

    /// The keys of `card`, in force until `until` (the card a node had before it rotated).
    public init(retiring card: IdentityCard, until: Timestamp, revocation: String? = nil) {
        self.init(
            state: card.state, signingKey: card.signingKey, encryptionKey: card.encryptionKey,
            transportKey: card.transportKey, until: until, revocation: revocation)
    }

    /// Whether the keys were revoked after a compromise (not merely rotated out).
    public var isRevoked: Bool { revocation != nil }

    /// The signing keys trusted for something dated `time` by a state whose key history is
    /// `history` and whose current key is `current` (docs/PROTOCOL.md §6.5): every history key
    /// whose `until` is after `time`, then the current key, whatever the time. The one rule that
    /// envelopes, receipts and audit tree heads are checked by.
    public static func trustedSigningKeys(
        history: some Sequence<RetiredKeys>, current: Ed25519.PublicKey?, at time: Timestamp
    ) -> [Ed25519.PublicKey] {
        history.filter { $0.until > time }.map(\.signingKey) + (current.map { [$0] } ?? [])
    }

    /// `MA keys retired at 2025-03-01T12:30:00.000Z (Ed25519:…)`, `revoked at` when they were revoked.
    public var description: String {
        "\(state) keys \(isRevoked ? "revoked" : "retired") at \(until) (\(signingKey))"
    }

    /// Why `revocation` cannot be a revocation reason, or nil when it can: 1–200 bytes of UTF-8
    /// without control characters.
    static func revocationProblem(_ revocation: String) -> String? {
        let count = revocation.utf8.count
        guard (1...maximumRevocationByteCount).contains(count) else {
            return "must be 1…\(maximumRevocationByteCount) bytes of UTF-8, got \(count)"
        }
        guard !revocation.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return "contains a control character"
        }
        return nil
    }

    /// The canonical order of the key history: by state bytes, then by `until`.
    static func precedes(_ lhs: RetiredKeys, _ rhs: RetiredKeys) -> Bool {
        lhs.state < rhs.state || (lhs.state == rhs.state && lhs.until < rhs.until)
    }

    // MARK: Bytes

    /// Reads one entry; the revocation text's contents are checked by the roster.
    init(reading reader: inout ByteReader) throws(FormatError) {
        let state = try StateCode(reading: &reader, field: "key history state")
        let signing = try reader.readArray(count: Ed25519.publicKeyByteCount, field: "key history signing key")
        let encryption = try reader.readArray(count: X25519.publicKeyByteCount, field: "key history encryption key")
        let transport = try reader.readArray(count: X25519.publicKeyByteCount, field: "key history transport key")
        let until = Timestamp(millisecondsSinceEpoch: try reader.readUInt64(field: "key history until"))
        let presence = try reader.readUInt8(field: "key history revocation presence")
        let revocation: String?
        switch presence {
        case 0: revocation = nil
        case 1: revocation = try reader.readString(field: "key history revocation")
        default:
            throw FormatError.invalidField(
                field: "key history revocation presence",
                reason: "byte \(presence) is neither 0 (rotated) nor 1 (revoked)")
        }
        do {
            try self.init(
                state: state, signingKey: Ed25519.PublicKey(rawRepresentation: signing),
                encryptionKey: X25519.PublicKey(rawRepresentation: encryption),
                transportKey: X25519.PublicKey(rawRepresentation: transport), until: until, revocation: revocation)
        } catch {
            // Unreachable: the key bytes were read with their exact lengths.
            throw FormatError.invalidField(field: "key history key", reason: "\(error)")
        }
    }

    func write(to writer: inout ByteWriter) {
        state.write(to: &writer)
        writer.write(raw: signingKey.rawRepresentation)
        writer.write(raw: encryptionKey.rawRepresentation)
        writer.write(raw: transportKey.rawRepresentation)
        writer.write(until.millisecondsSinceEpoch)
        if let revocation {
            writer.write(UInt8(1))
            writer.write(string: revocation)
        } else {
            writer.write(UInt8(0))
        }
    }

    // MARK: JSON

    private enum CodingKeys: String, CodingKey {
        case state, signingKey, encryptionKey, transportKey, until, revocation
    }

    /// Decodes the JSON form (docs/PROTOCOL.md §3); the roster that holds it checks it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let signing = try container.decodePublicKeyBytes(forKey: .signingKey)
        let encryption = try container.decodePublicKeyBytes(forKey: .encryptionKey)
        let transport = try container.decodePublicKeyBytes(forKey: .transportKey)
        do {
            try self.init(
                state: container.decode(StateCode.self, forKey: .state),
                signingKey: Ed25519.PublicKey(rawRepresentation: signing),
                encryptionKey: X25519.PublicKey(rawRepresentation: encryption),
                transportKey: X25519.PublicKey(rawRepresentation: transport),
                until: container.decode(Timestamp.self, forKey: .until),
                revocation: container.decodeIfPresent(String.self, forKey: .revocation))
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .signingKey, in: container, debugDescription: "\(error)")
        }
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3); `revocation` only when the keys were revoked.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
        try container.encode(Hex.encode(signingKey.rawRepresentation), forKey: .signingKey)
        try container.encode(Hex.encode(encryptionKey.rawRepresentation), forKey: .encryptionKey)
        try container.encode(Hex.encode(transportKey.rawRepresentation), forKey: .transportKey)
        try container.encode(until, forKey: .until)
        try container.encodeIfPresent(revocation, forKey: .revocation)
    }
}
