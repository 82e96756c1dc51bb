import Exchange

/// An envelope this node accepted from an origin state.
public struct IncomingEnvelope: Sendable, Equatable {
    /// The origin state.
    public var origin: StateCode
    /// Its sequence number on the link from `origin` to this node.
    public var sequence: UInt64
    /// The bulletin it carried (as its header named it, also when its content was refused).
    public var bulletin: BulletinReference
    /// The envelope's hash.
    public var hash: EnvelopeHash
    /// When this node stored it.
    public var receivedAt: Timestamp
    /// Accepted, or the protocol's reason for refusing its content. An envelope that was genuine
    /// and in order but whose content was refused still takes its place in the link's chain, so
    /// that the link goes on.
    public var status: ReceiptStatus
    /// The fingerprint (``SigningKeyFingerprint``) of the origin's key that verified it; `nil`
    /// for envelopes accepted before BorderNet kept it (store v4).
    public var signer: UInt64?

    /// An incoming envelope row.
    public init(
        origin: StateCode, sequence: UInt64, bulletin: BulletinReference, hash: EnvelopeHash, receivedAt: Timestamp,
        status: ReceiptStatus = .accepted, signer: UInt64? = nil
    ) {
        self.signer = signer
        self.origin = origin
        self.sequence = sequence
        self.bulletin = bulletin
        self.hash = hash
        self.receivedAt = receivedAt
        self.status = status
    }

    /// The link's position after this envelope.
    public var position: ChainPosition { ChainPosition(sequence: sequence, hash: hash) }
}
