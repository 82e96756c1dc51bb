import Sodium
import Testing

@testable import Exchange

/// Receipt checks that the round-trip and tampering tests cannot see (found by `make mutate`).
@Suite("Receipts: one encoding, the roster link in its direction")
struct ReceiptStrictnessTests {
    /// Catches mutation `exchange-receipt-accepted-with-reason`: decoding status "accepted" with a
    /// non-zero reason code. A signature covers the bytes, so a flipped reason bit fails there
    /// anyway; here the recipient itself signed the odd encoding, and decoding must refuse it.
    @Test("status 'accepted' with a non-zero reason code does not decode, even when signed")
    func acceptedWithReason() throws {
        let receipt = Receipt(for: try ReceiptTests.envelope(), receivedAt: Fixtures.now, status: .accepted)
        var bytes = receipt.canonicalBytes
        bytes[Receipt.byteCount - 1] = 1  // reason 1 with status 0
        #expect(throws: ReceiptError.self) { try Receipt(canonicalBytes: bytes) }
        let signature = Fixtures.dz.signingKey.signature(for: bytes)
        #expect(throws: ReceiptError.self) { try SignedReceipt(serializedBytes: bytes + signature) }
        bytes[Receipt.byteCount - 1] = 0
        #expect(try Receipt(canonicalBytes: bytes) == receipt)
    }

    /// Catches mutation `exchange-receipt-link-swapped`: `SignedReceipt.verify` looking up the link
    /// of an acceptance the wrong way round. MA→ES is in the roster and ES→MA is not: ES's
    /// acceptance for MA→ES verifies, MA's acceptance for ES→MA is `notLinked`.
    @Test("an acceptance verifies for a one-way link in its direction only")
    func oneWayLink() throws {
        let forward = Link(origin: Fixtures.ma.state, recipient: Fixtures.es.state)
        #expect(Fixtures.standardRoster.isLinked(from: forward.origin, to: forward.recipient))
        #expect(!Fixtures.standardRoster.isLinked(from: forward.recipient, to: forward.origin))
        let accepted = try Receipt(link: forward, sequence: 1, envelopeHash: .zero, receivedAt: Fixtures.now, status: .accepted)
            .signed(by: Fixtures.es)
        #expect(try accepted.verify(against: Fixtures.standardRoster).link == forward)
        let backward = Link(origin: Fixtures.es.state, recipient: Fixtures.ma.state)
        let reverse = try Receipt(link: backward, sequence: 1, envelopeHash: .zero, receivedAt: Fixtures.now, status: .accepted)
            .signed(by: Fixtures.ma)
        #expect(throws: ReceiptError.notLinked(backward)) { try reverse.verify(against: Fixtures.standardRoster) }
    }
}
