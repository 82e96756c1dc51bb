import Sodium
import Testing

@testable import Exchange

@Suite("Receipts: signing, verification, tampering")
struct ReceiptTests {
    static func envelope() throws -> Envelope { try EnvelopeTests.seal(Array("receipt me".utf8)) }

    @Test("a signed receipt round-trips and verifies against the roster")
    func signAndVerify() throws {
        let envelope = try Self.envelope()
        for status in [ReceiptStatus.accepted, .rejected(.badSignature), .rejected(RejectionReason(rawValue: 517)!)] {
            let receipt = Receipt(for: envelope, receivedAt: Fixtures.now, status: status)
            #expect(receipt.canonicalBytes.count == Receipt.byteCount)
            let signed = try receipt.signed(by: Fixtures.dz)
            #expect(signed.serializedBytes.count == 124)
            let decoded = try SignedReceipt(serializedBytes: signed.serializedBytes)
            #expect(decoded == signed)
            #expect(try decoded.verify(against: Fixtures.standardRoster) == receipt)
        }
    }

    @Test("one flipped bit anywhere in a signed receipt makes it fail")
    func tampering() throws {
        let signed = try Receipt(for: Self.envelope(), receivedAt: Fixtures.now, status: .accepted).signed(by: Fixtures.dz)
        let bytes = signed.serializedBytes
        for bit in 0..<(bytes.count * 8) {
            var damaged = bytes
            damaged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            #expect(throws: ReceiptError.self, "bit \(bit)") {
                try SignedReceipt(serializedBytes: damaged).verify(against: Fixtures.standardRoster)
            }
        }
    }

    @Test("only the recipient can sign, and only the recipient's roster key verifies")
    func signer() throws {
        let receipt = Receipt(for: try Self.envelope(), receivedAt: Fixtures.now, status: .accepted)
        #expect(throws: ReceiptError.signerIsNotRecipient(signer: Fixtures.ma.state, recipient: Fixtures.dz.state)) {
            try receipt.signed(by: Fixtures.ma)
        }
        // An impostor holding its own key but claiming DZ's state.
        let impostorDZ = try NodeIdentity(
            state: Fixtures.dz.state, nodeName: "dz-fake", endpoints: Fixtures.dz.card.endpoints)
        let forged = try receipt.signed(by: impostorDZ)
        #expect(throws: ReceiptError.badSignature(recipient: Fixtures.dz.state)) {
            try forged.verify(against: Fixtures.standardRoster)
        }
    }

    @Test("a rejection receipt is verifiable even for a link the roster lacks; an acceptance is not")
    func links() throws {
        let link = Link(origin: Fixtures.ly.state, recipient: Fixtures.dz.state)
        let rejected = try Receipt(
            link: link, sequence: 1, envelopeHash: .zero, receivedAt: Fixtures.now, status: .rejected(.unknownOrigin)
        ).signed(by: Fixtures.dz)
        #expect(try rejected.verify(against: Fixtures.standardRoster).status == .rejected(.unknownOrigin))
        let accepted = try Receipt(link: link, sequence: 1, envelopeHash: .zero, receivedAt: Fixtures.now, status: .accepted)
            .signed(by: Fixtures.dz)
        #expect(throws: ReceiptError.notLinked(link)) { try accepted.verify(against: Fixtures.standardRoster) }
    }

    @Test("an accepted receipt for N names the hash that chains back to 1 (cumulative delivery)")
    func cumulative() throws {
        var position = ChainPosition.start
        var envelopes: [Envelope] = []
        for number in 1...3 {
            let envelope = try EnvelopeTests.seal(Array("bulletin \(number)".utf8), after: position)
            envelopes.append(envelope)
            position = ChainPosition(after: envelope)
        }
        let receipt = try Receipt(for: envelopes[2], receivedAt: Fixtures.now, status: .accepted).signed(by: Fixtures.dz)
        let verified = try receipt.verify(against: Fixtures.standardRoster)
        // Walk the chain back from the acknowledged hash: each header names its predecessor's hash.
        var expected = verified.envelopeHash
        for envelope in envelopes.reversed() {
            #expect(envelope.hash == expected)
            expected = envelope.header.previousHash
        }
        #expect(expected == .zero)
    }
}
