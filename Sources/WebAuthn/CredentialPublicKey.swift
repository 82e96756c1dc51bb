import Crypto
import Sodium

/// A credential's public key, read from its COSE_Key encoding (RFC 9053; WebAuthn §6.5.1.1):
/// ES256 on P-256 or EdDSA on Ed25519, nothing else.
public enum CredentialPublicKey: Sendable {
    /// COSE alg -7: ECDSA with SHA-256 on P-256 (kty 2 EC2, crv 1), signatures in DER.
    case es256(P256.Signing.PublicKey)
    /// COSE alg -8: EdDSA on Ed25519 (kty 1 OKP, crv 6), signatures of 64 raw bytes.
    case ed25519(Ed25519.PublicKey)

    /// The COSE algorithm identifier: -7 or -8.
    public var algorithm: Int64 {
        switch self {
        case .es256: -7
        case .ed25519: -8
        }
    }

    /// COSE labels (RFC 9052 §7.1, RFC 9053 §7).
    enum Label {
        static let kty: CBORValue = .integer(1)
        static let alg: CBORValue = .integer(3)
        static let crv: CBORValue = .integer(-1)
        static let x: CBORValue = .integer(-2)
        static let y: CBORValue = .integer(-3)
    }

    /// Reads a COSE key from its CBOR bytes (as stored).
    public init(cose bytes: [UInt8]) throws(WebAuthnError) {
        let value: CBORValue
        do {
            value = try CBORReader(maximumByteCount: 1_024, maximumDepth: 2, maximumItemCount: 32).read(bytes)
        } catch {
            throw .malformedCBOR(what: "the COSE key", error)
        }
        try self.init(cose: value)
    }

    /// Reads a COSE key from a decoded CBOR map. Only the labels of the key's type are allowed:
    /// a key with others (a private part, a compressed point) is refused.
    public init(cose value: CBORValue) throws(WebAuthnError) {
        guard case .map(let entries) = value else { throw .unsupportedKey(reason: "the COSE key is not a map") }
        guard case .integer(let kty)? = value[Label.kty] else { throw .unsupportedKey(reason: "no integer kty (1)") }
        guard case .integer(let alg)? = value[Label.alg] else { throw .unsupportedKey(reason: "no integer alg (3)") }
        switch (kty, alg) {
        case (2, -7), (1, -8): break
        case (_, -7), (_, -8): throw .unsupportedKey(reason: "alg \(alg) with kty \(kty)")
        default: throw .unsupportedKey(reason: "COSE algorithm \(alg) (kty \(kty))")
        }
        guard case .integer(let crv)? = value[Label.crv] else { throw .unsupportedKey(reason: "no integer crv (-1)") }
        guard case .bytes(let x)? = value[Label.x] else { throw .unsupportedKey(reason: "no byte-string x (-2)") }
        if alg == -7 {
            guard crv == 1 else { throw .unsupportedKey(reason: "ES256 on curve \(crv), expected 1 (P-256)") }
            guard entries.count == 5 else { throw .unsupportedKey(reason: "an EC2 key with labels other than 1, 3, -1, -2, -3") }
            guard case .bytes(let y)? = value[Label.y] else { throw .unsupportedKey(reason: "no byte-string y (-3): compressed points are not accepted") }
            guard x.count == 32, y.count == 32 else { throw .invalidKey(reason: "P-256 coordinates of \(x.count) and \(y.count) bytes, expected 32") }
            do {
                // swift-crypto refuses a point that is not on the curve (and the point at infinity).
                self = .es256(try P256.Signing.PublicKey(x963Representation: [0x04] + x + y))
            } catch {
                throw .invalidKey(reason: "the point (x, y) is not on P-256")
            }
        } else {
            guard crv == 6 else { throw .unsupportedKey(reason: "EdDSA on curve \(crv), expected 6 (Ed25519)") }
            guard entries.count == 4 else { throw .unsupportedKey(reason: "an OKP key with labels other than 1, 3, -1, -2") }
            let key: Ed25519.PublicKey
            do {
                key = try Ed25519.PublicKey(rawRepresentation: x)
            } catch {
                throw .invalidKey(reason: "an Ed25519 key of \(x.count) bytes, expected 32")
            }
            guard key.isValidPoint else { throw .invalidKey(reason: "x is not a valid Ed25519 point of the main subgroup") }
            self = .ed25519(key)
        }
    }

    /// The canonical COSE encoding of this key (CTAP2 key order), for storing it.
    public var coseBytes: [UInt8] {
        switch self {
        case .es256(let key):
            let point = Array(key.x963Representation)
            return [0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20] + point[1..<33] + [0x22, 0x58, 0x20] + point[33..<65]
        case .ed25519(let key):
            return [0xa4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x06, 0x21, 0x58, 0x20] + key.rawRepresentation
        }
    }

    /// Whether `signature` is this key's signature of `message` (ES256: DER-encoded ECDSA over
    /// SHA-256 of the message; EdDSA: 64 bytes). Answers; never throws.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        switch self {
        case .es256(let key):
            guard signature.count <= 80, let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: message)
        case .ed25519(let key):
            return key.isValidSignature(signature, for: message)
        }
    }
}
