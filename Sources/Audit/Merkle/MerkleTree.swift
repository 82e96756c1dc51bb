/// The RFC 9162 §2.1 Merkle tree over the leaf hashes of an append-only log, so that roots and
/// proofs for **any** earlier size cost O(log n) hashes.
///
/// It stores complete ("perfect") subtree hashes: level 0 holds leaf hashes, level `l` the hashes
/// of the aligned subtrees of `2^l` leaves that are complete so far. Each level is one flat byte
/// array (32 bytes a hash). Appending is amortised O(1) hashes. Every subtree that RFC 9162's
/// recursive definitions need — `MTH(D[start:end])` with `start` aligned — is a chain of at most
/// `log2 n` perfect subtrees.
///
/// ``init()`` keeps every level: about 64 bytes of memory per leaf (64 MB for a million entries),
/// no root or proof ever rehashes leaves. ``init(retainingLevelsFrom:leafReader:)`` is for a log
/// that grows for as long as its node runs (``AuditLog``): it keeps the levels of subtrees of at
/// least `2^level` leaves, and below them only the last, still incomplete, such subtree — about
/// 64 / 2^level bytes per leaf. The current root and every append still need nothing else; a root
/// or proof of an earlier size that needs a subtree it let go reads that subtree's leaves back
/// with the reader, and refuses them unless they hash to the subtree it kept above them.
///
/// A value type: copies are independent (and copy-on-write).
public struct MerkleTree: Sendable {
    /// Reads the leaf hashes of the entries in a range, in order, from where the log stores them.
    public typealias LeafReader = @Sendable (Range<UInt64>) throws -> [MerkleHash]

    /// `levels[l]` holds the hashes of the level-`l` subtrees from the `dropped[l]`-th on, 32
    /// bytes back to back.
    private var levels: [[UInt8]] = [[]]
    /// How many hashes at the start of each level the tree no longer holds.
    private var dropped: [UInt64] = [0]
    /// Below this level only the subtrees of the last, incomplete, subtree of this level are held.
    private let retainedLevel: Int
    /// Where the leaves of a subtree let go are read back; `nil` when every level is kept.
    private let leafReader: LeafReader?

    /// The number of leaves.
    public private(set) var size: UInt64 = 0

    /// An empty tree that keeps every level.
    public init() {
        retainedLevel = Int.max
        leafReader = nil
    }

    /// An empty tree that keeps in memory only the subtrees of at least `2^level` leaves (and the
    /// parts of the last one still incomplete), reading the leaves of the others back with
    /// `leafReader` when a root or proof of an earlier size needs them. `level` is clamped to
    /// 1…32.
    public init(retainingLevelsFrom level: Int, leafReader: @escaping LeafReader) {
        retainedLevel = min(max(level, 1), 32)
        self.leafReader = leafReader
    }

