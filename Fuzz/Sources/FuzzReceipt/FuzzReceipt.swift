import Exchange
import FuzzSupport
import Sodium

// Receipt opening (docs/PROTOCOL.md §11): `SignedReceipt(serializedBytes:)`, `verify(against:)`.
//
// Input: one mode byte, then the 124 wire bytes.
//   bit 0: replace the signature with the receipt recipient's (vector keys), so the roster checks
//          and the accepted path are reached.
// Invariant: a receipt that decodes re-encodes to the same 60 bytes (canonical encoding).
// Seeds: receipts.json (receipts and rejections), modes 0 and 1.

private let vectors = FuzzVectors.shared

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReceipt(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte()
    var bytes = input.rest()

    _ = try? Receipt(canonicalBytes: bytes)
    guard var signed = try? SignedReceipt(serializedBytes: bytes) else { return 0 }
    fuzzRequire(
        signed.receipt.canonicalBytes == signed.receiptBytes, "receipt bytes are not canonical: \(signed.receiptBytes)")
    fuzzRequire(signed.serializedBytes == bytes, "signed receipt does not re-serialize to its input")
    _ = signed.receipt.description

    if mode & 1 != 0, let recipient = vectors.member(signed.receipt.link.recipient) {
        bytes = signed.receiptBytes + recipient.signingKey.signature(for: signed.receiptBytes)
        guard let resigned = try? SignedReceipt(serializedBytes: bytes) else {
            fuzzRequire(false, "a receipt that decoded no longer decodes once re-signed")
            return 0
        }
        signed = resigned
    }
    do {
        let receipt = try signed.verify(against: vectors.roster)
        fuzzRequire(receipt == signed.receipt, "verify returned another receipt")
    } catch {
        _ = "\(error)"
    }
    return 0
}
