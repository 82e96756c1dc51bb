/// How far a link's chain has got: the sequence number and hash of the last envelope accepted
/// (by a recipient) or sealed (by an origin) on that link. The node stores one per link
/// (docs/PROTOCOL.md §7.5). Named apart from `Store.LinkPosition`, the store's row of the same
/// two values, so that the node can import both targets.
public struct ChainPosition: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The position of a link on which nothing was sent yet: sequence 0, all-zero hash. The first
    /// envelope has sequence 1 and the all-zero previous hash.
    public static let start = ChainPosition(sequence: 0, hash: .zero)

    /// The last sequence number (0 when none).
    public let sequence: UInt64
    /// The hash of that envelope (all zero when none).
    public let hash: EnvelopeHash

    /// The position after the envelope with `sequence` and `hash`.
    public init(sequence: UInt64, hash: EnvelopeHash) {
        self.sequence = sequence
        self.hash = hash
    }

    /// The position right after `envelope`.
    public init(after envelope: Envelope) {
        self.init(sequence: envelope.header.sequence, hash: envelope.hash)
    }

    /// `seq 42 (hash 1a2b3c4d…)`.
    public var description: String { "seq \(sequence) (hash \(hash.description.prefix(16))…)" }
}
