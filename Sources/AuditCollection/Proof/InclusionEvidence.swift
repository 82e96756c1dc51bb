import Audit
import Exchange
import Sodium

/// Everything a third party needs to check that an entry is in a node's log (docs/AUDIT.md §6.5,
/// §7.2, §12.4): the entry's bytes, its leaf hash, the inclusion proof, and the signed tree head
/// whose size and root the proof leads to. The checker also needs the node's signing key from the
/// roster, to verify the head.
public struct InclusionEvidence: Sendable, Codable {
    /// The node's state.
    public let state: StateCode
    /// The entry, decoded (for people).
    public let entry: AuditEntry
    /// The entry's canonical bytes, hex: what is hashed.
    public let entryBytes: String
    /// `SHA-256(0x00 ‖ entry bytes)`, hex.
    public let leafHash: String
    /// The inclusion proof (`leafIndex`, `treeSize`, `path`).
    public let proof: InclusionProof
    /// The proof's canonical `BNIP` bytes, hex.
    public let proofBytes: String
    /// The tree size the proof is for (= the head's).
    public let treeSize: UInt64
    /// The root the proof leads to (= the head's), hex.
    public let rootHash: String
    /// The node's signed head covering the entry (JSON form).
    public let signedTreeHead: SignedTreeHead
    /// The same, as its 151 serialized bytes, hex.
    public let signedTreeHeadBytes: String

    /// The evidence for entry `index` of `log`, with the node's stored signed head of size `size`
    /// (by default the latest head the node signed, which must cover the entry). The proof is
    /// checked before it is returned.
    public static func make(
        log: AuditLog, card: IdentityCard, retiredKeys: [RetiredKeys] = [], index: UInt64, size: UInt64? = nil
    ) throws -> InclusionEvidence {
        let heads = try log.treeHeads()
        let chosen: SignedTreeHead?
        if let size {
            chosen = heads.last { $0.head.treeSize == size }
            guard chosen != nil else { throw InclusionEvidenceError.noHeadOfSize(size, available: Set(heads.map(\.head.treeSize)).sorted()) }
        } else {
            chosen = heads.last
        }
        guard let head = chosen else { throw InclusionEvidenceError.noHead }
        guard index < head.head.treeSize else { throw InclusionEvidenceError.notCovered(index: index, treeSize: head.head.treeSize) }
        // A head signed before a key rotation verifies with the key the roster's history keeps.
        try head.verify(card: card, retiredKeys: retiredKeys)
        guard let entry = try log.entries(in: index..<(index + 1)).first else {
            throw InclusionEvidenceError.notCovered(index: index, treeSize: log.size)
        }
        let proof = try log.inclusionProof(index: index, treeSize: head.head.treeSize)
        let bytes = entry.canonicalBytes
        let leaf = MerkleHasher.leafHash(bytes)
        try proof.verify(leafHash: leaf, root: head.head.rootHash)
        return InclusionEvidence(
            state: card.state, entry: entry, entryBytes: Hex.encode(bytes), leafHash: "\(leaf)", proof: proof,
            proofBytes: Hex.encode(proof.canonicalBytes), treeSize: head.head.treeSize, rootHash: "\(head.head.rootHash)",
            signedTreeHead: head, signedTreeHeadBytes: Hex.encode(head.serializedBytes))
    }
}

/// Why no inclusion proof could be given.
public enum InclusionEvidenceError: Error, CustomStringConvertible {
    /// The node has signed no tree head yet.
    case noHead
    /// No stored head has the size asked for.
    case noHeadOfSize(UInt64, available: [UInt64])
    /// The head does not cover the entry.
    case notCovered(index: UInt64, treeSize: UInt64)

    public var description: String {
        switch self {
        case .noHead:
            "the node has signed no tree head yet: run the node (it signs one every 60 s, and when the secretariat collects)"
        case .noHeadOfSize(let size, let available):
            "the node signed no tree head of size \(size); sizes it signed: \(available.suffix(20).map(String.init).joined(separator: ", "))"
        case .notCovered(let index, let treeSize):
            "entry \(index) is not covered by the tree head of size \(treeSize): pick an entry below \(treeSize), or wait for the node's next signed head"
        }
    }
}
