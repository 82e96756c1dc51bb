import Exchange
import Sodium

/// A ``TreeHead`` with the node's Ed25519 signature over its canonical bytes.
///
/// ```
/// signed tree head = tree head bytes[87] ‖ Ed25519-Sign(node signing key, tree head bytes)[64]   (151 bytes)
/// ```
/// The tree head bytes start with `BNTH`, a prefix no other signed BorderNet message has, so the
/// signature cannot be replayed as an envelope, a receipt or a roster (docs/AUDIT.md §7).
public struct SignedTreeHead: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Bytes in the serialized form.
    public static let byteCount = TreeHead.byteCount + Ed25519.signatureByteCount

    /// The signed statement.
    public let head: TreeHead
    /// The 64-byte Ed25519 signature of `head.canonicalBytes`.
    public let signature: [UInt8]

    /// A head and its signature (checked only when verified).
    public init(head: TreeHead, signature: [UInt8]) {
        self.head = head
        self.signature = signature
    }

    /// Decodes the 151 serialized bytes: the head's canonical bytes, then the signature.
    public init(serializedBytes: [UInt8]) throws(FormatError) {
        var reader = ByteReader(serializedBytes)
        head = try TreeHead(reading: &reader)
        signature = try reader.readArray(count: Ed25519.signatureByteCount, field: "tree head signature")
        try reader.expectEnd(of: "signed tree head")
    }

    /// Head bytes ‖ signature.
    public var serializedBytes: [UInt8] { head.canonicalBytes + signature }

    /// Whether the signature is valid for the key the head names. This alone says nothing about
    /// whose key it is: use ``verify(card:)`` or ``verify(roster:)`` for that.
    public var hasValidSignature: Bool {
        head.signingKey.isValidSignature(signature, for: head.canonicalBytes)
    }

    /// Checks that the head comes from the node of `card`: same state, same signing key, valid signature.
    public func verify(card: IdentityCard) throws(TreeHeadError) {
        guard card.state == head.state else { throw .stateMismatch(head: head.state, card: card.state) }
        guard card.signingKey == head.signingKey else { throw .keyMismatch(state: head.state) }
        guard hasValidSignature else { throw .badSignature(state: head.state, treeSize: head.treeSize) }
    }

    /// Checks that the head comes from the node that `roster` lists for the head's state, signed
    /// with a key the roster trusts at the head's timestamp (its card's, or one its key history
    /// keeps until after it: docs/PROTOCOL.md §6.5).
    public func verify(roster: Roster) throws(TreeHeadError) {
        guard let member = roster.member(head.state) else { throw .unknownState(head.state) }
        try verify(card: member.card, retiredKeys: Array(roster.retiredKeys(of: head.state)))
    }

    /// Checks that the head is `card`'s node's, signed with the card's key or with a key of
    /// `retiredKeys` (the state's key history) whose `until` is after the head's timestamp.
    public func verify(card: IdentityCard, retiredKeys: [RetiredKeys]) throws(TreeHeadError) {
        guard card.state == head.state else { throw .stateMismatch(head: head.state, card: card.state) }
        let trusted = RetiredKeys.trustedSigningKeys(
            history: retiredKeys.filter { $0.state == head.state }, current: card.signingKey, at: head.timestamp)
        guard trusted.contains(head.signingKey) else { throw .keyMismatch(state: head.state) }
        guard hasValidSignature else { throw .badSignature(state: head.state, treeSize: head.treeSize) }
    }

    /// The head's description and “signed”.
    public var description: String { "\(head) (signed)" }

    // MARK: JSON

    private enum CodingKeys: String, CodingKey {
        case format, state, signingKey, treeSize, timestamp, rootHash, signature
    }

    /// Decodes `{"format": 1, "state", "signingKey", "treeSize", "timestamp", "rootHash", "signature"}`
    /// (keys, hashes and the signature in lower-case hex).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(UInt8.self, forKey: .format)
        guard format == TreeHead.formatVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: container,
                debugDescription: FormatError.unsupportedFormatVersion(what: "tree head", version: format).description)
        }
        func bytes(_ key: CodingKeys, count: Int) throws -> [UInt8] {
            let text = try container.decode(String.self, forKey: key)
            guard let bytes = try? Hex.decode(text), bytes.count == count else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "want \(2 * count) hexadecimal digits")
            }
            return bytes
        }
        let key = try Ed25519.PublicKey(rawRepresentation: bytes(.signingKey, count: Ed25519.publicKeyByteCount))
        head = TreeHead(
            state: try container.decode(StateCode.self, forKey: .state), signingKey: key,
            treeSize: try container.decode(UInt64.self, forKey: .treeSize),
            timestamp: try container.decode(Timestamp.self, forKey: .timestamp),
            rootHash: try container.decode(MerkleHash.self, forKey: .rootHash))
        signature = try bytes(.signature, count: Ed25519.signatureByteCount)
    }

    /// Encodes the JSON form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(TreeHead.formatVersion, forKey: .format)
        try container.encode(head.state, forKey: .state)
        try container.encode(Hex.encode(head.signingKey.rawRepresentation), forKey: .signingKey)
        try container.encode(head.treeSize, forKey: .treeSize)
        try container.encode(head.timestamp, forKey: .timestamp)
        try container.encode(head.rootHash, forKey: .rootHash)
        try container.encode(Hex.encode(signature), forKey: .signature)
    }
}
