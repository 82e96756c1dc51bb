import Audit
import Exchange

/// What the secretariat holds of one node's log, for reconciliation: the verified entries, and
/// the time of the head that covers them (entries after it cannot be there yet).
public struct NodeLogView: Sendable {
    /// The node's state.
    public let state: StateCode
    /// The verified entries, in index order.
    public let entries: [AuditEntry]
    /// The timestamp of the accepted head covering `entries` (`nil` when nothing was collected).
    public let coveredUntil: Timestamp?

    /// A view.
    public init(state: StateCode, entries: [AuditEntry], coveredUntil: Timestamp?) {
        self.state = state
        self.entries = entries
        self.coveredUntil = coveredUntil
    }
}
