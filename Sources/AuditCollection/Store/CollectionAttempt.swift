import Exchange

/// One attempt of `audit collect` to read one node, and how it ended.
public struct CollectionAttempt: Hashable, Sendable, Codable {
    /// How an attempt ended.
    public enum Outcome: String, Hashable, Sendable, Codable {
        /// New entries were verified and stored.
        case collected
        /// The node's head is the one already held: nothing new.
        case upToDate
        /// The node did not answer in time.
        case unreachable
        /// The node answered `audit-refused`, or something that is not the protocol.
        case refused
        /// The node's answers did not verify: see the findings.
        case flagged
    }

    /// The node's state.
    public let state: StateCode
    /// When (the secretariat's clock).
    public let at: Timestamp
    /// How it ended.
    public let outcome: Outcome
    /// What happened, for an operator.
    public let detail: String

    /// An attempt.
    public init(state: StateCode, at: Timestamp, outcome: Outcome, detail: String) {
        self.state = state
        self.at = at
        self.outcome = outcome
        self.detail = detail
    }
}
