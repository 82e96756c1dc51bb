/// The first thing `audit verify` found wrong in a node's own log, naming the entry (or the range
/// of entries) or the tree head at fault. Any of these means the log's file was altered or damaged
/// after it was written: restore it from a backup and tell the secretariat.
public enum AuditVerificationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file could not be read at all.
    case unreadable(reason: String)
    /// Entries must be numbered 0, 1, 2… without gaps; entry `index` is missing (deleted rows, or a
    /// truncated log regrown).
    case missingEntry(index: UInt64)
    /// The bytes of entry `index` do not decode as an audit entry.
    case malformedEntry(index: UInt64, reason: String)
    /// The row of entry `index` holds the bytes of an entry that says it is number `recorded` (rows moved).
    case indexMismatch(index: UInt64, recorded: UInt64)
    /// Entry `index` was recorded by another node than this log's.
    case foreignEntry(index: UInt64, state: String)
    /// The stored leaf hash of entry `index` is not the hash of its bytes: the bytes (or the hash)
    /// were changed after the entry was written.
    case leafHashMismatch(index: UInt64)
    /// A stored tree head does not decode.
    case malformedTreeHead(row: Int64, reason: String)
    /// A stored tree head's signature does not verify, or it is not signed by this node's key.
    case treeHeadSignatureInvalid(treeSize: UInt64)
    /// A stored tree head covers more entries than the log holds: entries were deleted from its end.
    case treeHeadBeyondLog(treeSize: UInt64, entryCount: UInt64)
    /// The root recomputed from the entries differs from the root a signed tree head of `treeSize`
    /// entries committed to. Heads of smaller sizes still match, so the changed entry is in
    /// `suspects` (exactly one entry when the heads are close enough).
    case treeHeadRootMismatch(treeSize: UInt64, suspects: Range<UInt64>)

    /// What was found and what to do, for an operator.
    public var description: String {
        let advice = "the audit log was altered or damaged after it was written; keep the file as evidence, restore from a backup and tell the secretariat"
        switch self {
        case .unreadable(let reason):
            return "the audit log cannot be read: \(reason)"
        case .missingEntry(let index):
            return "audit entry \(index) is missing: \(advice)"
        case .malformedEntry(let index, let reason):
            return "audit entry \(index) is not a valid entry (\(reason)): \(advice)"
        case .indexMismatch(let index, let recorded):
            return "audit entry \(index) holds the bytes of entry \(recorded): \(advice)"
        case .foreignEntry(let index, let state):
            return "audit entry \(index) was recorded by \(state), not by this node: \(advice)"
        case .leafHashMismatch(let index):
            return "audit entry \(index) was changed (its bytes no longer match its leaf hash): \(advice)"
        case .malformedTreeHead(let row, let reason):
            return "stored tree head \(row) is not a valid signed tree head (\(reason)): \(advice)"
        case .treeHeadSignatureInvalid(let treeSize):
            return "the signature of the tree head for size \(treeSize) does not verify with this node's key: \(advice)"
        case .treeHeadBeyondLog(let treeSize, let entryCount):
            return "a signed tree head covers \(treeSize) entries but the log holds only \(entryCount) (entries were removed from its end): \(advice)"
        case .treeHeadRootMismatch(let treeSize, let suspects):
            // An empty range: an earlier head of the same size matched, so this signed head itself
            // names another tree (the node signed two histories); no entry can be pointed at.
            guard let last = suspects.last else {
                return "the tree head signed for size \(treeSize) has a root the entries do not give, although another head of that size matches them: the node signed two histories: \(advice)"
            }
            let which = suspects.lowerBound == last ? "entry \(last)" : "one of entries \(suspects.lowerBound)…\(last)"
            return "the entries no longer give the root signed for size \(treeSize): \(which) was changed (bytes and leaf hash together): \(advice)"
        }
    }
}
