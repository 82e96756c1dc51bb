import Exchange

/// An envelope this node sealed on a link, as its store holds it: what a receipt must name.
public struct SentEnvelope: Hashable, Sendable {
    /// Its sequence on the link.
    public let sequence: UInt64
    /// Its hash (§7.5).
    public let hash: EnvelopeHash

    /// The envelope `sequence` with `hash`.
    public init(sequence: UInt64, hash: EnvelopeHash) {
        self.sequence = sequence
        self.hash = hash
    }
}
