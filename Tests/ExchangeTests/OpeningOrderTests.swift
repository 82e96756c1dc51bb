import Sodium
import Testing

@testable import Exchange

/// Decryption never happens before the signature and roster checks succeed, and the checks run in
/// the documented order (docs/PROTOCOL.md §8).
@Suite("Opening: order of checks, decryption only after verification")
struct OpeningOrderTests {
    static let metadata = EnvelopeTests.metadata

    /// A validly signed envelope whose body is random bytes: it cannot be decrypted by anyone.
    static func undecryptable(
        from origin: NodeIdentity = Fixtures.ma, recipient: StateCode = Fixtures.dz.state, sequence: UInt64 = 1,
        previousHash: EnvelopeHash = .zero, signer: NodeIdentity? = nil
    ) -> [UInt8] {
        let header = EnvelopeHeader(
            origin: origin.state, recipient: recipient, sequence: sequence, previousHash: previousHash,
            metadata: metadata, ephemeralKey: X25519.PrivateKey().publicKey)
        return Envelope.assemble(
            headerBytes: header.canonicalBytes, ciphertext: SecureRandom.bytes(count: 80),
            signingKey: (signer ?? origin).signingKey)
    }

    @Test("verification does not decrypt: a signed envelope with an undecryptable body verifies, then fails to decrypt")
    func verifyDoesNotDecrypt() throws {
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.standardRoster)
        let verified = try opener.verify(Self.undecryptable(), after: .start)
        #expect(opener.statistics.counts.decryptionAttempts == 0)
        #expect(opener.statistics.counts.verified == 1)
        #expect(throws: EnvelopeError.decryptionFailed(link: verified.header.link, sequence: 1)) {
            try verified.decrypt(with: Fixtures.dz.encryptionKey)
        }
        let counts = opener.statistics.counts
        #expect(counts.decryptionAttempts == 1)
        #expect(counts.rejected[.decryptionFailed] == 1)
    }

    @Test("no check failure before decryption ever reaches the decryption")
    func rejectedEnvelopesAreNeverDecrypted() throws {
        let dz = Fixtures.dz.state
        let previous = EnvelopeHash(checked: SHA256.hash([1, 2, 3]))
        let after1 = ChainPosition(sequence: 1, hash: previous)
        var forgedSignature = Self.undecryptable()
        forgedSignature[forgedSignature.count - 1] ^= 1
        let cases: [(bytes: [UInt8], position: ChainPosition, reason: RejectionReason)] = [
            (forgedSignature, .start, .badSignature),
            (Self.undecryptable(signer: Fixtures.impostor), .start, .badSignature),
            (Self.undecryptable(recipient: Fixtures.tn.state), .start, .wrongRecipient),
            (Self.undecryptable(from: Fixtures.ly), .start, .unknownOrigin),
            (Self.undecryptable(from: Fixtures.tn, recipient: Fixtures.ma.state), .start, .wrongRecipient),
            (Self.undecryptable(from: Fixtures.es), .start, .notLinked),
            (Self.undecryptable(sequence: 1), after1, .duplicate),
            (Self.undecryptable(sequence: 5, previousHash: previous), after1, .gap),
            (Self.undecryptable(sequence: 2, previousHash: .zero), after1, .chainBroken),
            (Self.undecryptable(sequence: 1, previousHash: previous), .start, .chainBroken),
        ]
        let opener = EnvelopeOpener(recipient: dz, roster: Fixtures.standardRoster)
        for (index, item) in cases.enumerated() {
            #expect(throws: EnvelopeError.self, "case \(index)") {
                try opener.open(item.bytes, after: item.position, decryptingWith: Fixtures.dz.encryptionKey)
            }
            do {
                _ = try opener.verify(item.bytes, after: item.position)
            } catch {
                #expect(error.reason == item.reason, "case \(index): \(error)")
            }
        }
        let counts = opener.statistics.counts
        #expect(counts.decryptionAttempts == 0)
        #expect(counts.verified == 0)
        #expect(counts.rejected.values.reduce(0, +) == cases.count * 2)
    }

    @Test("when several checks would fail, the first in the documented order is reported")
    func firstFailureWins() throws {
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.standardRoster)
        func reason(_ bytes: [UInt8], _ position: ChainPosition = .start) -> RejectionReason? {
            do {
                _ = try opener.verify(bytes, after: position)
                return nil
            } catch {
                return error.reason
            }
        }
        // Oversized beats everything (even version 9).
        #expect(reason([9] + [UInt8](repeating: 0, count: 100 * 1024)) == .oversized)
        // Too short beats a bad version.
        #expect(reason([9, 0, 0]) == .truncated)
        // A bad version beats a bad signature.
        var badVersion = Self.undecryptable(signer: Fixtures.impostor)
        badVersion[0] = 2
        #expect(reason(badVersion) == .unsupportedVersion)
        // Wrong recipient beats unknown origin and bad signature.
        #expect(reason(Self.undecryptable(from: Fixtures.ly, recipient: Fixtures.tn.state)) == .wrongRecipient)
        // Unknown origin beats a gap.
        #expect(reason(Self.undecryptable(from: Fixtures.ly, sequence: 9)) == .unknownOrigin)
        // A bad signature beats a gap and a broken chain: an unsigned claim about the chain is ignored.
        #expect(reason(Self.undecryptable(sequence: 9, signer: Fixtures.impostor)) == .badSignature)
        // A gap beats a broken previous hash (the hash cannot be checked across a gap).
        #expect(reason(Self.undecryptable(sequence: 3, previousHash: .zero)) == .gap)
    }
}
