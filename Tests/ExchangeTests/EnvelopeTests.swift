import Sodium
import Testing

@testable import Exchange

@Suite("Envelopes: sealing, opening and the link chain")
struct EnvelopeTests {
    static let metadata = BulletinMetadata(
        bulletinID: Fixtures.bulletinID("envelope tests", at: Fixtures.now), createdAt: Fixtures.now, tlp: .amber,
        schemaVersion: BodySchemaVersion(major: 1, minor: 0))

    static func seal(
        _ body: [UInt8], from origin: NodeIdentity = Fixtures.ma, to recipient: NodeIdentity = Fixtures.dz,
        after position: ChainPosition = .start
    ) throws -> Envelope {
        try Envelope.seal(
            body, metadata: metadata, from: origin, to: EnvelopeRecipient(card: recipient.card, position: position))
    }

    @Test("the header is 104 bytes and an envelope adds 188 bytes to its body")
    func sizes() throws {
        #expect(EnvelopeHeader.byteCount == 104)
        #expect(Envelope.overheadByteCount == 188)
        for size in [0, 1, 100, 65_536] {
            let envelope = try Self.seal([UInt8](repeating: 0x41, count: size))
            #expect(envelope.bytes.count == size + 188)
            #expect(envelope.header.canonicalBytes.count == 104)
            #expect(Array(envelope.headerBytes) == envelope.header.canonicalBytes)
            #expect(envelope.bodyByteCount == size)
        }
    }

