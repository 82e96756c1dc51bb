import Sodium

/// A receipt and the recipient's Ed25519 signature over its 60 canonical bytes: 124 bytes on the
/// wire (receipt ‖ signature), sent to the origin's service socket and kept by both sides.
public struct SignedReceipt: Hashable, Sendable {
    /// Bytes of a signed receipt: 60 + 64.
    public static let byteCount = Receipt.byteCount + Ed25519.signatureByteCount

    /// The decoded receipt (not yet verified unless it came from ``verify(against:)``).
    public let receipt: Receipt
    /// The canonical receipt bytes that were signed.
    public let receiptBytes: [UInt8]
    /// The recipient's signature.
    public let signature: [UInt8]

    init(receipt: Receipt, receiptBytes: [UInt8], signature: [UInt8]) {
        self.receipt = receipt
        self.receiptBytes = receiptBytes
        self.signature = signature
    }

    /// Decodes the 124 wire bytes (the signature is checked by ``verify(against:)``).
    public init(serializedBytes: [UInt8]) throws(ReceiptError) {
        guard serializedBytes.count == SignedReceipt.byteCount else {
            throw ReceiptError.malformed(
                serializedBytes.count < SignedReceipt.byteCount
                    ? .truncated(field: "signed receipt", needed: SignedReceipt.byteCount, remaining: serializedBytes.count)
                    : .trailingBytes(what: "signed receipt", count: serializedBytes.count - SignedReceipt.byteCount))
        }
        receiptBytes = Array(serializedBytes[..<Receipt.byteCount])
        signature = Array(serializedBytes[Receipt.byteCount...])
        receipt = try Receipt(canonicalBytes: receiptBytes)
    }

    /// Receipt bytes followed by the signature.
    public var serializedBytes: [UInt8] { receiptBytes + signature }

    /// Checks that the recipient is in `roster`, that an acceptance is for a link the roster has,
    /// and that the signature verifies with the recipient's signing key in force at the receipt's
    /// received-at (``Roster/signingKeys(of:at:)``: a receipt signed before the recipient rotated
    /// its keys still verifies). Returns the receipt.
    public func verify(against roster: Roster) throws(ReceiptError) -> Receipt {
        let link = receipt.link
        guard roster.member(link.recipient) != nil else { throw ReceiptError.unknownRecipient(link.recipient) }
        if receipt.status == .accepted, !roster.isLinked(from: link.origin, to: link.recipient) {
            throw ReceiptError.notLinked(link)
        }
        guard roster.signingKeys(of: link.recipient, at: receipt.receivedAt).contains(where: { $0.isValidSignature(signature, for: receiptBytes) })
        else {
            throw ReceiptError.badSignature(recipient: link.recipient)
        }
        return receipt
    }
}