    /// A tree of the given leaf hashes, in order, that keeps every level.
    public init<Leaves: Sequence<MerkleHash>>(leafHashes: Leaves) {
        self.init()
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
            if levels.count == level + 1 {
                levels.append([])
                dropped.append(0)
            }
            levels[level + 1].append(contentsOf: parent)
            level += 1
            count /= 2
        }
        // A subtree of the retained level just closed: the levels below it hold only its parts.
        if level >= retainedLevel {
            for lower in 0..<retainedLevel {
                dropped[lower] += UInt64(levels[lower].count / MerkleHash.byteCount)
                levels[lower].removeAll(keepingCapacity: true)
            }
        }
    }

    /// The leaf hash at `index`, or `nil` when the tree has no such leaf or, retaining only upper
    /// levels, no longer holds it.
    public func leafHash(at index: UInt64) -> MerkleHash? {
        guard index < size, index >= dropped[0] else { return nil }
        return heldSubtree(level: 0, index: index)
    }

    /// `MTH(D[0:treeSize])`, the root of the tree as it was when it had `treeSize` leaves
    /// (the current root when `treeSize` is ``size``; ``MerkleHasher/emptyRoot`` for 0).
    public func root(at treeSize: UInt64) throws(MerkleProofError) -> MerkleHash {
        guard treeSize <= size else { throw .treeSizeTooLarge(requested: treeSize, available: size) }
        if treeSize == 0 { return MerkleHasher.emptyRoot }
        var reread = RereadSubtrees()
        return try rangeHash(0, treeSize, &reread)
    }

    /// The root of the whole tree: the perfect subtrees that the bits of ``size`` name, highest
    /// first, folded from the right (RFC 9162's split at the largest power of two, repeated). All
    /// of them are held, whatever the tree retains.
    public var root: MerkleHash {
        guard size > 0 else { return MerkleHasher.emptyRoot }
        var subtrees: [MerkleHash] = []
        var start: UInt64 = 0
        for level in stride(from: 63 - size.leadingZeroBitCount, through: 0, by: -1)
        where size & (1 << UInt64(level)) != 0 {
            subtrees.append(heldSubtree(level: level, index: start >> UInt64(level)))
            start += 1 << UInt64(level)
        }
        var root = subtrees[subtrees.count - 1]
        for subtree in subtrees.dropLast().reversed() { root = MerkleHasher.nodeHash(subtree, root) }
        return root
    }

    /// How many hashes the tree holds (for the tests of its memory).
    var heldHashCount: Int { levels.reduce(0) { $0 + $1.count } / MerkleHash.byteCount }

    // MARK: Subtrees (package-internal building blocks of proof generation)

    /// The subtrees read back during one root or proof: each subtree of the retained level whose
    /// leaves were read, with every level below it, so that one call reads it once.
    struct RereadSubtrees {
        fileprivate var levelsByIndex: [UInt64: [[MerkleHash]]] = [:]
    }

    /// The hash of the complete subtree of `2^level` leaves starting at leaf `index << level`.
    func perfectSubtree(level: Int, index: UInt64, _ reread: inout RereadSubtrees) throws(MerkleProofError)
        -> MerkleHash
    {
        if index >= dropped[level] { return heldSubtree(level: level, index: index) }
        // Let go: it lies inside a complete subtree of the retained level, whose hash is held.
        let shift = retainedLevel - level
        let outer = index >> UInt64(shift)
        if reread.levelsByIndex[outer] == nil {
            reread.levelsByIndex[outer] = try readSubtree(outer)
        }
        let inner = Int(index - (outer << UInt64(shift)))
        guard let rebuilt = reread.levelsByIndex[outer], level < rebuilt.count, inner < rebuilt[level].count else {
            throw .leavesUnreadable(
                range: (index << UInt64(level))..<((index + 1) << UInt64(level)), reason: "not rebuilt")
        }
        return rebuilt[level][inner]
    }

    /// `MTH(D[start:end])` for `start < end ≤ size`, following RFC 9162's split: the left part is
    /// the largest power of two smaller than the range. When `start` is aligned (as in every range
    /// the RFC's recursions produce) each step is one perfect subtree.
    func rangeHash(_ start: UInt64, _ end: UInt64, _ reread: inout RereadSubtrees) throws(MerkleProofError)
        -> MerkleHash
    {
        let count = end - start
        if count & (count - 1) == 0 {
            let level = count.trailingZeroBitCount
            if start % count == 0 { return try perfectSubtree(level: level, index: start >> UInt64(level), &reread) }
        }
        let k = MerkleTree.largestPowerOfTwo(below: count)
        return MerkleHasher.nodeHash(try rangeHash(start, start + k, &reread), try rangeHash(start + k, end, &reread))
    }

    /// The largest power of two strictly smaller than `n` (for `n ≥ 2`): RFC 9162's `k`.
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        UInt64(1) << UInt64(63 - (n - 1).leadingZeroBitCount)
    }

    /// A held hash: `index` is at or after `dropped[level]`.
    private func heldSubtree(level: Int, index: UInt64) -> MerkleHash {
        let start = Int(index - dropped[level]) * MerkleHash.byteCount
        return MerkleHash(checked: Array(levels[level][start..<(start + MerkleHash.byteCount)]))
    }

    /// Reads back the leaves of the `outer`-th subtree of the retained level and rebuilds every
    /// level below it; refuses leaves that do not hash to the subtree's held hash.
    private func readSubtree(_ outer: UInt64) throws(MerkleProofError) -> [[MerkleHash]] {
        let width = UInt64(1) << UInt64(retainedLevel)
        let range = (outer * width)..<((outer + 1) * width)
        guard let leafReader else { throw .leavesUnreadable(range: range, reason: "this tree keeps no reader") }
        let leaves: [MerkleHash]
        do {
            leaves = try leafReader(range)
        } catch {
            throw .leavesUnreadable(range: range, reason: "\(error)")
        }
        guard leaves.count == Int(width) else {
            throw .leavesUnreadable(range: range, reason: "\(leaves.count) leaf hashes were read, not \(width)")
        }
        var rebuilt = [leaves]
        while let below = rebuilt.last, below.count > 1 {
            rebuilt.append(
                stride(from: 0, to: below.count, by: 2).map { MerkleHasher.nodeHash(below[$0], below[$0 + 1]) })
        }
        let held = heldSubtree(level: retainedLevel, index: outer)
        guard rebuilt.last?.first == held else { throw .leavesDiffer(range: range) }
        return rebuilt
    }
}
