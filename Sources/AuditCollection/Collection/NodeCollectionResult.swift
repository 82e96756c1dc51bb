import Exchange

/// What one collection did with one node.
public struct NodeCollectionResult: Hashable, Sendable, Codable {
    /// The node's state.
    public let state: StateCode
    /// How it ended.
    public let outcome: CollectionAttempt.Outcome
    /// What happened, for an operator.
    public let detail: String
    /// The size of the node's last accepted head after this collection (0 when none).
    public let treeSize: UInt64
    /// Entries newly verified and stored.
    public let newEntries: UInt64
    /// What was found wrong (empty unless the outcome is `flagged`).
    public let findings: [CollectionFinding]
    /// Entries collected before that were re-checked this time (their bytes now, and their
    /// inclusion proof in the last accepted head) and found unchanged (docs/AUDIT.md §12.2).
    public let rechecked: UInt64

    /// A result.
    public init(
        state: StateCode, outcome: CollectionAttempt.Outcome, detail: String, treeSize: UInt64, newEntries: UInt64,
        findings: [CollectionFinding], rechecked: UInt64 = 0
    ) {
        self.rechecked = rechecked
        self.state = state
        self.outcome = outcome
        self.detail = detail
        self.treeSize = treeSize
        self.newEntries = newEntries
        self.findings = findings
    }
}
