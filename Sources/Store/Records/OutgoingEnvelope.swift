import Exchange

/// An envelope this node sealed for one recipient state, kept for (re)publication and replay.
public struct OutgoingEnvelope: Sendable, Equatable {
    /// The recipient state.
    public var recipient: StateCode
    /// Its sequence number on the link from this node to `recipient`.
    public var sequence: UInt64
    /// The bulletin it carries.
    public var bulletin: BulletinReference
    /// The envelope's hash (what the next envelope chains and receipts name).
    public var hash: EnvelopeHash
    /// The complete envelope bytes, as published.
    public var bytes: [UInt8]
    /// When it was sealed.
    public var createdAt: Timestamp

    /// An outgoing envelope row.
    public init(
        recipient: StateCode, sequence: UInt64, bulletin: BulletinReference, hash: EnvelopeHash, bytes: [UInt8], createdAt: Timestamp
    ) {
        self.recipient = recipient
        self.sequence = sequence
        self.bulletin = bulletin
        self.hash = hash
        self.bytes = bytes
        self.createdAt = createdAt
    }

    /// The link's position after this envelope.
    public var position: ChainPosition { ChainPosition(sequence: sequence, hash: hash) }
}
