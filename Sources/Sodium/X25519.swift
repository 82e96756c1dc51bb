internal import CSodium

/// X25519 Diffie-Hellman (RFC 7748): how an envelope's body key is agreed with its recipient.
public enum X25519 {
    /// Bytes in a public key (a Montgomery u-coordinate).
    public static let publicKeyByteCount = 32
    /// Bytes in a private scalar.
    public static let privateKeyByteCount = 32
    /// Bytes in a shared secret.
    public static let sharedSecretByteCount = 32

    /// A public key: plain bytes, printable, comparable, hashable.
    public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
        /// The 32-byte little-endian u-coordinate.
        public let rawRepresentation: [UInt8]

        /// Wraps a 32-byte public key; any other length is refused.
        public init(rawRepresentation: [UInt8]) throws(SodiumError) {
            try SodiumError.requireLength("X25519 public key", rawRepresentation.count, X25519.publicKeyByteCount)
            self.rawRepresentation = rawRepresentation
        }

        init(checkedRawRepresentation: [UInt8]) {
            self.rawRepresentation = checkedRawRepresentation
        }

        /// `X25519:` followed by the key in hexadecimal.
        public var description: String { "X25519:" + Hex.encode(rawRepresentation) }
    }

    /// A private key. Its scalar stays in ``SecretBytes``.
    public struct PrivateKey: Sendable, CustomStringConvertible {
        /// The 32-byte scalar (clamped by libsodium when used).
        public let rawRepresentation: SecretBytes
        /// The matching public key, `scalar · 9`.
        public let publicKey: PublicKey

        /// A new random key pair.
        public init() {
            self.init(checkedScalar: SecretBytes.random(count: X25519.privateKeyByteCount))
        }

        /// The key pair of a stored 32-byte scalar.
        public init(rawRepresentation: SecretBytes) throws(SodiumError) {
            try SodiumError.requireLength("X25519 private key", rawRepresentation.count, X25519.privateKeyByteCount)
            self.init(checkedScalar: rawRepresentation)
        }

        private init(checkedScalar scalar: SecretBytes) {
            var publicBytes = [UInt8](repeating: 0, count: X25519.publicKeyByteCount)
            withMutableBytePointer(&publicBytes) { pk, _ in
                scalar.withUnsafeSecret { secret in
                    _ = crypto_scalarmult_curve25519_base(pk, secret)
                }
            }
            self.rawRepresentation = scalar
            self.publicKey = PublicKey(checkedRawRepresentation: publicBytes)
        }

        /// The secret shared with the holder of `peer`'s private key. A low-order peer key, which
        /// would make the secret all zeros, is refused with ``SodiumError/weakPublicKey``.
        public func sharedSecret(with peer: PublicKey) throws(SodiumError) -> SecretBytes {
            try X25519.scalarMultiply(rawRepresentation, peer.rawRepresentation)
        }

        /// Names the public half only.
        public var description: String { "X25519.PrivateKey(public: \(publicKey))" }
    }

    /// The X25519 function of RFC 7748 §5: `scalar · u`, with the scalar clamped and the top bit
    /// of `u` ignored. Exposed for known-answer tests; use ``PrivateKey/sharedSecret(with:)``.
    public static func scalarMultiply(_ scalar: SecretBytes, _ u: [UInt8]) throws(SodiumError) -> SecretBytes {
        try SodiumError.requireLength("X25519 scalar", scalar.count, privateKeyByteCount)
        try SodiumError.requireLength("X25519 u-coordinate", u.count, publicKeyByteCount)
        var status: Int32 = 0
        let result = SecretBytes(count: sharedSecretByteCount) { out in
            scalar.withUnsafeSecret { secret in
                withBytePointer(u) { point, _ in
                    status = crypto_scalarmult_curve25519(out, secret, point)
                }
            }
        }
        guard status == 0 else { throw SodiumError.weakPublicKey }
        return result
    }
}
