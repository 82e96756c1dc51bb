import Sodium
import Testing

@testable import Exchange

/// Random damage to real envelopes: none opens, none crashes.
@Suite("Property: damaged envelopes never open")
struct FuzzTests {
    @Test("10,000 envelopes, each with random bit flips and/or truncation: every one refused, the originals all open")
    func flipsAndTruncations() throws {
        var random = SplitMix64(seed: 0xB0DE_2025)
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.standardRoster)
        var sent = ChainPosition.start
        var received = ChainPosition.start
        var reasons: [RejectionReason: Int] = [:]
        let metadata = EnvelopeTests.metadata
        for _ in 0..<10_000 {
            let body = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let envelope = try Envelope.seal(
                body, metadata: metadata, from: Fixtures.ma, to: EnvelopeRecipient(card: Fixtures.dz.card, position: sent))
            sent = ChainPosition(after: envelope)

            var damaged = envelope.bytes
            let mode = Int.random(in: 0..<3, using: &random)  // 0 flips, 1 truncation, 2 both
            if mode != 1 {
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let bit = Int.random(in: 0..<(damaged.count * 8), using: &random)
                    damaged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
                }
            }
            if mode != 0 {
                damaged = Array(damaged.prefix(Int.random(in: 0..<damaged.count, using: &random)))
            }
            do {
                let opened = try opener.open(damaged, after: received, decryptingWith: Fixtures.dz.encryptionKey)
                Issue.record("a damaged envelope opened: \(opened)")
            } catch {
                reasons[error.reason, default: 0] += 1
            }
            received = try opener.open(envelope.bytes, after: received, decryptingWith: Fixtures.dz.encryptionKey).position
        }
        #expect(received == sent)
        #expect(reasons.values.reduce(0, +) == 10_000)
        #expect(opener.statistics.counts.decrypted == 10_000, "only the undamaged originals were decrypted")
        #expect(reasons[.decryptionFailed] == nil, "no damage got past the signature")
    }

    @Test("random bytes and damaged rosters, cards and receipts are errors, never crashes")
    func decodersNeverCrash() throws {
        var random = SplitMix64(seed: 42)
        let samples: [[UInt8]] = [
            Fixtures.standardRoster.canonicalBytes, Fixtures.ma.card.canonicalBytes,
            try Receipt(
                link: Link(origin: Fixtures.ma.state, recipient: Fixtures.dz.state), sequence: 1, envelopeHash: .zero,
                receivedAt: Fixtures.now, status: .accepted
            ).signed(by: Fixtures.dz).serializedBytes,
        ]
        var decoded = 0
        for round in 0..<3_000 {
            var bytes = samples[round % samples.count]
            switch Int.random(in: 0..<3, using: &random) {
            case 0:
                let bit = Int.random(in: 0..<(bytes.count * 8), using: &random)
                bytes[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            case 1:
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            default:
                bytes = (0..<Int.random(in: 0...400, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            }
            if (try? Roster(canonicalBytes: bytes)) != nil { decoded += 1 }
            if (try? IdentityCard(canonicalBytes: bytes)) != nil { decoded += 1 }
            if (try? SignedReceipt(serializedBytes: bytes).verify(against: Fixtures.standardRoster)) != nil { decoded += 1 }
            _ = try? Envelope(bytes: bytes)
        }
        // Some flips land in free-form fields (a name, a timestamp) and still decode; that is fine:
        // rosters are signed and receipts are verified. What matters is that nothing crashed.
        #expect(decoded < 3_000)
    }

    @Test("every prefix of a roster, card, receipt and envelope is refused")
    func everyPrefix() throws {
        let envelope = try EnvelopeTests.seal(Array("prefix".utf8))
        let receipt = try Receipt(for: envelope, receivedAt: Fixtures.now, status: .accepted).signed(by: Fixtures.dz)
        let roster = Fixtures.standardRoster.canonicalBytes
        for length in 0..<roster.count { #expect(throws: RosterError.self) { try Roster(canonicalBytes: Array(roster.prefix(length))) } }
        let card = Fixtures.ma.card.canonicalBytes
        for length in 0..<card.count { #expect(throws: FormatError.self) { try IdentityCard(canonicalBytes: Array(card.prefix(length))) } }
        let signed = receipt.serializedBytes
        for length in 0..<signed.count { #expect(throws: ReceiptError.self) { try SignedReceipt(serializedBytes: Array(signed.prefix(length))) } }
        for length in 0..<envelope.bytes.count { #expect(throws: EnvelopeError.self) { try Envelope(bytes: Array(envelope.bytes.prefix(length))) } }
    }
}
