internal import CSodium

/// Ed25519 signatures (RFC 8032): who wrote a header, a roster or a receipt.
public enum Ed25519 {
    /// Bytes in a public key.
    public static let publicKeyByteCount = 32
    /// Bytes in the seed a private key is derived from.
    public static let seedByteCount = 32
    /// Bytes in a detached signature.
    public static let signatureByteCount = 64

    /// A public verification key. Public keys are plain bytes: printable, comparable, hashable.
    public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
        /// The 32-byte encoding of RFC 8032 §5.1.2.
        public let rawRepresentation: [UInt8]

        /// Wraps a 32-byte public key; any other length is refused.
        public init(rawRepresentation: [UInt8]) throws(SodiumError) {
            try SodiumError.requireLength("Ed25519 public key", rawRepresentation.count, Ed25519.publicKeyByteCount)
            self.rawRepresentation = rawRepresentation
        }

        /// Wraps bytes whose length the caller has checked.
        init(checkedRawRepresentation: [UInt8]) {
            self.rawRepresentation = checkedRawRepresentation
        }

        /// Whether `signature` is this key's signature of `message`. Verification answers; it
        /// does not throw: a signature of the wrong length is simply not valid.
        public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
            guard signature.count == Ed25519.signatureByteCount else { return false }
            SodiumLibrary.ensureInitialized()
            return withBytePointer(signature) { sig, _ in
                withBytePointer(message) { msg, length in
                    withBytePointer(rawRepresentation) { pk, _ in
                        crypto_sign_ed25519_verify_detached(sig, msg, UInt64(length), pk) == 0
                    }
                }
            }
        }

        /// Whether the key is a canonical encoding of a point of the main subgroup, not of small
        /// order (libsodium's `crypto_core_ed25519_is_valid_point`): what a key taken from outside
        /// (a WebAuthn authenticator's) is checked against before it is stored.
        public var isValidPoint: Bool {
            SodiumLibrary.ensureInitialized()
            return withBytePointer(rawRepresentation) { point, _ in crypto_core_ed25519_is_valid_point(point) == 1 }
        }

        /// `Ed25519:` followed by the key in hexadecimal.
        public var description: String { "Ed25519:" + Hex.encode(rawRepresentation) }
    }

    /// A private signing key. It keeps its secret in ``SecretBytes`` and never prints it.
    public struct PrivateKey: Sendable, CustomStringConvertible {
        /// libsodium's 64-byte secret key (seed ‖ public key).
        private let secretKey: SecretBytes
        /// The matching public key.
        public let publicKey: PublicKey

        /// A new random key pair.
        public init() {
            self.init(checkedSeed: SecretBytes.random(count: Ed25519.seedByteCount))
        }

        /// The key pair derived from a 32-byte seed (RFC 8032 §5.1.5). The same seed always gives
        /// the same keys; this is how a key is stored and reloaded.
        public init(seed: SecretBytes) throws(SodiumError) {
            try SodiumError.requireLength("Ed25519 seed", seed.count, Ed25519.seedByteCount)
            self.init(checkedSeed: seed)
        }

        /// Derives the key pair from a seed whose length the caller has checked.
        private init(checkedSeed seed: SecretBytes) {
            var publicBytes = [UInt8](repeating: 0, count: Ed25519.publicKeyByteCount)
            secretKey = SecretBytes(count: Int(crypto_sign_ed25519_SECRETKEYBYTES)) { secret in
                seed.withUnsafeSecret { seedBytes in
                    withMutableBytePointer(&publicBytes) { pk, _ in
                        _ = crypto_sign_ed25519_seed_keypair(pk, secret, seedBytes)
                    }
                }
            }
            publicKey = PublicKey(checkedRawRepresentation: publicBytes)
        }

        /// The 32-byte seed this key was derived from, for storing the key.
        public var seed: SecretBytes {
            SecretBytes(count: Ed25519.seedByteCount) { out in
                secretKey.withUnsafeSecret { secret in
                    _ = crypto_sign_ed25519_sk_to_seed(out, secret)
                }
            }
        }

        /// The detached 64-byte signature of `message`. Ed25519 is deterministic: the same key and
        /// message always give the same signature.
        public func signature(for message: [UInt8]) -> [UInt8] {
            var signature = [UInt8](repeating: 0, count: Ed25519.signatureByteCount)
            withMutableBytePointer(&signature) { sig, _ in
                withBytePointer(message) { msg, length in
                    secretKey.withUnsafeSecret { secret in
                        _ = crypto_sign_ed25519_detached(sig, nil, msg, UInt64(length), secret)
                    }
                }
            }
            return signature
        }

        /// Names the public half only.
        public var description: String { "Ed25519.PrivateKey(public: \(publicKey))" }
    }
}
