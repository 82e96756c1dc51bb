import Sodium
import Synchronization
import Testing

@testable import Exchange

@Suite("One ephemeral key for many envelopes: the sealing schedule and the opening cache")
struct EphemeralKeyReuseTests {
    static let metadata = EnvelopeTests.metadata

    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let now = Mutex(Fixtures.now.millisecondsSinceEpoch)
        func read() -> Timestamp { Timestamp(millisecondsSinceEpoch: now.withLock { $0 }) }
        func advance(_ milliseconds: UInt64) { now.withLock { $0 += milliseconds } }
        func rewind(_ milliseconds: UInt64) { now.withLock { $0 -= milliseconds } }
    }

    @Test("the schedule keeps one ephemeral key until it has sealed its envelopes, then makes a fresh one")
    func rotatesByCount() throws {
        let schedule = SealingKeySchedule(maximumEnvelopes: 3, maximumAgeMilliseconds: 60_000)
        let keys = try (1...7).map { _ in
            try schedule.nextBodyKey(for: Fixtures.dz.card.encryptionKey, recipient: Fixtures.dz.state)
        }
        let ephemeral = keys.map(\.ephemeralKey)
        #expect(ephemeral[0] == ephemeral[1] && ephemeral[1] == ephemeral[2])
        #expect(ephemeral[3] != ephemeral[2] && ephemeral[3] == ephemeral[5])
        #expect(ephemeral[6] != ephemeral[5] && ephemeral[6] != ephemeral[2])
        #expect(schedule.keysMade == 3)
    }

    @Test("the schedule makes a fresh key when the current one is too old, and when the clock goes back")
    func rotatesByAge() throws {
        let clock = ManualClock()
        let schedule = SealingKeySchedule(maximumEnvelopes: 1_000, maximumAgeMilliseconds: 60_000, clock: clock.read)
        func next() throws -> X25519.PublicKey {
            try schedule.nextBodyKey(for: Fixtures.dz.card.encryptionKey, recipient: Fixtures.dz.state).ephemeralKey
        }
        let first = try next()
        clock.advance(59_999)
        #expect(try next() == first)
        clock.advance(1)
        let second = try next()
        #expect(second != first)
        // A clock set back (an NTP step) does not stretch a key's life: the key is renewed.
        clock.advance(10)
        #expect(try next() == second)
        clock.rewind(1_000)
        #expect(try next() != second)
        #expect(schedule.keysMade == 3)
    }

    @Test("an idle schedule drops its key once it is too old: no secret outlives its age for want of a post")
    func retiresWhenIdle() throws {
        let clock = ManualClock()
        let schedule = SealingKeySchedule(maximumEnvelopes: 1_000, maximumAgeMilliseconds: 60_000, clock: clock.read)
        #expect(!schedule.holdsKey && schedule.keysMade == 0, "no key before the first envelope")
        let first = try schedule.nextBodyKey(for: Fixtures.dz.card.encryptionKey, recipient: Fixtures.dz.state)
            .ephemeralKey
        clock.advance(59_999)
        schedule.retireExpired()
        #expect(schedule.holdsKey)
        clock.advance(1)
        schedule.retireExpired()
        #expect(!schedule.holdsKey)
        let next = try schedule.nextBodyKey(for: Fixtures.dz.card.encryptionKey, recipient: Fixtures.dz.state)
            .ephemeralKey
        #expect(next != first && schedule.keysMade == 2)
    }

    @Test("one ephemeral key serves every recipient with a body key of its own; a low-order recipient key is refused")
    func perRecipient() throws {
        let schedule = SealingKeySchedule()
        let toAlgeria = try schedule.nextBodyKey(for: Fixtures.dz.card.encryptionKey, recipient: Fixtures.dz.state)
        let toTunisia = try schedule.nextBodyKey(for: Fixtures.tn.card.encryptionKey, recipient: Fixtures.tn.state)
        #expect(toAlgeria.ephemeralKey == toTunisia.ephemeralKey)
        #expect(!toAlgeria.secret.constantTimeEquals(toTunisia.secret))
        let zero = try X25519.PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32))
        #expect(throws: EnvelopeSealError.weakRecipientKey(Fixtures.dz.state)) {
            try schedule.nextBodyKey(for: zero, recipient: Fixtures.dz.state)
        }
    }

    @Test(
        "envelopes sealed under one scheduled key are a valid chain that a plain opener and a caching opener both open, each with its own nonce"
    )
    func chainUnderOneKey() throws {
        let schedule = SealingKeySchedule()
        let cache = OpeningKeyCache()
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.standardRoster)
        var sent = ChainPosition.start
        var received = ChainPosition.start
        var nonces: Set<[UInt8]> = []
        for number in 1...20 {
            let body = Fixtures.body(number, summary: "bulletin \(number)")
            let envelope = try Envelope.seal(
                body, metadata: Self.metadata, from: Fixtures.ma,
                to: EnvelopeRecipient(card: Fixtures.dz.card, position: sent),
                bodyKey: schedule.nextBodyKey(for: Fixtures.dz.card.encryptionKey, recipient: Fixtures.dz.state))
            sent = ChainPosition(after: envelope)
            nonces.insert(try BodyCipher.nonce(header: envelope.headerBytes))
            let verified = try opener.verify(envelope.bytes, after: received)
            let plain = try verified.decrypt(with: Fixtures.dz.encryptionKey)
            let cached = try verified.decrypt(with: Fixtures.dz.encryptionKey, cache: cache)
            #expect(plain.body == body && cached.body == body)
            received = plain.position
        }
        #expect(nonces.count == 20)
        #expect(schedule.keysMade == 1)
        #expect(cache.counts.misses == 1 && cache.counts.hits == 19)
    }

    @Test(
        "sealing with a prepared body key gives the same bytes as sealing with its ephemeral key; a key for another recipient is refused"
    )
    func sameBytes() throws {
        let ephemeral = X25519.PrivateKey()
        let body = Fixtures.body(1, summary: "same bytes")
        let recipient = EnvelopeRecipient(card: Fixtures.dz.card, position: .start)
        let direct = try Envelope.seal(
            body, metadata: Self.metadata, from: Fixtures.ma, to: recipient, ephemeralKey: ephemeral)
        let prepared = try Envelope.seal(
            body, metadata: Self.metadata, from: Fixtures.ma, to: recipient,
            bodyKey: BodyKey(sealingWith: ephemeral, for: Fixtures.dz.card.encryptionKey))
        #expect(direct.bytes == prepared.bytes)
        #expect(throws: EnvelopeSealError.bodyKeyForAnotherRecipient(Fixtures.dz.state)) {
            try Envelope.seal(
                body, metadata: Self.metadata, from: Fixtures.ma, to: recipient,
                bodyKey: BodyKey(sealingWith: ephemeral, for: Fixtures.tn.card.encryptionKey))
        }
    }

    @Test(
        "the opening cache is bounded, forgets the least recently used key, and never remembers a key for another recipient key or a low-order one"
    )
    func cacheBounds() throws {
        let cache = OpeningKeyCache(capacity: 2)
        let keys = (0..<3).map { _ in X25519.PrivateKey().publicKey }
        let own = Fixtures.dz.encryptionKey
        _ = try cache.bodyKey(openingWith: own, from: keys[0])
        _ = try cache.bodyKey(openingWith: own, from: keys[1])
        _ = try cache.bodyKey(openingWith: own, from: keys[0])  // 0 used last: 1 is the oldest
        _ = try cache.bodyKey(openingWith: own, from: keys[2])  // forgets 1
        #expect(cache.counts.hits == 1 && cache.counts.misses == 3)
        _ = try cache.bodyKey(openingWith: own, from: keys[0])
        #expect(cache.counts.hits == 2)
        _ = try cache.bodyKey(openingWith: own, from: keys[1])
        #expect(cache.counts.misses == 4, "key 1 was forgotten")
        // Another own key (a rotated encryption key) never gets the key computed for the first.
        let other = Fixtures.tn.encryptionKey
        let forOther = try cache.bodyKey(openingWith: other, from: keys[1])
        #expect(forOther.recipientKey == other.publicKey)
        #expect(cache.counts.misses == 5)
        let zero = try X25519.PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32))
        #expect(throws: SodiumError.self) { try cache.bodyKey(openingWith: own, from: zero) }
        #expect(throws: SodiumError.self) { try cache.bodyKey(openingWith: own, from: zero) }
        #expect(cache.counts.misses == 5, "a low-order key is never remembered")
    }

    @Test("an envelope that does not open without the cache does not open with it")
    func cacheChangesNoOutcome() throws {
        let cache = OpeningKeyCache()
        let schedule = SealingKeySchedule()
        let opener = EnvelopeOpener(recipient: Fixtures.dz.state, roster: Fixtures.standardRoster)
        let envelope = try Envelope.seal(
            Fixtures.body(1, summary: "x"), metadata: Self.metadata, from: Fixtures.ma,
            to: EnvelopeRecipient(card: Fixtures.dz.card, position: .start),
            bodyKey: schedule.nextBodyKey(for: Fixtures.dz.card.encryptionKey, recipient: Fixtures.dz.state))
        let verified = try opener.verify(envelope.bytes, after: .start)
        _ = try verified.decrypt(with: Fixtures.dz.encryptionKey, cache: cache)
        // The wrong private key: refused, with the cache warm for the right one.
        #expect(throws: EnvelopeError.self) { try verified.decrypt(with: Fixtures.tn.encryptionKey, cache: cache) }
    }
}
