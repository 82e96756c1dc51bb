/// The RFC 9162 §2.1 Merkle tree over the leaf hashes of an append-only log, kept in memory so that
/// roots and proofs for **any** earlier size cost O(log n) hashes.
///
/// It stores every leaf hash and every complete ("perfect") subtree hash: level 0 holds the leaf
/// hashes, level `l` the hashes of the aligned subtrees of `2^l` leaves that are complete so far.
/// Each level is one flat byte array (32 bytes a hash), about 64 bytes of memory per leaf in all
/// (64 MB for a million entries). Appending is amortised O(1) hashes. Every subtree that RFC 9162's
/// recursive definitions need — `MTH(D[start:end])` with `start` aligned — is a chain of at most
/// `log2 n` perfect subtrees, so no root or proof ever rehashes the leaves.
///
/// A value type: copies are independent (and copy-on-write).
public struct MerkleTree: Sendable {
    /// `levels[l]` holds `size >> l` hashes of 32 bytes back to back.
    private var levels: [[UInt8]] = [[]]

    /// The number of leaves.
    public private(set) var size: UInt64 = 0

    /// An empty tree.
    public init() {}

    /// A tree of the given leaf hashes, in order.
    public init<Leaves: Sequence<MerkleHash>>(leafHashes: Leaves) {
        for leaf in leafHashes { append(leafHash: leaf) }
    }

    /// Appends the leaf hash of the next entry (`MerkleHasher.leafHash(entryBytes)`), completing
    /// every subtree that this leaf closes.
    public mutating func append(leafHash: MerkleHash) {
        append(rawLeafHash: leafHash.bytes)
    }

    /// Appends a leaf hash given as its 32 raw bytes.
    mutating func append(rawLeafHash: [UInt8]) {
        levels[0].append(contentsOf: rawLeafHash)
        size += 1
        var level = 0
        var count = size
        // A subtree at level l+1 closes whenever the count at level l becomes even.
        while count % 2 == 0 {
            let end = levels[level].count
            let parent = MerkleHasher.nodeHash(
                levels[level][(end - 64)..<(end - 32)], levels[level][(end - 32)..<end])
            if levels.count == level + 1 { levels.append([]) }
            levels[level + 1].append(contentsOf: parent)
            level += 1
            count /= 2
        }
    }

    /// The leaf hash at `index`, if the tree has it.
    public func leafHash(at index: UInt64) -> MerkleHash? {
        guard index < size else { return nil }
        return perfectSubtree(level: 0, index: index)
    }

    /// `MTH(D[0:treeSize])`, the root of the tree as it was when it had `treeSize` leaves
    /// (the current root when `treeSize` is ``size``; ``MerkleHasher/emptyRoot`` for 0).
    public func root(at treeSize: UInt64) throws(MerkleProofError) -> MerkleHash {
        guard treeSize <= size else { throw .treeSizeTooLarge(requested: treeSize, available: size) }
        return treeSize == 0 ? MerkleHasher.emptyRoot : rangeHash(0, treeSize)
    }

    /// The root of the whole tree.
    public var root: MerkleHash {
        size == 0 ? MerkleHasher.emptyRoot : rangeHash(0, size)
    }

    // MARK: Subtrees (package-internal building blocks of proof generation)

    /// The hash of the complete subtree of `2^level` leaves starting at leaf `index << level`.
    func perfectSubtree(level: Int, index: UInt64) -> MerkleHash {
        let start = Int(index) * MerkleHash.byteCount
        return MerkleHash(checked: Array(levels[level][start..<(start + MerkleHash.byteCount)]))
    }

    /// `MTH(D[start:end])` for `start < end ≤ size`, following RFC 9162's split: the left part is
    /// the largest power of two smaller than the range. When `start` is aligned (as in every range
    /// the RFC's recursions produce) each step is one stored subtree.
    func rangeHash(_ start: UInt64, _ end: UInt64) -> MerkleHash {
        let count = end - start
        if count & (count - 1) == 0 {
            let level = count.trailingZeroBitCount
            if start % count == 0 { return perfectSubtree(level: level, index: start >> UInt64(level)) }
        }
        let k = MerkleTree.largestPowerOfTwo(below: count)
        return MerkleHasher.nodeHash(rangeHash(start, start + k), rangeHash(start + k, end))
    }

    /// The largest power of two strictly smaller than `n` (for `n ≥ 2`): RFC 9162's `k`.
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        UInt64(1) << UInt64(63 - (n - 1).leadingZeroBitCount)
    }
}
