/// A message from a peer that this node refused, counted per peer and reason.
///
/// Kept as the labels `status` and the metrics count under (a peer that could not be
/// authenticated is `?`), not as typed values: the rows are only ever counted.
public struct Rejection: Sendable, Equatable {
    /// The peer it came from (its authenticated state code, or `?` if none).
    public var peer: String
    /// The sequence number it claimed, when it could be read.
    public var sequence: UInt64?
    /// The protocol's reason (`badSignature`, `wrongRecipient`, …).
    public var reason: String
    /// When it was refused, in Unix milliseconds.
    public var at: Int64

    /// A rejection row.
    public init(peer: String, sequence: UInt64?, reason: String, at: Int64) {
        self.peer = peer
        self.sequence = sequence
        self.reason = reason
        self.at = at
    }
}
