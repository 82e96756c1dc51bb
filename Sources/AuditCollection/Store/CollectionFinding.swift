import Exchange

/// Something the collector found wrong with a node's log: kept in the store with the heads that
/// prove it, shown by `audit report`, and the reason `audit collect` exits 2.
public struct CollectionFinding: Hashable, Sendable, Codable {
    /// What kind of wrong.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Two validly signed heads of one node with the same size and different roots, or an
        /// entry already collected that the node now shows with other bytes, or cannot prove in a
        /// head it signed (the re-check of docs/AUDIT.md §12.2): the node showed two histories (a
        /// fork, a rewritten entry, or its key was misused).
        case equivocation
        /// The node cannot prove that its new head extends the last one the secretariat accepted
        /// (the log shrank, or was rewritten — e.g. truncated and regrown). Treated as equivocation.
        case inconsistent
        /// The head does not verify against the node's roster card (forged or damaged).
        case badHead
        /// The entries the node sent are not those its head commits to (wrong index or state,
        /// undecodable, or a root that differs from the head's).
        case badEntries

        /// Whether the node is flagged for equivocation by this finding (docs/AUDIT.md §8 step 4).
        public var isEquivocation: Bool { self == .equivocation || self == .inconsistent }
    }

    /// The row id.
    public let id: Int64
    /// The node's state.
    public let state: StateCode
    /// What was found.
    public let kind: Kind
    /// What exactly, for an operator.
    public let detail: String
    /// When the collector found it (the secretariat's clock).
    public let foundAt: Timestamp
    /// The head that showed the problem (kept as evidence), and the earlier head it contradicts.
    public let headIDs: [Int64]
    /// The entry the finding is about, when it is about one (a rewritten entry found by the re-check).
    public let entryIndex: UInt64?

    /// A finding.
    public init(id: Int64, state: StateCode, kind: Kind, detail: String, foundAt: Timestamp, headIDs: [Int64], entryIndex: UInt64? = nil) {
        self.id = id
        self.state = state
        self.kind = kind
        self.detail = detail
        self.foundAt = foundAt
        self.headIDs = headIDs
        self.entryIndex = entryIndex
    }
}
