import Sodium

/// The key that encrypts bodies between one ephemeral key `E` and one recipient encryption key
/// (docs/PROTOCOL.md §7.3): `BLAKE2b-256(X25519(e, R) ‖ E ‖ R)`. Computing it costs a scalar
/// multiplication; everything else in sealing or opening a body is a hash and the AEAD. An origin
/// that keeps one ephemeral key for a while (``SealingKeySchedule``) and a recipient that
/// remembers the keys it computed (``OpeningKeyCache``) compute it once per ephemeral key and
/// recipient instead of once per envelope. The nonce still comes from each envelope's header, so
/// no two envelopes under one body key share a nonce.
public struct BodyKey: Sendable {
    /// `E`: the ephemeral public key the envelope's header carries.
    public let ephemeralKey: X25519.PublicKey
    /// `R`: the recipient's encryption key, as the roster lists it.
    public let recipientKey: X25519.PublicKey
    /// The 32-byte key.
    let secret: SecretBytes

    /// The origin's side: the body key of `ephemeral` for `recipientKey`. Throws
    /// ``SodiumError/weakPublicKey`` for a low-order recipient key.
    public init(sealingWith ephemeral: X25519.PrivateKey, for recipientKey: X25519.PublicKey) throws(SodiumError) {
        let shared = try ephemeral.sharedSecret(with: recipientKey)
        try self.init(shared: shared, ephemeralKey: ephemeral.publicKey, recipientKey: recipientKey)
    }

    /// The recipient's side: the body key of the ephemeral key `ephemeralKey` for the holder of
    /// `own`. Throws ``SodiumError/weakPublicKey`` for a low-order ephemeral key.
    public init(openingWith own: X25519.PrivateKey, from ephemeralKey: X25519.PublicKey) throws(SodiumError) {
        let shared = try own.sharedSecret(with: ephemeralKey)
        try self.init(shared: shared, ephemeralKey: ephemeralKey, recipientKey: own.publicKey)
    }

    private init(shared: SecretBytes, ephemeralKey: X25519.PublicKey, recipientKey: X25519.PublicKey)
        throws(SodiumError)
    {
        self.ephemeralKey = ephemeralKey
        self.recipientKey = recipientKey
        secret = try BodyCipher.key(sharedSecret: shared, ephemeralKey: ephemeralKey, recipientKey: recipientKey)
    }
}
