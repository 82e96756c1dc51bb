import Sodium

/// An envelope that passed every check except decryption: well-formed, addressed to this node,
/// signed by a linked roster member, next on its link. Only ``EnvelopeOpener/verify(_:after:)``
/// makes one, and only a `VerifiedEnvelope` can be decrypted.
public struct VerifiedEnvelope: Sendable {
    /// The verified envelope.
    public let envelope: Envelope
    private let statistics: OpeningStatistics
    /// The compromise time of the revocation when the envelope is signed by its origin's key
    /// revoked from at or before its created-at (`nil`: a key the roster trusts signed it). Such
    /// an envelope keeps its place in the chain, but ``decrypt(with:cache:)`` refuses it.
    public let revokedSince: Timestamp?
    /// The origin's key that verified the signature (its card's, or one of its key history's):
    /// a recipient keeps which key signed what it accepted, so that when the roster later
    /// revokes that key it flags exactly what the key signed (docs/PROTOCOL.md §6.5).
    public let signingKey: Ed25519.PublicKey

    init(envelope: Envelope, statistics: OpeningStatistics, signingKey: Ed25519.PublicKey, revokedSince: Timestamp? = nil) {
        self.envelope = envelope
        self.statistics = statistics
        self.signingKey = signingKey
        self.revokedSince = revokedSince
    }

    /// The verified header.
    public var header: EnvelopeHeader { envelope.header }

    /// The link position once this envelope is accepted (store it with the envelope).
    public var position: ChainPosition { ChainPosition(after: envelope) }

    /// Decrypts the body with this node's encryption key (the private half of the key the roster
    /// lists for the recipient). Fails if the key is not that one or the ciphertext was sealed
    /// wrongly by the origin. With `cache`, the body key of an ephemeral key seen lately is not
    /// computed again (``OpeningKeyCache``); the outcome is the same.
    /// An envelope signed by a revoked key is refused (``EnvelopeError/revokedKey(link:sequence:since:)``)
    /// without trying.
    public func decrypt(with key: X25519.PrivateKey, cache: OpeningKeyCache? = nil) throws(EnvelopeError) -> OpenedEnvelope {
        let header = envelope.header
        if let revokedSince {
            statistics.recordRejection(.revokedKey)
            throw EnvelopeError.revokedKey(link: header.link, sequence: header.sequence, since: revokedSince)
        }
        statistics.recordDecryptionAttempt()
        let headerBytes = Array(envelope.headerBytes)
        do {
            let bodyKey =
                if let cache {
                    try cache.bodyKey(openingWith: key, from: header.ephemeralKey)
                } else {
                    try BodyKey(openingWith: key, from: header.ephemeralKey)
                }
            let nonce = try BodyCipher.nonce(header: envelope.headerBytes)
            let body = try XChaCha20Poly1305.open(
                Array(envelope.ciphertext), key: bodyKey.secret, nonce: nonce, authenticating: headerBytes)
            statistics.recordDecrypted()
            return OpenedEnvelope(envelope: envelope, body: body)
        } catch {
            statistics.recordRejection(.decryptionFailed)
            throw EnvelopeError.decryptionFailed(link: header.link, sequence: header.sequence)
        }
    }
}
