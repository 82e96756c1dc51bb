import Exchange

/// What the link rules need to know of an envelope: where its origin put it in the link's chain
/// and what it is called. Read from the envelope's signed header, so trusted only once the
/// signature holds (docs/PROTOCOL.md §8: no unsigned claim about the chain moves a position).
public struct EnvelopeFacts: Hashable, Sendable, CustomStringConvertible {
    /// The envelope's sequence on its link (≥ 1 in any envelope that parses).
    public let sequence: UInt64
    /// The hash of the envelope before it on the link, as its origin signed it.
    public let previousHash: EnvelopeHash
    /// The envelope's own hash: SHA-256 of its bytes (§7.5).
    public let hash: EnvelopeHash

    /// Facts given one by one (tests, and peers that keep only these).
    public init(sequence: UInt64, previousHash: EnvelopeHash, hash: EnvelopeHash) {
        self.sequence = sequence
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The facts of a parsed envelope.
    public init(_ envelope: Envelope) {
        self.init(sequence: envelope.header.sequence, previousHash: envelope.header.previousHash, hash: envelope.hash)
    }

    /// The link's position once this envelope is taken.
    public var position: ChainPosition { ChainPosition(sequence: sequence, hash: hash) }

    /// `seq 42 (hash 1a2b3c4d…)`.
    public var description: String { position.description }
}
