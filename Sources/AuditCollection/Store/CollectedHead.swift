import Audit
import Exchange

/// A signed tree head the secretariat received from a node, as its store keeps it: never
/// overwritten, never deleted.
public struct CollectedHead: Hashable, Sendable {
    /// How the collector judged the head.
    public enum Status: String, Hashable, Sendable, Codable {
        /// Verified, consistent with the previous accepted head, and its entries are held.
        case accepted
        /// Kept as evidence of a finding (forged, inconsistent or equivocating head).
        case evidence
    }

    /// The row id in `collected.sqlite` (findings refer to it).
    public let id: Int64
    /// The head and the node's signature, as received.
    public let signed: SignedTreeHead
    /// When the secretariat received it (its own clock).
    public let collectedAt: Timestamp
    /// Accepted or evidence.
    public let status: Status

    /// A stored head.
    public init(id: Int64, signed: SignedTreeHead, collectedAt: Timestamp, status: Status) {
        self.id = id
        self.signed = signed
        self.collectedAt = collectedAt
        self.status = status
    }

    /// The head's statement (state, size, time, root).
    public var head: TreeHead { signed.head }
}
