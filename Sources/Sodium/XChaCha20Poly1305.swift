internal import CSodium

/// XChaCha20-Poly1305-IETF authenticated encryption with associated data: how an envelope's body
/// is sealed, with its header bound as associated data.
public enum XChaCha20Poly1305 {
    /// Bytes in a key.
    public static let keyByteCount = 32
    /// Bytes in a nonce (192 bits: random nonces are safe).
    public static let nonceByteCount = 24
    /// Bytes in the Poly1305 tag appended to every ciphertext.
    public static let tagByteCount = 16

    /// Encrypts `plaintext` and authenticates it together with `associatedData`. Returns the
    /// ciphertext followed by its 16-byte tag.
    public static func seal(
        _ plaintext: [UInt8], key: SecretBytes, nonce: [UInt8], authenticating associatedData: [UInt8] = []
    ) throws(SodiumError) -> [UInt8] {
        try SodiumError.requireLength("XChaCha20-Poly1305 key", key.count, keyByteCount)
        try SodiumError.requireLength("XChaCha20-Poly1305 nonce", nonce.count, nonceByteCount)
        SodiumLibrary.ensureInitialized()
        var output = [UInt8](repeating: 0, count: plaintext.count + tagByteCount)
        var outputLength: UInt64 = 0
        withMutableBytePointer(&output) { out, _ in
            withBytePointer(plaintext) { message, messageLength in
                withBytePointer(associatedData) { ad, adLength in
                    withBytePointer(nonce) { npub, _ in
                        key.withUnsafeSecret { k in
                            _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                                out, &outputLength, message, UInt64(messageLength),
                                ad, UInt64(adLength), nil, npub, k)
                        }
                    }
                }
            }
        }
        return output
    }

    /// Checks the tag over `ciphertextAndTag` and `associatedData` and returns the plaintext.
    /// Throws ``SodiumError/authenticationFailed`` if anything was altered; no plaintext is
    /// released in that case.
    public static func open(
        _ ciphertextAndTag: [UInt8], key: SecretBytes, nonce: [UInt8], authenticating associatedData: [UInt8] = []
    ) throws(SodiumError) -> [UInt8] {
        try SodiumError.requireLength("XChaCha20-Poly1305 key", key.count, keyByteCount)
        try SodiumError.requireLength("XChaCha20-Poly1305 nonce", nonce.count, nonceByteCount)
        guard ciphertextAndTag.count >= tagByteCount else { throw SodiumError.authenticationFailed }
        SodiumLibrary.ensureInitialized()
        var output = [UInt8](repeating: 0, count: ciphertextAndTag.count - tagByteCount)
        var outputLength: UInt64 = 0
        let status = withMutableBytePointer(&output) { out, _ in
            withBytePointer(ciphertextAndTag) { sealed, sealedLength in
                withBytePointer(associatedData) { ad, adLength in
                    withBytePointer(nonce) { npub, _ in
                        key.withUnsafeSecret { k in
                            crypto_aead_xchacha20poly1305_ietf_decrypt(
                                out, &outputLength, nil, sealed, UInt64(sealedLength),
                                ad, UInt64(adLength), npub, k)
                        }
                    }
                }
            }
        }
        guard status == 0 else { throw SodiumError.authenticationFailed }
        return output
    }
}
