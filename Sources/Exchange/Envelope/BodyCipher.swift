import Sodium

/// The body encryption of an envelope (docs/PROTOCOL.md §7.3):
///
///     shared = X25519(ephemeral secret, recipient public)   (= X25519(recipient secret, ephemeral public))
///     key    = BLAKE2b-256(shared ‖ ephemeral public ‖ recipient public)     (unkeyed)
///     nonce  = BLAKE2b-192(header)                                           (unkeyed, 24 bytes)
///     sealed = XChaCha20-Poly1305-IETF(key, nonce, plaintext = body, associated data = header)
enum BodyCipher {
    /// The 32-byte body key of one (ephemeral key, recipient key) pair.
    static func key(
        sharedSecret: SecretBytes, ephemeralKey: X25519.PublicKey, recipientKey: X25519.PublicKey
    ) throws(SodiumError) -> SecretBytes {
        let hasher = try BLAKE2b.Hasher(outputByteCount: XChaCha20Poly1305.keyByteCount)
        hasher.update(sharedSecret)
        hasher.update(ephemeralKey.rawRepresentation)
        hasher.update(recipientKey.rawRepresentation)
        return hasher.finalizeSecret()
    }

    /// The nonce of a header: distinct headers give distinct nonces, so even a reused ephemeral
    /// key (same body key) never meets the same nonce twice unless the header is identical.
    static func nonce(header: ArraySlice<UInt8>) throws(SodiumError) -> [UInt8] {
        try BLAKE2b.hash(Array(header), outputByteCount: XChaCha20Poly1305.nonceByteCount)
    }
}
