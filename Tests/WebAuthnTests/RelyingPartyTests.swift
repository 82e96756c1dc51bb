import Crypto
import Foundation
import Sodium
import Testing
import WebAuthn

/// Registrations and assertions from real keys made here (P-256 by swift-crypto, Ed25519 by
/// libsodium), built byte by byte, through every check and every refusal.
@Suite("WebAuthn relying party")
struct RelyingPartyTests {
    static let rp = RelyingParty(id: "console.example", origin: "https://console.example")
    static let challenge = SecureRandom.bytes(count: 32)

    static func register(_ authenticator: TestAuthenticator, attestation: TestAuthenticator.Attestation = .none) throws -> RegisteredCredential {
        let response = authenticator.registration(rpID: rp.id, origin: rp.origin, challenge: challenge, attestation: attestation)
        return try rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: challenge)
    }

    static func expectRefusal(_ expected: WebAuthnError, _ body: () throws(WebAuthnError) -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("accepted; expected \(expected)", sourceLocation: sourceLocation)
        } catch {
            #expect(error == expected, sourceLocation: sourceLocation)
        }
    }

    // MARK: Success

    @Test("an ES256 key registers (none), and signs in with a growing counter", arguments: [false, true])
    func es256RoundTrip(packed: Bool) throws {
        let authenticator = TestAuthenticator.es256()
        let credential = try Self.register(authenticator, attestation: packed ? .packedSelf : .none)
        #expect(credential.id == authenticator.credentialID)
        #expect(credential.publicKey.algorithm == -7)
        #expect(credential.signCount == 0)
        #expect(credential.aaguid == Array(repeating: 0, count: 16))
        #expect(credential.userVerified)
        #expect(credential.attestationFormat == (packed ? "packed" : "none"))

        // The key as the console stores it (COSE bytes) and reads it back.
        let stored = try CredentialPublicKey(cose: credential.publicKey.coseBytes)
        #expect(stored.coseBytes == authenticator.coseKey)
        let challenge = SecureRandom.bytes(count: 32)
        let assertion = authenticator.assertion(rpID: Self.rp.id, origin: Self.rp.origin, challenge: challenge, signCount: 5)
        let verified = try Self.rp.verifyAuthentication(
            clientDataJSON: assertion.clientDataJSON, authenticatorData: assertion.authenticatorData, signature: assertion.signature,
            challenge: challenge, key: stored, storedSignCount: 4)
        #expect(verified == VerifiedAssertion(signCount: 5, userVerified: true))
    }

    @Test("an EdDSA (Ed25519) key registers, and signs in", arguments: [false, true])
    func ed25519RoundTrip(packed: Bool) throws {
        let authenticator = TestAuthenticator.ed25519()
        let credential = try Self.register(authenticator, attestation: packed ? .packedSelf : .none)
        #expect(credential.publicKey.algorithm == -8)
        #expect(credential.id == authenticator.credentialID)
        let stored = try CredentialPublicKey(cose: credential.publicKey.coseBytes)
        #expect(stored.coseBytes == authenticator.coseKey)
        let challenge = SecureRandom.bytes(count: 32)
        let assertion = authenticator.assertion(rpID: Self.rp.id, origin: Self.rp.origin, challenge: challenge, flags: [.userPresent], signCount: 0)
        let verified = try Self.rp.verifyAuthentication(
            clientDataJSON: assertion.clientDataJSON, authenticatorData: assertion.authenticatorData, signature: assertion.signature,
            challenge: challenge, key: stored, storedSignCount: 0)
        // Both counters zero: an authenticator without a counter, accepted.
        #expect(verified == VerifiedAssertion(signCount: 0, userVerified: false))
    }

    @Test("clientDataJSON members a browser adds are ignored")
    func extraClientDataMembers() throws {
        let authenticator = TestAuthenticator.es256()
        let response = authenticator.registration(
            rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge,
            clientDataExtra: #","other_keys_can_be_added_here":"do not compare clientDataJSON against a template""#)
        _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
    }

    @Test("well-formed extensions (ED) are skipped")
    func extensionsSkipped() throws {
        let authenticator = TestAuthenticator.es256()
        let extensions = TestCBOR.map([(TestCBOR.text("credProtect"), TestCBOR.int(2))])
        let authData = authenticator.authenticatorData(
            rpID: Self.rp.id, flags: [.userPresent, .attestedCredentialData, .extensionData], signCount: 1, attested: true) + extensions
        let response = authenticator.registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, authenticatorData: authData)
        let credential = try Self.rp.verifyRegistration(
            clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
        #expect(credential.signCount == 1)
        #expect(!credential.userVerified)
    }

    // MARK: Client data refusals

    @Test("a registration from another origin is refused")
    func wrongOrigin() {
        let response = TestAuthenticator.es256().registration(rpID: Self.rp.id, origin: "https://phish.example", challenge: Self.challenge)
        Self.expectRefusal(.originMismatch(expected: Self.rp.origin, got: "https://phish.example")) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
        }
    }

    @Test("a registration over another challenge is refused")
    func wrongChallenge() {
        let response = TestAuthenticator.es256().registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: SecureRandom.bytes(count: 32))
        Self.expectRefusal(.challengeMismatch) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
        }
        Self.expectRefusal(.challengeMismatch) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: [])
        }
    }

    @Test("an assertion's client data cannot register, nor a registration's sign in")
    func wrongType() throws {
        let authenticator = TestAuthenticator.es256()
        let response = authenticator.registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, type: "webauthn.get")
        Self.expectRefusal(.wrongType(expected: "webauthn.create", got: "webauthn.get")) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
        }
        let key = try Self.register(authenticator).publicKey
        let assertion = authenticator.assertion(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, type: "webauthn.create", signCount: 1)
        Self.expectRefusal(.wrongType(expected: "webauthn.get", got: "webauthn.create")) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyAuthentication(
                clientDataJSON: assertion.clientDataJSON, authenticatorData: assertion.authenticatorData, signature: assertion.signature,
                challenge: Self.challenge, key: key, storedSignCount: 0)
        }
    }

    @Test("a ceremony in a cross-origin frame is refused", arguments: [#""crossOrigin":true"#, #""crossOrigin":false,"topOrigin":"https://evil.example""#])
    func crossOrigin(members: String) {
        let json = Array(#"{"type":"webauthn.create","challenge":"\#(base64url(Self.challenge))","origin":"\#(Self.rp.origin)",\#(members)}"#.utf8)
        let response = TestAuthenticator.es256().registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge)
        Self.expectRefusal(.crossOrigin) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyRegistration(clientDataJSON: json, attestationObject: response.attestationObject, challenge: Self.challenge)
        }
    }

    @Test("clientDataJSON that is not the expected JSON is refused", arguments: [
        "", "[]", "{}", #"{"type":"webauthn.create","challenge":"!!","origin":"x"}"#,
        #"{"type":1,"challenge":"AA","origin":"x"}"#, #"{"type":"webauthn.create","challenge":"AA","origin":"x","crossOrigin":1}"#,
    ])
    func malformedClientData(json: String) {
        let response = TestAuthenticator.es256().registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge)
        do {
            _ = try Self.rp.verifyRegistration(clientDataJSON: Array(json.utf8), attestationObject: response.attestationObject, challenge: Self.challenge)
            Issue.record("accepted")
        } catch {
            guard case .malformedClientData = error else {
                Issue.record("\(error)")
                return
            }
        }
    }

    // MARK: Authenticator data refusals

    @Test("a credential for another RP ID is refused")
    func wrongRPIDHash() throws {
        let authenticator = TestAuthenticator.es256()
        let response = authenticator.registration(rpID: "phish.example", origin: Self.rp.origin, challenge: Self.challenge)
        Self.expectRefusal(.rpIDHashMismatch) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
        }
        let key = try Self.register(authenticator).publicKey
        let assertion = authenticator.assertion(rpID: "phish.example", origin: Self.rp.origin, challenge: Self.challenge, signCount: 1)
        Self.expectRefusal(.rpIDHashMismatch) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyAuthentication(
                clientDataJSON: assertion.clientDataJSON, authenticatorData: assertion.authenticatorData, signature: assertion.signature,
                challenge: Self.challenge, key: key, storedSignCount: 0)
        }
    }

    @Test("without user presence (UP) nothing is accepted")
    func userNotPresent() throws {
        let authenticator = TestAuthenticator.es256()
        let response = authenticator.registration(
            rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, flags: [.userVerified, .attestedCredentialData])
        Self.expectRefusal(.userNotPresent) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
        }
        let key = try Self.register(authenticator).publicKey
        let assertion = authenticator.assertion(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, flags: [.userVerified], signCount: 1)
        Self.expectRefusal(.userNotPresent) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyAuthentication(
                clientDataJSON: assertion.clientDataJSON, authenticatorData: assertion.authenticatorData, signature: assertion.signature,
                challenge: Self.challenge, key: key, storedSignCount: 0)
        }
        let unverified = authenticator.assertion(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, flags: [.userPresent], signCount: 1)
        Self.expectRefusal(.userNotVerified) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyAuthentication(
                clientDataJSON: unverified.clientDataJSON, authenticatorData: unverified.authenticatorData, signature: unverified.signature,
                challenge: Self.challenge, key: key, storedSignCount: 0, requireUserVerification: true)
        }
    }

    @Test("a registration without attested credential data is refused")
    func noAttestedCredential() {
        let authenticator = TestAuthenticator.es256()
        let authData = authenticator.authenticatorData(rpID: Self.rp.id, flags: [.userPresent], signCount: 0, attested: false)
        let response = authenticator.registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, authenticatorData: authData)
        Self.expectRefusal(.missingAttestedCredentialData) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
        }
    }

    // MARK: Signatures and counters

    @Test("a bad signature is refused, for both algorithms", arguments: [false, true])
    func badSignature(ed25519: Bool) throws {
        let authenticator = ed25519 ? TestAuthenticator.ed25519() : TestAuthenticator.es256()
        let key = try Self.register(authenticator).publicKey
        let assertion = authenticator.assertion(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, signCount: 1)
        var tampered = assertion.signature
        tampered[tampered.count - 5] ^= 0x01
        for signature in [tampered, [], Array(repeating: 0, count: 64), Array(repeating: 0x30, count: 600)] {
            Self.expectRefusal(.badSignature) { () throws(WebAuthnError) in
                _ = try Self.rp.verifyAuthentication(
                    clientDataJSON: assertion.clientDataJSON, authenticatorData: assertion.authenticatorData, signature: signature,
                    challenge: Self.challenge, key: key, storedSignCount: 0)
            }
        }
        // Another key's valid signature.
        let other = ed25519 ? TestAuthenticator.ed25519() : TestAuthenticator.es256()
        let foreign = other.assertion(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, signCount: 1)
        Self.expectRefusal(.badSignature) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyAuthentication(
                clientDataJSON: foreign.clientDataJSON, authenticatorData: foreign.authenticatorData, signature: foreign.signature,
                challenge: Self.challenge, key: key, storedSignCount: 0)
        }
        let badAttestation = authenticator.registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, attestation: .packedSelfWrongSignature)
        Self.expectRefusal(.badSignature) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyRegistration(
                clientDataJSON: badAttestation.clientDataJSON, attestationObject: badAttestation.attestationObject, challenge: Self.challenge)
        }
    }

    @Test("a counter that does not increase is a clone, refused", arguments: [(UInt32(7), UInt32(7)), (7, 3), (7, 0), (0, 0)])
    func counterGoingBack(stored: UInt32, received: UInt32) throws {
        let authenticator = TestAuthenticator.es256()
        let key = try Self.register(authenticator).publicKey
        let assertion = authenticator.assertion(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, signCount: received)
        let check = { () throws(WebAuthnError) in
            _ = try Self.rp.verifyAuthentication(
                clientDataJSON: assertion.clientDataJSON, authenticatorData: assertion.authenticatorData, signature: assertion.signature,
                challenge: Self.challenge, key: key, storedSignCount: stored)
        }
        if stored == 0 && received == 0 {
            try check()
        } else {
            Self.expectRefusal(.signCountNotIncreased(stored: stored, received: received), check)
        }
    }

    // MARK: Attestation formats and keys

    @Test("attestation formats other than none and packed self-attestation are refused")
    func otherFormats() {
        let authenticator = TestAuthenticator.es256()
        let cases: [(TestAuthenticator.Attestation, WebAuthnError)] = [
            (.other(format: "fido-u2f", statement: TestCBOR.map([])), .unsupportedAttestation(format: "fido-u2f")),
            (.other(format: "tpm", statement: TestCBOR.map([])), .unsupportedAttestation(format: "tpm")),
            (
                .other(format: "packed", statement: TestCBOR.map([
                    (TestCBOR.text("alg"), TestCBOR.int(-7)), (TestCBOR.text("sig"), TestCBOR.bytes([1])),
                    (TestCBOR.text("x5c"), TestCBOR.array([TestCBOR.bytes([0x30])])),
                ])), .unsupportedAttestation(format: "packed with a certificate chain (x5c)")
            ),
            (
                .other(format: "packed", statement: TestCBOR.map([(TestCBOR.text("alg"), TestCBOR.int(-8)), (TestCBOR.text("sig"), TestCBOR.bytes([1]))])),
                .malformedAttestationStatement("alg -8 differs from the credential's -7")
            ),
            (
                .other(format: "none", statement: TestCBOR.map([(TestCBOR.text("sig"), TestCBOR.bytes([1]))])),
                .malformedAttestationStatement("'none' with a non-empty statement")
            ),
        ]
        for (attestation, expected) in cases {
            let response = authenticator.registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, attestation: attestation)
            Self.expectRefusal(expected) { () throws(WebAuthnError) in
                _ = try Self.rp.verifyRegistration(
                    clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
            }
        }
    }

    @Test("keys other than ES256 on P-256 and EdDSA on Ed25519 are refused")
    func unsupportedKeys() {
        func key(_ entries: [(Int64, [UInt8])]) -> [UInt8] { TestCBOR.map(entries.map { (TestCBOR.int($0.0), $0.1) }) }
        let x = TestCBOR.bytes(Array(repeating: 1, count: 32))
        let cases: [([UInt8], String)] = [
            (key([(1, TestCBOR.int(3)), (3, TestCBOR.int(-257)), (-1, TestCBOR.bytes([1])), (-2, TestCBOR.bytes([1]))]), "unsupportedKey"),  // RS256
            (key([(1, TestCBOR.int(2)), (3, TestCBOR.int(-35)), (-1, TestCBOR.int(2)), (-2, x), (-3, x)]), "unsupportedKey"),  // ES384
            (key([(1, TestCBOR.int(2)), (3, TestCBOR.int(-7)), (-1, TestCBOR.int(2)), (-2, x), (-3, x)]), "unsupportedKey"),  // ES256 on P-384
            (key([(1, TestCBOR.int(1)), (3, TestCBOR.int(-7)), (-1, TestCBOR.int(1)), (-2, x), (-3, x)]), "unsupportedKey"),  // kty mismatch
            (key([(1, TestCBOR.int(2)), (3, TestCBOR.int(-7)), (-1, TestCBOR.int(1)), (-2, x), (-3, TestCBOR.true)]), "unsupportedKey"),  // compressed
            (key([(1, TestCBOR.int(2)), (3, TestCBOR.int(-7)), (-1, TestCBOR.int(1)), (-2, x), (-3, x), (-4, x)]), "unsupportedKey"),  // private part
            (key([(1, TestCBOR.int(1)), (3, TestCBOR.int(-8)), (-1, TestCBOR.int(4)), (-2, x)]), "unsupportedKey"),  // X25519 curve
            (key([(1, TestCBOR.int(2)), (3, TestCBOR.int(-7)), (-1, TestCBOR.int(1)), (-2, x), (-3, x)]), "invalidKey"),  // (1…, 1…) off P-256
            (key([(1, TestCBOR.int(2)), (3, TestCBOR.int(-7)), (-1, TestCBOR.int(1)), (-2, TestCBOR.bytes([1])), (-3, x)]), "invalidKey"),  // short x
            (key([(1, TestCBOR.int(1)), (3, TestCBOR.int(-8)), (-1, TestCBOR.int(6)), (-2, TestCBOR.bytes([1] + Array(repeating: 0, count: 31)))]), "invalidKey"),  // identity
            (key([(1, TestCBOR.int(1)), (3, TestCBOR.int(-8)), (-1, TestCBOR.int(6)), (-2, TestCBOR.bytes([1, 2]))]), "invalidKey"),
            (TestCBOR.array([]), "unsupportedKey"),
        ]
        for (bytes, kind) in cases {
            do {
                _ = try CredentialPublicKey(cose: bytes)
                Issue.record("accepted \(bytes)")
            } catch {
                switch (error, kind) {
                case (.unsupportedKey, "unsupportedKey"), (.invalidKey, "invalidKey"): break
                default: Issue.record("\(error), expected \(kind)")
                }
            }
        }
        // Through a registration, the same refusal.
        let authenticator = TestAuthenticator.es256()
        let authData = authenticator.authenticatorData(
            rpID: Self.rp.id, flags: [.userPresent, .attestedCredentialData], signCount: 0, attested: true, coseKey: cases[0].0)
        let response = authenticator.registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, authenticatorData: authData)
        Self.expectRefusal(.unsupportedKey(reason: "COSE algorithm -257 (kty 3)")) { () throws(WebAuthnError) in
            _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
        }
    }

    // MARK: Malformed structures and sizes

    @Test("malformed authenticator data is refused, never trapped on")
    func malformedAuthenticatorData() throws {
        let authenticator = TestAuthenticator.es256()
        let full = authenticator.authenticatorData(rpID: Self.rp.id, flags: [.userPresent, .attestedCredentialData], signCount: 0, attested: true)
        // Every truncation of a valid one.
        for length in 0..<full.count {
            #expect(throws: WebAuthnError.self) { try AuthenticatorData(Array(full.prefix(length))) }
        }
        // A trailing byte, ED without extensions, ED with a non-map, malformed extensions, BS without BE.
        #expect(throws: WebAuthnError.self) { try AuthenticatorData(full + [0x00]) }
        var withED = full
        withED[32] |= 0x80
        #expect(throws: WebAuthnError.self) { try AuthenticatorData(withED) }
        #expect(throws: WebAuthnError.self) { try AuthenticatorData(withED + TestCBOR.array([])) }
        #expect(throws: WebAuthnError.self) { try AuthenticatorData(withED + [0xbf, 0xff]) }
        var backedUp = full
        backedUp[32] |= 0x10
        #expect(throws: WebAuthnError.self) { try AuthenticatorData(backedUp) }
        // A credential id of 1,024 bytes, and of 0.
        for length in [1_024, 0] {
            let data = sha256(Array(Self.rp.id.utf8)) + [0x41, 0, 0, 0, 0] + Array(repeating: 0, count: 16)
                + TestCBOR.bigEndian(UInt64(length), 2) + Array(repeating: 7, count: length) + authenticator.coseKey
            #expect(throws: WebAuthnError.invalidCredentialID(length: length)) { try AuthenticatorData(data) }
        }
        // 1,023 is allowed.
        let longest = sha256(Array(Self.rp.id.utf8)) + [0x41, 0, 0, 0, 0] + Array(repeating: 0, count: 16)
            + TestCBOR.bigEndian(1_023, 2) + Array(repeating: 7, count: 1_023) + authenticator.coseKey
        #expect(try AuthenticatorData(longest).attestedCredential?.credentialID.count == 1_023)
    }

    @Test("malformed attestation objects are refused")
    func malformedAttestationObjects() {
        let authenticator = TestAuthenticator.es256()
        let response = authenticator.registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge)
        let authData = authenticator.authenticatorData(rpID: Self.rp.id, flags: [.userPresent, .attestedCredentialData], signCount: 0, attested: true)
        let objects: [[UInt8]] = [
            [], [0xa0], TestCBOR.array([]), TestCBOR.text("none"),
            TestCBOR.map([(TestCBOR.text("fmt"), TestCBOR.text("none")), (TestCBOR.text("attStmt"), TestCBOR.map([]))]),
            TestCBOR.map([
                (TestCBOR.text("fmt"), TestCBOR.int(1)), (TestCBOR.text("attStmt"), TestCBOR.map([])), (TestCBOR.text("authData"), TestCBOR.bytes(authData)),
            ]),
            TestCBOR.map([
                (TestCBOR.text("fmt"), TestCBOR.text("none")), (TestCBOR.text("attStmt"), TestCBOR.array([])), (TestCBOR.text("authData"), TestCBOR.bytes(authData)),
            ]),
            TestCBOR.map([
                (TestCBOR.text("fmt"), TestCBOR.text("none")), (TestCBOR.text("attStmt"), TestCBOR.map([])), (TestCBOR.text("authData"), TestCBOR.text("x")),
            ]),
            response.attestationObject + [0x00],
            Array(response.attestationObject.dropLast()),
        ]
        for object in objects {
            #expect(throws: WebAuthnError.self) {
                _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: object, challenge: Self.challenge)
            }
        }
    }

    @Test("oversized inputs are refused before they are read")
    func oversized() throws {
        let authenticator = TestAuthenticator.es256()
        let response = authenticator.registration(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge)
        let bigJSON = TestAuthenticator.clientData(
            type: "webauthn.create", challenge: Self.challenge, origin: Self.rp.origin, extra: #","pad":""# + String(repeating: "a", count: 9_000) + "\"")
        #expect(throws: WebAuthnError.tooLarge(what: "clientDataJSON", byteCount: bigJSON.count, limit: 8_192)) {
            _ = try Self.rp.verifyRegistration(clientDataJSON: bigJSON, attestationObject: response.attestationObject, challenge: Self.challenge)
        }
        let bigObject = TestCBOR.map([(TestCBOR.text("fmt"), TestCBOR.bytes(Array(repeating: 0, count: 17_000)))])
        #expect(throws: WebAuthnError.tooLarge(what: "the attestation object", byteCount: bigObject.count, limit: 16_384)) {
            _ = try Self.rp.verifyRegistration(clientDataJSON: response.clientDataJSON, attestationObject: bigObject, challenge: Self.challenge)
        }
        let key = try Self.register(authenticator).publicKey
        let assertion = authenticator.assertion(rpID: Self.rp.id, origin: Self.rp.origin, challenge: Self.challenge, signCount: 1)
        let bigAuthData = assertion.authenticatorData + Array(repeating: 0, count: 17_000)
        #expect(throws: WebAuthnError.tooLarge(what: "authenticator data", byteCount: bigAuthData.count, limit: 16_384)) {
            _ = try Self.rp.verifyAuthentication(
                clientDataJSON: assertion.clientDataJSON, authenticatorData: bigAuthData, signature: assertion.signature,
                challenge: Self.challenge, key: key, storedSignCount: 0)
        }
    }
}
