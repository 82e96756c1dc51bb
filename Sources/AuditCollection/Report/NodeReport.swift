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
        /// Milliseconds between its timestamp and the report (0 when the timestamp is later).
        public let ageMilliseconds: UInt64

        /// A head as the report shows it.
        public init(treeSize: UInt64, timestamp: UInt64, time: String, rootHash: String, ageMilliseconds: UInt64) {
            self.treeSize = treeSize
            self.timestamp = timestamp
            self.time = time
            self.rootHash = rootHash
            self.ageMilliseconds = ageMilliseconds
        }
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
    /// Findings about the node, by kind (the collection's, and `implausibleValue` for the values
    /// of its log the report found implausible).
    public let findings: [String: Int]

    /// A node's line of the report.
    public init(
        state: StateCode, name: String, role: String, lastHead: Head?, entriesHeld: UInt64, lastAttempt: CollectionAttempt?,
        equivocation: Bool, findings: [String: Int]
    ) {
        self.state = state
        self.name = name
        self.role = role
        self.lastHead = lastHead
        self.entriesHeld = entriesHeld
        self.lastAttempt = lastAttempt
        self.equivocation = equivocation
        self.findings = findings
    }

    /// The same node with `count` more findings of `kind`.
    func adding(_ count: Int, findingsOf kind: String) -> NodeReport {
        guard count > 0 else { return self }
        var findings = self.findings
        findings[kind, default: 0] += count
        return NodeReport(
            state: state, name: name, role: role, lastHead: lastHead, entriesHeld: entriesHeld, lastAttempt: lastAttempt,
            equivocation: equivocation, findings: findings)
    }
}
