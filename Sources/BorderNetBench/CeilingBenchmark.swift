import BulletinSchema
import Dispatch
import Exchange
import Foundation
import Sodium

/// The limit set by the cryptography: raw libsodium primitives and our `Exchange` seal/open,
/// measured in the same run on every core, so that each ratio compares figures of one machine
/// state.
struct CeilingBenchmark {
    /// Operations per second of each measured operation, on all cores together.
    struct Result: Codable {
        var cores: Int
        var perSecond: [String: Double]
        var microsecondsPerOperation: [String: Double]
    }

    let duration: Double
    /// A bulletin draft and the schemas, to measure validation beside the cryptography.
    let draft: String
    /// The same example with its schema 1.1 observables (persons, documents, places…).
    let draftWithObservables: String
    let schemas: URL

    func run() throws -> Result {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let body = Array(repeating: UInt8(ascii: "x"), count: 1_024)
        let signing = Ed25519.PrivateKey()
        let signature = signing.signature(for: body)
        let agreement = X25519.PrivateKey()
        let peer = X25519.PrivateKey().publicKey
        let key = SecretBytes.random(count: 32)
        let nonce = SecureRandom.bytes(count: 24)

        let endpoints = try NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2")
        let origin = try NodeIdentity(state: StateCode("MA"), nodeName: "ma", endpoints: endpoints)
        let recipient = try NodeIdentity(state: StateCode("DZ"), nodeName: "dz", endpoints: endpoints)
        let roster = try Roster(
            version: 1, issuedAt: .now, expiresAt: Timestamp.now.adding(milliseconds: 86_400_000),
            members: [
                RosterMember(card: origin.card, role: .member), RosterMember(card: recipient.card, role: .member),
            ],
            links: [Link(origin: origin.state, recipient: recipient.state)])
        let metadata = BulletinMetadata(
            bulletinID: BulletinID.generate(), createdAt: .now, tlp: .amber,
            schemaVersion: BodySchemaVersion(major: 1, minor: 0))
        let target = EnvelopeRecipient(card: recipient.card, position: .start)
        let envelope = try Envelope.seal(body, metadata: metadata, from: origin, to: target)
        let opener = EnvelopeOpener(recipient: recipient.state, roster: roster)
        // What a node does for all but one envelope of each ephemeral key (docs/PROTOCOL.md §7.6):
        // seal under a body key computed before, open with the body key remembered.
        let bodyKey = try BodyKey(sealingWith: X25519.PrivateKey(), for: recipient.card.encryptionKey)
        let keyCache = OpeningKeyCache()
        let sharedKeyEnvelope = try Envelope.seal(body, metadata: metadata, from: origin, to: target, bodyKey: bodyKey)

        let catalog = try SchemaCatalog.load(from: schemas)
        let draftBytes = Array(draft.utf8)
        let fullDraftBytes = Array(draftWithObservables.utf8)
        let operations: [(String, @Sendable () -> Void)] = [
            ("bulletin.validate", { _ = try? catalog.validate(draftBytes, stage: .draft) }),
            ("bulletin.validate.observables", { _ = try? catalog.validate(fullDraftBytes, stage: .draft) }),
            ("ed25519.sign", { _ = signing.signature(for: body) }),
            ("ed25519.verify", { _ = signing.publicKey.isValidSignature(signature, for: body) }),
            ("x25519", { _ = try? agreement.sharedSecret(with: peer) }),
            ("xchacha20poly1305.seal.1KiB", { _ = try? XChaCha20Poly1305.seal(body, key: key, nonce: nonce) }),
            ("envelope.seal", { _ = try? Envelope.seal(body, metadata: metadata, from: origin, to: target) }),
            (
                "envelope.open",
                { _ = try? opener.open(envelope.bytes, after: .start, decryptingWith: recipient.encryptionKey) }
            ),
            (
                "envelope.seal.sharedKey",
                { _ = try? Envelope.seal(body, metadata: metadata, from: origin, to: target, bodyKey: bodyKey) }
            ),
            (
                "envelope.open.cachedKey",
                {
                    _ = try? opener.verify(sharedKeyEnvelope.bytes, after: .start).decrypt(
                        with: recipient.encryptionKey, cache: keyCache)
                }
            ),
        ]
        var perSecond: [String: Double] = [:]
        var micros: [String: Double] = [:]
        for (name, operation) in operations {
            let rate = Self.throughput(of: operation, threads: cores, seconds: duration)
            perSecond[name] = rate
            micros[name] = Double(cores) * 1_000_000 / rate
        }
        return Result(cores: cores, perSecond: perSecond, microsecondsPerOperation: micros)
    }

    /// Runs `operation` on `threads` threads for about `seconds` and returns operations/second.
    static func throughput(of operation: @escaping @Sendable () -> Void, threads: Int, seconds: Double) -> Double {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1_000_000_000)
        let countsAddress = Int(bitPattern: counts.baseAddress)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var done = 0
            while DispatchTime.now().uptimeNanoseconds < deadline {
                for _ in 0..<16 { operation() }
                done += 16
            }
            // Each thread writes only its own slot.
            UnsafeMutablePointer<Int>(bitPattern: countsAddress)?.advanced(by: thread).pointee = done
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000_000
        return Double(counts.reduce(0, +)) / elapsed
    }
}
