import Sodium

/// A CURVE public key (a Curve25519 key, as in ZeroMQ RFC 26): how a peer is recognised before it
/// may send or receive anything.
public struct CurvePublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The 32 raw bytes.
    public let rawRepresentation: [UInt8]

    /// Wraps a 32-byte key; any other length is refused.
    public init(rawRepresentation: [UInt8]) throws(ZeroMQError) {
        guard rawRepresentation.count == 32 else {
            throw ZeroMQError.invalidArgument("a CURVE public key is 32 bytes, got \(rawRepresentation.count)")
        }
        self.rawRepresentation = rawRepresentation
    }

    /// Decodes the 40-character Z85 form used in ZeroMQ configuration files.
    public init(z85: String) throws(ZeroMQError) {
        try self.init(rawRepresentation: Z85.decode(z85))
    }

    /// The 40-character Z85 form.
    public var z85: String {
        (try? Z85.encode(rawRepresentation)) ?? ""
    }

    /// `CURVE:` and the Z85 form.
    public var description: String { "CURVE:" + z85 }
}

/// A CURVE key pair: the long-term transport key of a node. The secret half stays in
/// ``SecretBytes``.
public struct CurveKeyPair: Sendable, CustomStringConvertible {
    /// The public half, which peers allow-list.
    public let publicKey: CurvePublicKey
    /// The secret half.
    public let secretKey: SecretBytes

    /// A new random key pair.
    public static func generate() -> CurveKeyPair {
        CurveKeyPair(x25519: X25519.PrivateKey())
    }

    /// The CURVE view of an X25519 key pair: CURVE is X25519 key agreement, so the same key
    /// material serves, and libsodium derives the public half without spelling the secret out
    /// as Z85 text.
    public init(x25519 key: X25519.PrivateKey) {
        self.secretKey = key.rawRepresentation
        self.publicKey = CurvePublicKey(unchecked: key.publicKey.rawRepresentation)
    }

    /// The key pair of a stored 32-byte secret key.
    public init(secretKey: SecretBytes) throws(ZeroMQError) {
        let key: X25519.PrivateKey
        do {
            key = try X25519.PrivateKey(rawRepresentation: secretKey)
        } catch {
            throw ZeroMQError.invalidArgument("CURVE secret key: \(error)")
        }
        self.init(x25519: key)
    }

    /// Names the public half only.
    public var description: String { "CurveKeyPair(public: \(publicKey))" }
}

extension CurvePublicKey {
    init(unchecked bytes: [UInt8]) {
        self.rawRepresentation = bytes
    }
}
