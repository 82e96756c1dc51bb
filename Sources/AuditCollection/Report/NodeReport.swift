import Exchange

/// What the report says of one node: its last accepted head and how old it is, how much of its log
/// the secretariat holds, how the last collection went, and whether it is flagged.
public struct NodeReport: Hashable, Sendable, Codable {
    /// The last accepted signed head.
    public struct Head: Hashable, Sendable, Codable {
        /// Entries it covers.
        public let treeSize: UInt64
        /// Its timestamp (the node's clock), ms.
        public let timestamp: UInt64
        /// The same, as text.
        public let time: String
        /// Its root, hex.
        public let rootHash: String
        /// Milliseconds between its timestamp and the report.
        public let ageMilliseconds: UInt64
    }

    /// The node's state.
    public let state: StateCode
    /// Its node name in the roster (empty when the roster no longer lists it).
    public let name: String
    /// `member` or `partner` (or `unknown`).
    public let role: String
    /// The last accepted head, if any was collected.
    public let lastHead: Head?
    /// Entries held (= the last head's size).
    public let entriesHeld: UInt64
    /// How the last collection attempt ended, and when.
    public let lastAttempt: CollectionAttempt?
    /// Whether a finding marks the node for equivocation or inconsistency.
    public let equivocation: Bool
    /// Findings about the node, by kind.
    public let findings: [String: Int]
}
