import Exchange
import Store

/// An audit log operation that failed, with what the operator can do about it.
public enum AuditLogError: Error, CustomStringConvertible {
    /// The log's SQLite file could not be opened (or was written by a newer BorderNet), read or
    /// written, or holds a value that does not convert; the ``StoreError`` keeps the cause.
    case storage(StoreError)
    /// An event breaks the encoding rules (e.g. an empty incident type); nothing of its batch was written.
    case invalidEvent(position: Int, FormatError)
    /// A stored entry does not decode (the file was edited or damaged); `audit verify` says more.
    case corruptEntry(index: UInt64, reason: String)
    /// A proof was asked for sizes or an index the log does not have, or one of an earlier size
    /// needed stored leaf hashes that could not be read or no longer match the tree.
    case proof(MerkleProofError)
    /// The identity asked to sign a tree head is not this log's node.
    case wrongIdentity(log: StateCode, identity: StateCode)

    /// What went wrong and what to do, for an operator.
    public var description: String {
        switch self {
        case .storage(let error):
            "\(error)"
        case .invalidEvent(let position, let error):
            "event \(position) of the batch cannot be audited (\(error)); nothing of the batch was written"
        case .corruptEntry(let index, let reason):
            "audit entry \(index) is unreadable (\(reason)); run `bordernet audit verify` and restore the log from a backup"
        case .proof(let error):
            "no proof: \(error)"
        case .wrongIdentity(let log, let identity):
            "the audit log is \(log)'s but the identity asked to sign its tree head is \(identity)'s"
        }
    }
}
