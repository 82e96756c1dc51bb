import Exchange

/// The proof that the tree of ``firstSize`` entries is a prefix of the tree of ``secondSize``
/// entries: RFC 9162 §2.1.4. It is what a log shows to prove it only appended since a tree head.
///
/// Canonical bytes (docs/AUDIT.md §5.2): tag `BNCP`, format 1, first size `u64`, second size
/// `u64`, hash count `u16`, the hashes. JSON: `{"firstSize", "secondSize", "path": [hex…]}`.
public struct ConsistencyProof: Hashable, Sendable, Codable {
    /// The 4-byte tag that starts the canonical bytes.
    public static let tag: [UInt8] = Array("BNCP".utf8)
    /// The format version written after the tag.
    public static let formatVersion: UInt8 = 1

    /// The size of the older tree.
    public let firstSize: UInt64
    /// The size of the newer tree.
    public let secondSize: UInt64
    /// The hashes of RFC 9162 §2.1.4.1, in the order its `PROOF` appends them.
    public let path: [MerkleHash]

    /// A proof with the given fields (checked only when verified).
    public init(firstSize: UInt64, secondSize: UInt64, path: [MerkleHash]) {
        self.firstSize = firstSize
        self.secondSize = secondSize
        self.path = path
    }

    /// Decodes canonical bytes; a bad tag, a short field or bytes left over are refused.
    public init(canonicalBytes: [UInt8]) throws(FormatError) {
        var reader = ByteReader(canonicalBytes)
        try reader.readTag(ConsistencyProof.tag, version: ConsistencyProof.formatVersion, what: "consistency proof")
        firstSize = try reader.readUInt64(field: "first size")
        secondSize = try reader.readUInt64(field: "second size")
        let count = try reader.readUInt16(field: "consistency path count")
        var path: [MerkleHash] = []
        for _ in 0..<count { path.append(try MerkleHash(reading: &reader, field: "consistency path hash")) }
        self.path = path
        try reader.expectEnd(of: "consistency proof")
    }

    /// The canonical bytes of this proof.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter(capacity: 23 + 32 * path.count)
        writer.write(raw: ConsistencyProof.tag)
        writer.write(ConsistencyProof.formatVersion)
        writer.write(firstSize)
        writer.write(secondSize)
        writer.write(count: path.count)
        for hash in path { writer.write(raw: hash.bytes) }
        return writer.bytes
    }

    /// Checks that the tree with root `firstRoot` is a prefix of the tree with root `secondRoot`
    /// (RFC 9162 §2.1.4.2).
    public func verify(firstRoot: MerkleHash, secondRoot: MerkleHash) throws(MerkleProofError) {
        try MerkleProofVerifier.verifyConsistency(
            firstSize: firstSize, secondSize: secondSize, firstRoot: firstRoot, secondRoot: secondRoot, path: path)
    }
}
