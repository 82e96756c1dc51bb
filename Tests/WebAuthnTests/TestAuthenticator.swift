import Crypto
import Foundation
import Sodium
import WebAuthn

/// A small CBOR writer for the tests (shortest heads, entries in the order given), so that the
/// bytes the reader is tested on are built here, independently of it.
enum TestCBOR {
    static func head(_ major: UInt8, _ argument: UInt64) -> [UInt8] {
        let top = major << 5
        switch argument {
        case 0..<24: return [top | UInt8(argument)]
        case 24..<0x100: return [top | 24, UInt8(argument)]
        case 0x100..<0x1_0000: return [top | 25] + bigEndian(argument, 2)
        case 0x1_0000..<0x1_0000_0000: return [top | 26] + bigEndian(argument, 4)
        default: return [top | 27] + bigEndian(argument, 8)
        }
    }

    static func bigEndian(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    static func int(_ value: Int64) -> [UInt8] {
        value >= 0 ? head(0, UInt64(value)) : head(1, UInt64(-1 - value))
    }

    static func bytes(_ value: [UInt8]) -> [UInt8] { head(2, UInt64(value.count)) + value }
    static func text(_ value: String) -> [UInt8] { head(3, UInt64(value.utf8.count)) + Array(value.utf8) }
    static func array(_ items: [[UInt8]]) -> [UInt8] { head(4, UInt64(items.count)) + items.flatMap { $0 } }
    static func map(_ entries: [([UInt8], [UInt8])]) -> [UInt8] {
        head(5, UInt64(entries.count)) + entries.flatMap { $0.0 + $0.1 }
    }
    static let `true`: [UInt8] = [0xf5]
    static let `false`: [UInt8] = [0xf4]
}

/// Hexadecimal for the tests' vectors.
func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var iterator = text.utf8.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
        func nibble(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : (c >= 65 ? c - 55 : c - 48) }
        bytes.append(nibble(high) << 4 | nibble(low))
    }
    return bytes
}

func base64url(_ bytes: [UInt8]) -> String { Base64.encode(bytes, variant: .urlSafeUnpadded) }

/// An authenticator made of a real key, which builds registrations and assertions byte by byte as
/// WebAuthn §6 lays them out.
struct TestAuthenticator {
    enum Key {
        case p256(P256.Signing.PrivateKey)
        case ed25519(Sodium.Ed25519.PrivateKey)
    }

    let key: Key
    let credentialID: [UInt8]
    var aaguid: [UInt8] = Array(repeating: 0, count: 16)

    static func es256() -> TestAuthenticator {
        TestAuthenticator(key: .p256(P256.Signing.PrivateKey()), credentialID: SecureRandom.bytes(count: 32))
    }

    static func ed25519() -> TestAuthenticator {
        TestAuthenticator(key: .ed25519(Sodium.Ed25519.PrivateKey()), credentialID: SecureRandom.bytes(count: 48))
    }

    var algorithm: Int64 {
        switch key {
        case .p256: -7
        case .ed25519: -8
        }
    }

    /// The COSE key, written with this test's encoder.
    var coseKey: [UInt8] {
        switch key {
        case .p256(let key):
            let point = Array(key.publicKey.x963Representation)
            return TestCBOR.map([
                (TestCBOR.int(1), TestCBOR.int(2)), (TestCBOR.int(3), TestCBOR.int(-7)), (TestCBOR.int(-1), TestCBOR.int(1)),
                (TestCBOR.int(-2), TestCBOR.bytes(Array(point[1..<33]))), (TestCBOR.int(-3), TestCBOR.bytes(Array(point[33..<65]))),
            ])
        case .ed25519(let key):
            return TestCBOR.map([
                (TestCBOR.int(1), TestCBOR.int(1)), (TestCBOR.int(3), TestCBOR.int(-8)), (TestCBOR.int(-1), TestCBOR.int(6)),
                (TestCBOR.int(-2), TestCBOR.bytes(key.publicKey.rawRepresentation)),
            ])
        }
    }

