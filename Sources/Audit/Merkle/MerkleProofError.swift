/// Why a Merkle proof was not accepted, or could not be made. Verification failures name what was
/// expected and what was computed, so that an operator can tell a corrupt proof from a wrong root.
public enum MerkleProofError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The leaf index is not below the tree size: no such leaf exists in that tree.
    case indexOutOfRange(index: UInt64, treeSize: UInt64)
    /// The first tree is larger than the second: a log only grows.
    case sizesOutOfOrder(first: UInt64, second: UInt64)
    /// The tree size asked for is larger than the tree (or log) the proof would come from.
    case treeSizeTooLarge(requested: UInt64, available: UInt64)
    /// The proof holds `got` hashes where the sizes and index require exactly `expected`.
    case wrongProofSize(got: Int, expected: Int)
    /// The root computed from the proof is not the root it was checked against.
    case rootMismatch(expected: MerkleHash, calculated: MerkleHash)
    /// The consistency proof does not reproduce the first tree's root.
    case firstRootMismatch(expected: MerkleHash, calculated: MerkleHash)
    /// The consistency proof does not reproduce the second tree's root.
    case secondRootMismatch(expected: MerkleHash, calculated: MerkleHash)
    /// The proof ran out of tree before it ran out of hashes, or the reverse (RFC 9162 steps "if
    /// sn is 0, fail" and "verify that sn is 0").
    case malformedPath
    /// A tree that keeps only its upper levels could not read back the leaf hashes of `range`,
    /// which a root or proof of an earlier size needs (the log's file: `reason` says why).
    case leavesUnreadable(range: Range<UInt64>, reason: String)
    /// The leaf hashes read back for `range` do not hash to the subtree the tree kept above them:
    /// the stored leaf hashes were changed since the tree was built from them. No proof is made
    /// from them.
    case leavesDiffer(range: Range<UInt64>)

    /// What went wrong and what it means, for an operator.
    public var description: String {
        switch self {
        case .indexOutOfRange(let index, let treeSize):
            "leaf index \(index) is not in a tree of size \(treeSize)"
        case .sizesOutOfOrder(let first, let second):
            "a consistency proof goes from a smaller tree to a larger one, not from \(first) to \(second) entries"
        case .treeSizeTooLarge(let requested, let available):
            "the tree has \(available) entries, so no proof for size \(requested) exists yet"
        case .wrongProofSize(let got, let expected):
            "the proof has \(got) hashes, but these sizes need exactly \(expected) (damaged or for other sizes)"
        case .rootMismatch(let expected, let calculated):
            "the proof leads to root \(calculated), not to \(expected): the entry is not in that tree, or the proof is damaged"
        case .firstRootMismatch(let expected, let calculated):
            "the consistency proof leads to first root \(calculated), not to \(expected): the log rewrote its history or the proof is damaged"
        case .secondRootMismatch(let expected, let calculated):
            "the consistency proof leads to second root \(calculated), not to \(expected): the log rewrote its history or the proof is damaged"
        case .malformedPath:
            "the proof's hashes do not fit the tree sizes it claims (damaged or for other sizes)"
        case .leavesUnreadable(let range, let reason):
            "the leaf hashes of entries \(range.lowerBound)..<\(range.upperBound) could not be read back from the log: \(reason)"
        case .leavesDiffer(let range):
            "the stored leaf hashes of entries \(range.lowerBound)..<\(range.upperBound) no longer hash to the tree's subtree over them: the log's file was changed; run `bordernet audit verify`"
        }
    }
}
