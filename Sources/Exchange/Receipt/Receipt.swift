/// A recipient's signed statement about one envelope on one link: accepted or rejected (with the
/// reason code), and when (docs/PROTOCOL.md §11).
///
/// Because every envelope's header holds the previous envelope's hash, an `accepted` receipt for
/// sequence N and the hash of envelope N proves delivery of the whole chain 1…N: a node may send
/// one cumulative receipt for a run of envelopes.
///
/// Canonical bytes: tag `BNRC`, format 1, origin, recipient, sequence, envelope hash, received-at,
/// status, reason — 60 bytes.
public struct Receipt: Hashable, Sendable, CustomStringConvertible {
    /// The 4-byte tag that starts the canonical bytes.
    public static let tag: [UInt8] = Array("BNRC".utf8)
    /// The format version written after the tag.
    public static let formatVersion: UInt8 = 1
    /// Bytes in a receipt: 4 + 1 + 2 + 2 + 8 + 32 + 8 + 1 + 2.
    public static let byteCount = 60

    /// The link of the envelope.
    public let link: Link
    /// The envelope's sequence on the link.
    public let sequence: UInt64
    /// The envelope's hash (SHA-256 of its bytes).
    public let envelopeHash: EnvelopeHash
    /// When the recipient accepted or refused it.
    public let receivedAt: Timestamp
    /// Accepted, or rejected with a reason.
    public let status: ReceiptStatus

    /// A receipt with the given fields.
    public init(link: Link, sequence: UInt64, envelopeHash: EnvelopeHash, receivedAt: Timestamp, status: ReceiptStatus) {
        self.link = link
        self.sequence = sequence
        self.envelopeHash = envelopeHash
        self.receivedAt = receivedAt
        self.status = status
    }

    /// The receipt for `envelope` with `status`.
    public init(for envelope: Envelope, receivedAt: Timestamp, status: ReceiptStatus) {
        self.init(
            link: envelope.header.link, sequence: envelope.header.sequence, envelopeHash: envelope.hash,
            receivedAt: receivedAt, status: status)
    }

    /// Decodes the 60 canonical bytes.
    public init(canonicalBytes: [UInt8]) throws(ReceiptError) {
        var reader = ByteReader(canonicalBytes)
        do {
            try reader.readTag(Receipt.tag, version: Receipt.formatVersion, what: "receipt")
            let origin = try StateCode(reading: &reader, field: "receipt origin")
            let recipient = try StateCode(reading: &reader, field: "receipt recipient")
            link = Link(origin: origin, recipient: recipient)
            sequence = try reader.readUInt64(field: "receipt sequence")
            guard sequence != 0 else {
                throw FormatError.invalidField(field: "receipt sequence", reason: "0 is not a sequence number")
            }
            envelopeHash = try EnvelopeHash(reading: &reader, field: "receipt envelope hash")
            receivedAt = Timestamp(millisecondsSinceEpoch: try reader.readUInt64(field: "received-at"))
            let statusCode = try reader.readUInt8(field: "receipt status")
            let reasonCode = try reader.readUInt16(field: "receipt reason")
            switch (statusCode, RejectionReason(rawValue: reasonCode)) {
            case (0, nil): status = .accepted
            case (1, let reason?): status = .rejected(reason)
            default:
                throw FormatError.invalidField(
                    field: "receipt status",
                    reason: "status \(statusCode) with reason \(reasonCode) (accepted is 0/0, rejected is 1 with a non-zero reason)")
            }
            try reader.expectEnd(of: "receipt")
        } catch let error as FormatError {
            throw ReceiptError.malformed(error)
        } catch {
            throw ReceiptError.malformed(.invalidField(field: "receipt", reason: "\(error)"))
        }
    }

    /// The 60 canonical bytes.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter(capacity: Receipt.byteCount)
        writer.write(raw: Receipt.tag)
        writer.write(Receipt.formatVersion)
        link.origin.write(to: &writer)
        link.recipient.write(to: &writer)
        writer.write(sequence)
        writer.write(raw: envelopeHash.bytes)
        writer.write(receivedAt.millisecondsSinceEpoch)
        switch status {
        case .accepted:
            writer.write(UInt8(0))
            writer.write(UInt16(0))
        case .rejected(let reason):
            writer.write(UInt8(1))
            writer.write(reason.rawValue)
        }
        return writer.bytes
    }

    /// Signs the receipt as `recipient`, which must be the node of the receipt's recipient state.
    public func signed(by recipient: NodeIdentity) throws(ReceiptError) -> SignedReceipt {
        guard recipient.state == link.recipient else {
            throw ReceiptError.signerIsNotRecipient(signer: recipient.state, recipient: link.recipient)
        }
        let bytes = canonicalBytes
        return SignedReceipt(receipt: self, receiptBytes: bytes, signature: recipient.signingKey.signature(for: bytes))
    }

    /// `MA→DZ seq 3 accepted at <time> (hash 1a2b…)`.
    public var description: String {
        "\(link) seq \(sequence) \(status) at \(receivedAt) (hash \(envelopeHash.description.prefix(16))…)"
    }
}