    func sign(_ message: [UInt8]) -> [UInt8] {
        switch key {
        case .p256(let key):
            // swift-crypto's signature(for:) hashes with SHA-256, as ES256 does.
            return (try? Array(key.signature(for: message).derRepresentation)) ?? []
        case .ed25519(let key):
            return key.signature(for: message)
        }
    }

    static func clientData(type: String, challenge: [UInt8], origin: String, extra: String = "") -> [UInt8] {
        Array(#"{"type":"\#(type)","challenge":"\#(base64url(challenge))","origin":"\#(origin)","crossOrigin":false\#(extra)}"#.utf8)
    }

    static func flags(_ flags: AuthenticatorData.Flags) -> UInt8 { flags.rawValue }

    /// rpIdHash ‖ flags ‖ counter ‖ (attested credential data).
    func authenticatorData(rpID: String, flags: AuthenticatorData.Flags, signCount: UInt32, attested: Bool, coseKey: [UInt8]? = nil)
        -> [UInt8]
    {
        var data = sha256(Array(rpID.utf8)) + [flags.rawValue] + TestCBOR.bigEndian(UInt64(signCount), 4)
        if attested {
            data += aaguid + TestCBOR.bigEndian(UInt64(credentialID.count), 2) + credentialID + (coseKey ?? self.coseKey)
        }
        return data
    }

    enum Attestation {
        case none
        case packedSelf
        case packedSelfWrongSignature
        case other(format: String, statement: [UInt8])
    }

    /// What `navigator.credentials.create` would return.
    func registration(
        rpID: String, origin: String, challenge: [UInt8], type: String = "webauthn.create",
        flags: AuthenticatorData.Flags = [.userPresent, .userVerified, .attestedCredentialData], signCount: UInt32 = 0,
        attestation: Attestation = .none, authenticatorData: [UInt8]? = nil, clientDataExtra: String = ""
    ) -> (clientDataJSON: [UInt8], attestationObject: [UInt8]) {
        let clientDataJSON = Self.clientData(type: type, challenge: challenge, origin: origin, extra: clientDataExtra)
        let authData = authenticatorData ?? self.authenticatorData(rpID: rpID, flags: flags, signCount: signCount, attested: true)
        let format: String
        let statement: [UInt8]
        switch attestation {
        case .none:
            format = "none"
            statement = TestCBOR.map([])
        case .packedSelf, .packedSelfWrongSignature:
            format = "packed"
            var signature = sign(authData + sha256(clientDataJSON))
            if case .packedSelfWrongSignature = attestation { signature = sign(authData + sha256(clientDataJSON + [0x20])) }
            statement = TestCBOR.map([(TestCBOR.text("alg"), TestCBOR.int(algorithm)), (TestCBOR.text("sig"), TestCBOR.bytes(signature))])
        case .other(let name, let other):
            format = name
            statement = other
        }
        let object = TestCBOR.map([
            (TestCBOR.text("fmt"), TestCBOR.text(format)), (TestCBOR.text("attStmt"), statement), (TestCBOR.text("authData"), TestCBOR.bytes(authData)),
        ])
        return (clientDataJSON, object)
    }

    /// What `navigator.credentials.get` would return.
    func assertion(
        rpID: String, origin: String, challenge: [UInt8], type: String = "webauthn.get",
        flags: AuthenticatorData.Flags = [.userPresent, .userVerified], signCount: UInt32, clientDataExtra: String = ""
    ) -> (clientDataJSON: [UInt8], authenticatorData: [UInt8], signature: [UInt8]) {
        let clientDataJSON = Self.clientData(type: type, challenge: challenge, origin: origin, extra: clientDataExtra)
        let authData = authenticatorData(rpID: rpID, flags: flags, signCount: signCount, attested: false)
        return (clientDataJSON, authData, sign(authData + sha256(clientDataJSON)))
    }
}

/// SHA-256 through libsodium (swift-crypto has one of the same name).
func sha256(_ bytes: [UInt8]) -> [UInt8] { Sodium.SHA256.hash(bytes) }
