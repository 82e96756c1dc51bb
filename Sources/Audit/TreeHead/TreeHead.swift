import Exchange
import Sodium

/// What a node states about its audit log at a moment: “my log had `treeSize` entries and their
/// Merkle root was `rootHash`”, with the node's state and signing key. Signed, it is a
/// ``SignedTreeHead``: a commitment the node cannot take back.
///
/// Canonical bytes (docs/AUDIT.md §7), 87 bytes: tag `BNTH`, format 1, state `[2]`, signing key
/// `[32]`, tree size `u64`, timestamp `u64`, root hash `[32]`.
public struct TreeHead: Hashable, Sendable, CustomStringConvertible {
    /// The 4-byte tag that starts the canonical bytes.
    public static let tag: [UInt8] = Array("BNTH".utf8)
    /// The format version written after the tag.
    public static let formatVersion: UInt8 = 1
    /// Bytes in the canonical encoding.
    public static let byteCount = 87

    /// The state of the node whose log this is.
    public let state: StateCode
    /// The node's Ed25519 signing key (its roster card's `signingKey`), which signs the head.
    public let signingKey: Ed25519.PublicKey
    /// The number of entries the head covers (entries `0 ..< treeSize`).
    public let treeSize: UInt64
    /// When the node made the head (the node's clock).
    public let timestamp: Timestamp
    /// `MTH` of the first `treeSize` entries (RFC 9162 §2.1.1).
    public let rootHash: MerkleHash

    /// A head with the given fields.
    public init(state: StateCode, signingKey: Ed25519.PublicKey, treeSize: UInt64, timestamp: Timestamp, rootHash: MerkleHash) {
        self.state = state
        self.signingKey = signingKey
        self.treeSize = treeSize
        self.timestamp = timestamp
        self.rootHash = rootHash
    }

    /// Decodes the 87 canonical bytes; anything else is refused.
    public init(canonicalBytes: [UInt8]) throws(FormatError) {
        var reader = ByteReader(canonicalBytes)
        try self.init(reading: &reader)
        try reader.expectEnd(of: "tree head")
    }

    init(reading reader: inout ByteReader) throws(FormatError) {
        try reader.readTag(TreeHead.tag, version: TreeHead.formatVersion, what: "tree head")
        state = try reader.readState(field: "tree head state")
        let key = try reader.readArray(count: Ed25519.publicKeyByteCount, field: "tree head signing key")
        do {
            signingKey = try Ed25519.PublicKey(rawRepresentation: key)
        } catch {
            throw FormatError.invalidField(field: "tree head signing key", reason: error.description)
        }
        treeSize = try reader.readUInt64(field: "tree size")
        timestamp = try reader.readTimestamp(field: "tree head timestamp")
        rootHash = try MerkleHash(reading: &reader, field: "root hash")
    }

    /// The canonical bytes: what the node signs.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter(capacity: TreeHead.byteCount)
        writer.write(raw: TreeHead.tag)
        writer.write(TreeHead.formatVersion)
        writer.write(state: state)
        writer.write(raw: signingKey.rawRepresentation)
        writer.write(treeSize)
        writer.write(timestamp.millisecondsSinceEpoch)
        writer.write(raw: rootHash.bytes)
        return writer.bytes
    }

    /// Signs the head with `identity`'s signing key. The head must name that identity's state and key.
    public func signed(by identity: NodeIdentity) throws(TreeHeadError) -> SignedTreeHead {
        guard identity.state == state, identity.signingKey.publicKey == signingKey else {
            throw .keyMismatch(state: state)
        }
        return SignedTreeHead(head: self, signature: identity.signingKey.signature(for: canonicalBytes))
    }

    /// Whether `other` is a different head of the same node for the same size: two roots for one
    /// tree size mean the node showed two histories (**equivocation**). Timestamps may differ
    /// between honest heads; roots may not.
    public func equivocates(with other: TreeHead) -> Bool {
        state == other.state && treeSize == other.treeSize && rootHash != other.rootHash
    }

    /// Checks that this (newer) head's tree extends `older`'s with `proof` (RFC 9162 §2.1.4.2). A
    /// failure is what the secretariat flags as inconsistency.
    public func verifyConsistency(from older: TreeHead, proof: ConsistencyProof) throws(MerkleProofError) {
        guard proof.firstSize == older.treeSize, proof.secondSize == treeSize else {
            throw .sizesOutOfOrder(first: proof.firstSize, second: proof.secondSize)
        }
        try proof.verify(firstRoot: older.rootHash, secondRoot: rootHash)
    }

    /// `MA size 1024 root 5dc9…`.
    public var description: String { "\(state) size \(treeSize) root \(rootHash) at \(timestamp)" }
}