    @Test("round trip: a chain of envelopes opens in order and yields each body")
    func roundTrip() throws {
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.standardRoster)
        var sent = ChainPosition.start
        var received = ChainPosition.start
        for number in 1...10 {
            let body = Fixtures.body(number, summary: "bulletin \(number) — é, ع, ⵣ")
            let envelope = try Self.seal(body, after: sent)
            #expect(envelope.header.sequence == UInt64(number))
            #expect(envelope.header.previousHash == sent.hash)
            sent = ChainPosition(after: envelope)
            let reparsed = try Envelope(bytes: envelope.bytes)
            #expect(reparsed == envelope)
            let opened = try opener.open(envelope.bytes, after: received, decryptingWith: Fixtures.dz.encryptionKey)
            #expect(opened.body == body)
            #expect(opened.envelope.header.metadata == Self.metadata)
            received = opened.position
        }
        #expect(received == sent)
        let counts = opener.statistics.counts
        #expect(counts.verified == 10 && counts.decrypted == 10 && counts.decryptionAttempts == 10)
    }

    @Test("one bulletin for several recipients: one ephemeral key, distinct keys, nonces and chains")
    func severalRecipients() throws {
        let body = Fixtures.body(1, summary: "for every neighbour")
        let ephemeral = X25519.PrivateKey()
        let envelopes = try Envelope.seal(
            body, metadata: Self.metadata, from: Fixtures.ma,
            to: [
                EnvelopeRecipient(card: Fixtures.dz.card, position: .start),
                EnvelopeRecipient(card: Fixtures.mr.card, position: .start),
            ],
            ephemeralKey: ephemeral)
        #expect(envelopes.count == 2)
        #expect(envelopes.allSatisfy { $0.header.ephemeralKey == ephemeral.publicKey })
        #expect(envelopes[0].ciphertext != envelopes[1].ciphertext)
        for (envelope, node) in zip(envelopes, [Fixtures.dz, Fixtures.mr]) {
            let opener = EnvelopeOpener(recipient: node.state, roster: Fixtures.standardRoster)
            #expect(try opener.open(envelope.bytes, after: .start, decryptingWith: node.encryptionKey).body == body)
        }
        // DZ cannot open MR's envelope even if it pretends to be MR.
        let stolen = EnvelopeOpener(recipient: Fixtures.mr.state, roster: Fixtures.standardRoster)
        #expect(throws: EnvelopeError.decryptionFailed(link: envelopes[1].header.link, sequence: 1)) {
            try stolen.open(envelopes[1].bytes, after: .start, decryptingWith: Fixtures.dz.encryptionKey)
        }
    }

    @Test("a reused ephemeral key on one link still gets a fresh nonce per envelope")
    func reusedEphemeralKey() throws {
        let ephemeral = X25519.PrivateKey()
        let body = [UInt8](repeating: 0, count: 64)
        let first = try Envelope.seal(
            body, metadata: Self.metadata, from: Fixtures.ma,
            to: EnvelopeRecipient(card: Fixtures.dz.card, position: .start), ephemeralKey: ephemeral)
        let second = try Envelope.seal(
            body, metadata: Self.metadata, from: Fixtures.ma,
            to: EnvelopeRecipient(card: Fixtures.dz.card, position: ChainPosition(after: first)), ephemeralKey: ephemeral)
        // Same key, same plaintext, different header → different nonce → unrelated keystreams.
        #expect(try BodyCipher.nonce(header: first.headerBytes) != BodyCipher.nonce(header: second.headerBytes))
        #expect(first.ciphertext != second.ciphertext)
    }

    @Test("sealing refuses a body over 64 KiB, a self-link and an exhausted sequence")
    func sealingErrors() throws {
        #expect(throws: EnvelopeSealError.bodyTooLarge(size: 65_537, limit: 65_536)) {
            try Self.seal([UInt8](repeating: 0, count: 65_537))
        }
        #expect(throws: EnvelopeSealError.recipientIsOrigin(Fixtures.ma.state)) {
            try Self.seal([1], to: Fixtures.ma)
        }
        let link = Link(origin: Fixtures.ma.state, recipient: Fixtures.dz.state)
        #expect(throws: EnvelopeSealError.sequenceExhausted(link)) {
            try Self.seal([1], after: ChainPosition(sequence: .max, hash: .zero))
        }
        // A roster entry with a low-order encryption key (here the zero point) cannot be sealed to.
        let weakCard = try IdentityCard(
            state: Fixtures.dz.state, nodeName: "weak", signingKey: Fixtures.dz.card.signingKey,
            encryptionKey: X25519.PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32)),
            transportKey: Fixtures.dz.card.transportKey, endpoints: Fixtures.dz.card.endpoints)
        #expect(throws: EnvelopeSealError.weakRecipientKey(Fixtures.dz.state)) {
            try Envelope.seal(
                [1], metadata: Self.metadata, from: Fixtures.ma, to: EnvelopeRecipient(card: weakCard, position: .start))
        }
    }

    @Test("a duplicate names its hash, so a re-delivery is told apart from a conflicting envelope")
    func duplicateVersusConflict() throws {
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.standardRoster)
        let original = try Self.seal(Array("original".utf8))
        let conflicting = try Self.seal(Array("a different envelope with the same sequence".utf8))
        let position = try opener.verify(original.bytes, after: .start).position
        for (candidate, same) in [(original, true), (conflicting, false)] {
            do {
                _ = try opener.verify(candidate.bytes, after: position)
                Issue.record("a duplicate verified")
            } catch {
                guard case .duplicate(let link, let sequence, let hash) = error else {
                    Issue.record("expected duplicate, got \(error)")
                    continue
                }
                #expect(link == original.header.link && sequence == 1)
                #expect((hash == position.hash) == same)
            }
        }
    }

    @Test("the opener enforces custom limits before parsing")
    func customLimits() throws {
        let envelope = try Self.seal([UInt8](repeating: 7, count: 300))
        let limits = EnvelopeLimits(maximumBodyByteCount: 256, maximumEnvelopeByteCount: 400)
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.standardRoster, limits: limits)
        #expect(throws: EnvelopeError.oversized(size: 488, limit: 400)) {
            try opener.verify(envelope.bytes, after: .start)
        }
        #expect(throws: EnvelopeSealError.bodyTooLarge(size: 300, limit: 256)) {
            try Envelope.seal(
                [UInt8](repeating: 7, count: 300), metadata: Self.metadata, from: Fixtures.ma,
                to: EnvelopeRecipient(card: Fixtures.dz.card, position: .start), limits: limits)
        }
    }

    @Test("descriptions name metadata, never the body")
    func descriptions() throws {
        let secretText = "informant lives at 12 rue des Oliviers"
        let envelope = try Self.seal(Array(secretText.utf8))
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.standardRoster)
        let opened = try opener.open(envelope.bytes, after: .start, decryptingWith: Fixtures.dz.encryptionKey)
        for text in ["\(envelope)", "\(opened)", "\(envelope.header.link)"] {
            #expect(!text.contains("Oliviers"))
        }
        #expect("\(envelope)".contains("MA→DZ seq 1"))
    }
}
