import Exchange
import FuzzSupport
import Sodium

// Envelope opening (docs/PROTOCOL.md §7–§8): `Envelope(bytes:limits:)`, then
// `EnvelopeOpener.verify(_:after:)` as the recipient the header names, then `decrypt(with:)`.
//
// Input: one mode byte, then the envelope bytes.
//   bit 0: replace the last 64 bytes with the header origin's signature (vector keys), so the
//          checks after the signature (sequence, previous hash) and decryption are reached;
//   bit 1: open after the position the header itself claims (sequence − 1, previous hash), so a
//          re-signed envelope also passes the chain check;
//   bit 2: small limits (1 KiB) instead of the standard ones.
// Seeds: every envelope of Tests/Vectors (envelopes.json and rejections/), with modes 0 and 3.

private let vectors = FuzzVectors.shared
private let smallLimits = EnvelopeLimits(maximumBodyByteCount: 512, maximumEnvelopeByteCount: 1_024)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte()
    var bytes = input.rest()
    let limits = mode & 4 != 0 ? smallLimits : .standard

    // Structure alone: must never trap, whatever the bytes. What does not parse is still given
    // to an opener (DZ's), which must refuse it the same way.
    guard let envelope = try? Envelope(bytes: bytes, limits: limits) else {
        if let dz = vectors.nodes["DZ"] {
            _ = try? EnvelopeOpener(recipient: dz.card.state, roster: vectors.roster, limits: limits).verify(
                bytes, after: .start)
        }
        return 0
    }
    let header = envelope.header
    _ = envelope.description
    _ = envelope.bodyByteCount

    if mode & 1 != 0, let origin = vectors.member(header.origin) {
        let signed = Array(bytes.dropLast(Ed25519.signatureByteCount))
        bytes = signed + origin.signingKey.signature(for: signed)
    }
    let position: ChainPosition
    if mode & 2 != 0, header.sequence > 0 {
        position = ChainPosition(
            sequence: header.sequence - 1, hash: header.sequence == 1 ? .zero : header.previousHash)
    } else {
        position = .start
    }
    guard let recipient = vectors.member(header.recipient) else { return 0 }
    let opener = EnvelopeOpener(recipient: recipient.card.state, roster: vectors.roster, limits: limits)
    do {
        let verified = try opener.verify(bytes, after: position)
        _ = verified.position
        let opened = try verified.decrypt(with: recipient.encryptionKey)
        _ = opened.body.count
    } catch {
        _ = error.reason
        _ = "\(error)"
    }
    return 0
}
