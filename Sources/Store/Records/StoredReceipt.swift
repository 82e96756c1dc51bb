import Exchange

/// A signed receipt a recipient returned for the link from this node to it.
public struct StoredReceipt: Sendable, Equatable {
    /// The recipient state that signed it.
    public var recipient: StateCode
    /// The sequence number it acknowledges (with the chain, every envelope up to it).
    public var sequence: UInt64
    /// The hash of the acknowledged envelope, as the recipient computed it.
    public var envelopeHash: EnvelopeHash
    /// Accepted, or the recipient's reason for refusing the envelope.
    public var status: ReceiptStatus
    /// When the recipient stored the envelope (its clock).
    public var receivedAt: Timestamp
    /// The receipt's signed bytes, kept as proof of delivery.
    public var bytes: [UInt8]

    /// A receipt row.
    public init(
        recipient: StateCode, sequence: UInt64, envelopeHash: EnvelopeHash, status: ReceiptStatus, receivedAt: Timestamp, bytes: [UInt8]
    ) {
        self.recipient = recipient
        self.sequence = sequence
        self.envelopeHash = envelopeHash
        self.status = status
        self.receivedAt = receivedAt
        self.bytes = bytes
    }
}
