/// A replay request the link rules ask the engine to send to the origin's service:
/// `["replay", after]` (docs/PROTOCOL.md §16.3), audited as `replayRequested` for ``audited``.
public struct ReplayRequest: Hashable, Sendable, CustomStringConvertible {
    /// Why the request is made (for the log).
    public enum Reason: String, Hashable, Sendable {
        /// The node started: it asks for what came after its stored position.
        case start
        /// An envelope came with a sequence beyond the next one.
        case gap
        /// The position is still below what the previous heartbeat announced.
        case heartbeat
        /// The last answer brought envelopes and the origin has more.
        case `continue`
        /// The request in flight went unanswered for the replay timeout.
        case retry
        /// The link's sockets were replaced.
        case reconnected
    }

    /// The last sequence the link holds (exclusive start of the replay).
    public let after: UInt64
    /// The sequences the audit log records as requested: one batch after ``after`` at most,
    /// whatever an unsigned heartbeat announced.
    public let audited: ClosedRange<UInt64>
    /// Why.
    public let reason: Reason

    /// A request for what follows `after`, audited for `audited`.
    public init(after: UInt64, audited: ClosedRange<UInt64>, reason: Reason) {
        self.after = after
        self.audited = audited
        self.reason = reason
    }

    /// `after 5 (heartbeat)`.
    public var description: String { "after \(after) (\(reason.rawValue))" }
}
