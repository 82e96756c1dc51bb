/// Proof generation, exactly as RFC 9162 defines `PATH` (§2.1.3.1) and `PROOF`/`SUBPROOF`
/// (§2.1.4.1), over the stored subtrees of the tree (and those a tree retaining only upper levels
/// reads back, once per proof).
extension MerkleTree {
    /// The inclusion proof of the leaf at `index` in the tree of the first `treeSize` leaves:
    /// `PATH(index, D[0:treeSize])`.
    public func inclusionProof(leafIndex index: UInt64, treeSize: UInt64) throws(MerkleProofError) -> InclusionProof {
        guard treeSize <= size else { throw .treeSizeTooLarge(requested: treeSize, available: size) }
        guard index < treeSize else { throw .indexOutOfRange(index: index, treeSize: treeSize) }
        var path: [MerkleHash] = []
        var reread = RereadSubtrees()
        try appendPath(index, start: 0, end: treeSize, to: &path, &reread)
        return InclusionProof(leafIndex: index, treeSize: treeSize, path: path)
    }

    /// The consistency proof between the trees of the first `firstSize` and `secondSize` leaves:
    /// `PROOF(firstSize, D[0:secondSize])`, empty when `firstSize` is 0 or equals `secondSize`.
    public func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(MerkleProofError) -> ConsistencyProof {
        guard firstSize <= secondSize else { throw .sizesOutOfOrder(first: firstSize, second: secondSize) }
        guard secondSize <= size else { throw .treeSizeTooLarge(requested: secondSize, available: size) }
        var path: [MerkleHash] = []
        var reread = RereadSubtrees()
        if firstSize > 0, firstSize < secondSize {
            try appendSubproof(firstSize, start: 0, end: secondSize, complete: true, to: &path, &reread)
        }
        return ConsistencyProof(firstSize: firstSize, secondSize: secondSize, path: path)
    }

    /// `PATH(m, D[start:end])`: for n > 1, with k the largest power of two < n,
    /// `PATH(m, D[0:k]) : MTH(D[k:n])` if m < k, else `PATH(m − k, D[k:n]) : MTH(D[0:k])`.
    /// `m` is relative to `start`; the recursion appends bottom-up, as `:` does in the RFC.
    private func appendPath(
        _ m: UInt64, start: UInt64, end: UInt64, to path: inout [MerkleHash], _ reread: inout RereadSubtrees
    ) throws(MerkleProofError) {
        let n = end - start
        guard n > 1 else { return }
        let k = MerkleTree.largestPowerOfTwo(below: n)
        if m < k {
            try appendPath(m, start: start, end: start + k, to: &path, &reread)
            path.append(try rangeHash(start + k, end, &reread))
        } else {
            try appendPath(m - k, start: start + k, end: end, to: &path, &reread)
            path.append(try rangeHash(start, start + k, &reread))
        }
    }

    /// `SUBPROOF(m, D[start:end], b)`: `{}` if m = n and b; `{MTH(D[start:end])}` if m = n and not
    /// b; otherwise with k the largest power of two < n, `SUBPROOF(m, D[0:k], b) : MTH(D[k:n])` if
    /// m ≤ k, else `SUBPROOF(m − k, D[k:n], false) : MTH(D[0:k])`.
    private func appendSubproof(
        _ m: UInt64, start: UInt64, end: UInt64, complete: Bool, to path: inout [MerkleHash],
        _ reread: inout RereadSubtrees
    ) throws(MerkleProofError) {
        let n = end - start
        if m == n {
            if !complete { path.append(try rangeHash(start, end, &reread)) }
            return
        }
        let k = MerkleTree.largestPowerOfTwo(below: n)
        if m <= k {
            try appendSubproof(m, start: start, end: start + k, complete: complete, to: &path, &reread)
            path.append(try rangeHash(start + k, end, &reread))
        } else {
            try appendSubproof(m - k, start: start + k, end: end, complete: false, to: &path, &reread)
            path.append(try rangeHash(start, start + k, &reread))
        }
    }
}
