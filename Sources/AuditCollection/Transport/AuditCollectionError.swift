import Exchange
import Store

/// Why the secretariat could not collect from a node, or could not use its own setup. A node that
/// answers but whose answers do not verify is not an error: it is a ``CollectionFinding``.
public enum AuditCollectionError: Error, CustomStringConvertible {
    /// The node did not answer in time: it is down, unreachable, or refused our CURVE key (which
    /// ZeroMQ does silently: check that the node installed a roster listing the secretariat).
    case unreachable(state: StateCode, endpoint: String, milliseconds: Int)
    /// The node answered `audit-refused` with this reason.
    case refused(state: StateCode, reason: String)
    /// The node's answer is not the frames the request calls for.
    case malformedAnswer(state: StateCode, reason: String)
    /// A socket could not be set up (bad endpoint, bad key).
    case transport(state: StateCode, reason: String)
    /// The collection store's file could not be opened (or was written by a newer BorderNet), read
    /// or written, or holds a value that does not convert; the ``StoreError`` keeps the cause.
    case storage(StoreError)
    /// The collection store contradicts itself (entries missing or changed under an accepted head).
    case store(reason: String)
    /// The collected logs hold more entries than a reconciliation in the web console may read;
    /// `audit report` reads them all.
    case tooLargeToReconcile(entries: UInt64, limit: UInt64)

    /// What went wrong and what to do, for an operator.
    public var description: String {
        switch self {
        case .unreachable(let state, let endpoint, let milliseconds):
            "\(state) did not answer at \(endpoint) within \(milliseconds) ms: the node is down or unreachable, or it does not know the secretariat's key (install the newest signed roster on it)"
        case .refused(let state, let reason):
            "\(state) refused the audit request: \(reason)"
        case .malformedAnswer(let state, let reason):
            "\(state) sent an answer that is not the audit protocol's: \(reason)"
        case .transport(let state, let reason):
            "cannot open a connection to \(state): \(reason)"
        case .storage(let error):
            "\(error)"
        case .store(let reason):
            "the collection store failed: \(reason). Check that the secretariat folder is writable and not used by another collect."
        case .tooLargeToReconcile(let entries, let limit):
            "the collected logs hold \(entries) entries, more than the \(limit) a reconciliation here may read: run `bordernet audit report` on the secretariat's server"
        }
    }
}
