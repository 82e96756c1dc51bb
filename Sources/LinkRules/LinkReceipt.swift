import Exchange

/// A receipt the link rules ask the engine to sign and send to the link's origin: which envelope
/// it names and what this node did with it (docs/PROTOCOL.md §11.1). The engine adds the link,
/// the received-at time and the signature.
public struct LinkReceipt: Hashable, Sendable, CustomStringConvertible {
    /// The sequence of the envelope named.
    public let sequence: UInt64
    /// The hash of the envelope named: for a conflict, the conflicting envelope's, not the stored one's.
    public let envelopeHash: EnvelopeHash
    /// `accepted`, or `rejected` with the reason this node gave that envelope.
    public let status: ReceiptStatus

    /// A receipt for the envelope `sequence` with `envelopeHash`.
    public init(sequence: UInt64, envelopeHash: EnvelopeHash, status: ReceiptStatus) {
        self.sequence = sequence
        self.envelopeHash = envelopeHash
        self.status = status
    }

    /// A receipt for the envelope with `facts`.
    public init(for facts: EnvelopeFacts, status: ReceiptStatus) {
        self.init(sequence: facts.sequence, envelopeHash: facts.hash, status: status)
    }

    /// `seq 3 accepted`.
    public var description: String { "seq \(sequence) \(status)" }
}
