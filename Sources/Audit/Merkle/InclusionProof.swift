import Exchange

/// The proof that the entry at ``leafIndex`` is in the tree of ``treeSize`` entries: the audit
/// path of RFC 9162 §2.1.3, ordered from the leaf's sibling up to the child of the root.
///
/// Canonical bytes (docs/AUDIT.md §5.1): tag `BNIP`, format 1, leaf index `u64`, tree size `u64`,
/// hash count `u16`, the hashes (32 bytes each). JSON: `{"leafIndex", "treeSize", "path": [hex…]}`.
public struct InclusionProof: Hashable, Sendable, Codable {
    /// The 4-byte tag that starts the canonical bytes.
    public static let tag: [UInt8] = Array("BNIP".utf8)
    /// The format version written after the tag.
    public static let formatVersion: UInt8 = 1

    /// The 0-based index of the entry the proof is for.
    public let leafIndex: UInt64
    /// The size of the tree whose root the proof leads to.
    public let treeSize: UInt64
    /// The sibling hashes, from the bottom of the tree to the top.
    public let path: [MerkleHash]

    /// A proof with the given fields (checked only when verified).
    public init(leafIndex: UInt64, treeSize: UInt64, path: [MerkleHash]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.path = path
    }

    /// Decodes canonical bytes; a bad tag, a short field or bytes left over are refused.
    public init(canonicalBytes: [UInt8]) throws(FormatError) {
        var reader = ByteReader(canonicalBytes)
        try reader.readTag(InclusionProof.tag, version: InclusionProof.formatVersion, what: "inclusion proof")
        leafIndex = try reader.readUInt64(field: "leaf index")
        treeSize = try reader.readUInt64(field: "tree size")
        let count = try reader.readUInt16(field: "inclusion path count")
        var path: [MerkleHash] = []
        for _ in 0..<count { path.append(try MerkleHash(reading: &reader, field: "inclusion path hash")) }
        self.path = path
        try reader.expectEnd(of: "inclusion proof")
    }

    /// The canonical bytes of this proof.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter(capacity: 23 + 32 * path.count)
        writer.write(raw: InclusionProof.tag)
        writer.write(InclusionProof.formatVersion)
        writer.write(leafIndex)
        writer.write(treeSize)
        writer.write(count: path.count)
        for hash in path { writer.write(raw: hash.bytes) }
        return writer.bytes
    }

    /// Checks that this proof leads from `leafHash` to `root` (RFC 9162 §2.1.3.2).
    public func verify(leafHash: MerkleHash, root: MerkleHash) throws(MerkleProofError) {
        try MerkleProofVerifier.verifyInclusion(
            leafIndex: leafIndex, treeSize: treeSize, leafHash: leafHash, path: path, root: root)
    }
}
