/// Proof verification, step by step as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency)
/// write it, so that the code can be read against the RFC and against docs/AUDIT.md §6.
///
/// Before running the RFC's algorithm, each check compares the proof's length with the exact
/// length the sizes require (``expectedInclusionPathCount(leafIndex:treeSize:)``); the RFC's own
/// length checks ("if sn is 0, fail", "verify that sn is 0") then can only confirm it, and a proof
/// of the wrong length is reported as such rather than as a root mismatch.
public enum MerkleProofVerifier {
    /// Checks that `path` proves the leaf `leafHash` at `leafIndex` in the tree of `treeSize`
    /// leaves whose root is `root`.
    public static func verifyInclusion(
        leafIndex: UInt64, treeSize: UInt64, leafHash: MerkleHash, path: [MerkleHash], root: MerkleHash
    ) throws(MerkleProofError) {
        let calculated = try rootFromInclusionProof(leafIndex: leafIndex, treeSize: treeSize, leafHash: leafHash, path: path)
        guard calculated == root else { throw .rootMismatch(expected: root, calculated: calculated) }
    }

    /// The root that an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1–4); the caller compares
    /// it with the root it trusts (step 5).
    public static func rootFromInclusionProof(
        leafIndex: UInt64, treeSize: UInt64, leafHash: MerkleHash, path: [MerkleHash]
    ) throws(MerkleProofError) -> MerkleHash {
        // 1. leaf_index must be < tree_size.
        guard leafIndex < treeSize else { throw .indexOutOfRange(index: leafIndex, treeSize: treeSize) }
        let expected = expectedInclusionPathCount(leafIndex: leafIndex, treeSize: treeSize)
        guard path.count == expected else { throw .wrongProofSize(got: path.count, expected: expected) }
        // 2. fn = leaf_index, sn = tree_size − 1.
        var fn = leafIndex
        var sn = treeSize - 1
        // 3. r = hash.
        var r = leafHash.bytes
        // 4. For each p in the path:
        for p in path {
            // a. If sn is 0, fail.
            guard sn != 0 else { throw .malformedPath }
            // b. If LSB(fn) is set or fn = sn: r = HASH(0x01 ‖ p ‖ r), and if LSB(fn) is not set,
            //    right-shift fn and sn until LSB(fn) is set or fn is 0. Otherwise r = HASH(0x01 ‖ r ‖ p).
            if fn & 1 == 1 || fn == sn {
                r = MerkleHasher.nodeHash(p.bytes, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleHasher.nodeHash(r, p.bytes)
            }
            // c. Right-shift fn and sn once.
            fn >>= 1
            sn >>= 1
        }
        // 5 (first half). sn must be 0.
        guard sn == 0 else { throw .malformedPath }
        return MerkleHash(checked: r)
    }

    /// Checks that the tree of `firstSize` leaves with root `firstRoot` is a prefix of the tree of
    /// `secondSize` leaves with root `secondRoot`.
    ///
    /// Edge cases the RFC leaves to the caller: `firstSize > secondSize` is refused; equal sizes
    /// need an empty proof and equal roots; `firstSize` 0 needs an empty proof (the empty tree is a
    /// prefix of every tree, so there is nothing to check).
    public static func verifyConsistency(
        firstSize: UInt64, secondSize: UInt64, firstRoot: MerkleHash, secondRoot: MerkleHash, path: [MerkleHash]
    ) throws(MerkleProofError) {
        guard firstSize <= secondSize else { throw .sizesOutOfOrder(first: firstSize, second: secondSize) }
        if firstSize == secondSize {
            guard path.isEmpty else { throw .wrongProofSize(got: path.count, expected: 0) }
            guard firstRoot == secondRoot else { throw .rootMismatch(expected: secondRoot, calculated: firstRoot) }
            return
        }
        if firstSize == 0 {
            guard path.isEmpty else { throw .wrongProofSize(got: path.count, expected: 0) }
            return
        }
        let expected = expectedConsistencyPathCount(firstSize: firstSize, secondSize: secondSize)
        guard path.count == expected else { throw .wrongProofSize(got: path.count, expected: expected) }
        // 1. An empty consistency_path fails (excluded by the count check for 0 < first < second).
        guard !path.isEmpty else { throw .wrongProofSize(got: 0, expected: expected) }
        // 2. If first is an exact power of 2, prepend first_hash to the path.
        var hashes = path.map(\.bytes)
        if firstSize & (firstSize - 1) == 0 { hashes.insert(firstRoot.bytes, at: 0) }
        // 3. fn = first − 1, sn = second − 1.
        var fn = firstSize - 1
        var sn = secondSize - 1
        // 4. If LSB(fn) is set, right-shift fn and sn until LSB(fn) is not set.
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // 5. fr = sr = the first value of the path.
        var fr = hashes[0]
        var sr = hashes[0]
        // 6. For each subsequent value c:
        for c in hashes.dropFirst() {
            // a. If sn is 0, fail.
            guard sn != 0 else { throw .malformedPath }
            // b. If LSB(fn) is set or fn = sn: fr = HASH(0x01 ‖ c ‖ fr), sr = HASH(0x01 ‖ c ‖ sr), and
            //    if LSB(fn) is not set, right-shift fn and sn until LSB(fn) is set or fn is 0.
            //    Otherwise sr = HASH(0x01 ‖ sr ‖ c).
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHasher.nodeHash(c, fr)
                sr = MerkleHasher.nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = MerkleHasher.nodeHash(sr, c)
            }
            // c. Right-shift fn and sn once.
            fn >>= 1
            sn >>= 1
        }
        // 7. fr = first_hash, sr = second_hash, sn = 0.
        guard sn == 0 else { throw .malformedPath }
        guard fr == firstRoot.bytes else {
            throw .firstRootMismatch(expected: firstRoot, calculated: MerkleHash(checked: fr))
        }
        guard sr == secondRoot.bytes else {
            throw .secondRootMismatch(expected: secondRoot, calculated: MerkleHash(checked: sr))
        }
    }

    /// The exact number of hashes in the inclusion proof of `leafIndex` in a tree of `treeSize`
    /// leaves (`leafIndex < treeSize`): the iterations of §2.1.3.2 step 4 that end with `sn` = 0.
    /// 0 when `leafIndex ≥ treeSize` (no proof exists): total, so no pair of sizes can trap.
    public static func expectedInclusionPathCount(leafIndex: UInt64, treeSize: UInt64) -> Int {
        guard leafIndex < treeSize else { return 0 }
        var fn = leafIndex
        var sn = treeSize - 1
        var count = 0
        while sn != 0 {
            if fn & 1 == 0 && fn == sn {
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            }
            fn >>= 1
            sn >>= 1
            count += 1
        }
        return count
    }

    /// The exact number of hashes in the consistency proof from `firstSize` to `secondSize`
    /// (`0 < firstSize < secondSize`): the iterations of §2.1.4.2 step 6 that end with `sn` = 0,
    /// plus the first value, less the prepended first root when `firstSize` is a power of two.
    /// 0 outside `0 < firstSize < secondSize` (the proof is then empty or impossible): total, so no
    /// pair of sizes can trap.
    public static func expectedConsistencyPathCount(firstSize: UInt64, secondSize: UInt64) -> Int {
        guard firstSize > 0, firstSize < secondSize else { return 0 }
        var fn = firstSize - 1
        var sn = secondSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var count = 1
        while sn != 0 {
            if fn & 1 == 0 && fn == sn {
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            }
            fn >>= 1
            sn >>= 1
            count += 1
        }
        return firstSize & (firstSize - 1) == 0 ? count - 1 : count
    }
}
