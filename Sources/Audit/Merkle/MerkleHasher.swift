import Sodium

/// The hashing of RFC 9162 §2.1.1 (the same as RFC 6962 §2.1): SHA-256 with a one-byte domain
/// separation prefix, `0x00` for leaves and `0x01` for interior nodes, so that a leaf can never be
/// passed off as an interior node (second-preimage resistance of the tree).
public enum MerkleHasher {
    /// The prefix of a leaf's hash input.
    public static let leafPrefix: UInt8 = 0x00
    /// The prefix of an interior node's hash input.
    public static let nodePrefix: UInt8 = 0x01

    /// `MTH({}) = SHA-256()`: the root of the empty tree,
    /// `e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`.
    public static let emptyRoot = MerkleHash(checked: SHA256.hash([]))

    /// `SHA-256(0x00 ‖ entry)`: the leaf hash of an entry's canonical bytes.
    public static func leafHash(_ entry: [UInt8]) -> MerkleHash {
        var input = [UInt8]()
        input.reserveCapacity(1 + entry.count)
        input.append(leafPrefix)
        input.append(contentsOf: entry)
        return MerkleHash(checked: SHA256.hash(input))
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`: the hash of an interior node.
    public static func nodeHash(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        MerkleHash(checked: nodeHash(left.bytes, right.bytes))
    }

    /// `SHA-256(0x01 ‖ left ‖ right)` over raw bytes (the children need not be 32 bytes long, as in
    /// the RFC 6962 reference tests that hash `N123` and `N456`).
    static func nodeHash<Left: Collection<UInt8>, Right: Collection<UInt8>>(_ left: Left, _ right: Right) -> [UInt8] {
        var input = [UInt8]()
        input.reserveCapacity(1 + left.count + right.count)
        input.append(nodePrefix)
        input.append(contentsOf: left)
        input.append(contentsOf: right)
        return SHA256.hash(input)
    }
}
