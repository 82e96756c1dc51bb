import Testing
import WebAuthn

/// Bytes made by someone else: the W3C Web Authentication Level 3 specification's test vectors
/// (§16, "Test Vectors": RP ID `example.org`, origin `https://example.org`). §16.2 "ES256
/// Credential with No Attestation" (a registration and an assertion of the same credential) and
/// §16.3 "ES256 Credential with Self Attestation" (packed). The hex was taken from the public
/// transcriptions of those sections in go-webauthn-based and webauthn4j-based test suites
/// (identical in both); the challenges are the base64url of the clientDataJSON's `challenge`.
@Suite("W3C WebAuthn Level 3 test vectors")
struct SpecVectorTests {
    static let rp = RelyingParty(id: "example.org", origin: "https://example.org")

    // §16.2
    static let noneCredentialID = hex("f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4")
    static let noneAttestationObject = hex(
        "a363666d74646e6f6e656761747453746d74a068617574684461746158a4bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b559000000008446ccb9ab1db374750b2367ff6f3a1f0020f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4a5010203262001215820afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61225820930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220"
    )
    static let noneRegistrationClientData = hex(
        "7b2274797065223a22776562617574686e2e637265617465222c226368616c6c656e6765223a22414d4d507434557878475453746e63647134313759447742466938767049612d7077386f4f755657345441222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73652c22657874726144617461223a22636c69656e74446174614a534f4e206d617920626520657874656e6465642077697468206164646974696f6e616c206669656c647320696e20746865206675747572652c207375636820617320746869733a20426b5165446a646354427258426941774a544c4535513d3d227d"
    )
    static let noneRegistrationChallenge = hex("00c30fb78531c464d2b6771dab8d7b603c01162f2fa486bea70f283ae556e130")
    static let noneAssertionAuthenticatorData = hex("bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b51900000000")
    static let noneAssertionClientData = hex(
        "7b2274797065223a22776562617574686e2e676574222c226368616c6c656e6765223a224f63446e55685158756c5455506f334a5558543049393770767a7a59425039745a63685879617630314167222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73657d"
    )
    static let noneAssertionChallenge = hex("39c0e7521417ba54d43e8dc95174f423dee9bf3cd804ff6d65c857c9abf4d408")
    static let noneAssertionSignature = hex(
        "3046022100f50a4e2e4409249c4a853ba361282f09841df4dd4547a13a87780218deffcd380221008480ac0f0b93538174f575bf11a1dd5d78c6e486013f937295ea13653e331e87"
    )

    // §16.3
    static let packedAttestationObject = hex(
        "a363666d74667061636b65646761747453746d74a263616c67266373696758483046022100ae045923ded832b844cae4d5fc864277c0dc114ad713e271af0f0d371bd3ac540221009077a088ed51a673951ad3ba2673d5029bab65b64f4ea67b234321f86fcfac5d68617574684461746158a4bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b55d00000000df850e09db6afbdfab51697791506cfc0020455ef34e2043a87db3d4afeb39bbcb6cc32df9347c789a865ecdca129cbef58ca5010203262001215820eb151c8176b225cc651559fecf07af450fd85802046656b34c18f6cf193843c5225820927b8aa427a2be1b8834d233a2d34f61f13bfd44119c325d5896e183fee484f2"
    )
    static let packedClientData = hex(
        "7b2274797065223a22776562617574686e2e637265617465222c226368616c6c656e6765223a2265476e4374334c55745936366b336a506a796e6962506b31716e666644616966715a774c33417032392d55222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73652c22657874726144617461223a22636c69656e74446174614a534f4e206d617920626520657874656e6465642077697468206164646974696f6e616c206669656c647320696e20746865206675747572652c207375636820617320746869733a205539685458764b453255526b4d6e625f3078594856673d3d227d"
    )

    static func challenge(of clientData: [UInt8]) throws -> [UInt8] {
        try CollectedClientData(clientData).challenge
    }

    @Test("§16.2: the none-attestation ES256 registration verifies, and its assertion with the stored key")
    func noneES256() throws {
        #expect(try Self.challenge(of: Self.noneRegistrationClientData) == Self.noneRegistrationChallenge)
        let credential = try Self.rp.verifyRegistration(
            clientDataJSON: Self.noneRegistrationClientData, attestationObject: Self.noneAttestationObject, challenge: Self.noneRegistrationChallenge)
        #expect(credential.id == Self.noneCredentialID)
        #expect(credential.attestationFormat == "none")
        #expect(credential.signCount == 0)
        #expect(!credential.userVerified)
        #expect(credential.backupEligible)
        #expect(credential.aaguid == hex("8446ccb9ab1db374750b2367ff6f3a1f"))

        #expect(try Self.challenge(of: Self.noneAssertionClientData) == Self.noneAssertionChallenge)
        let stored = try CredentialPublicKey(cose: credential.publicKey.coseBytes)
        let assertion = try Self.rp.verifyAuthentication(
            clientDataJSON: Self.noneAssertionClientData, authenticatorData: Self.noneAssertionAuthenticatorData,
            signature: Self.noneAssertionSignature, challenge: Self.noneAssertionChallenge, key: stored, storedSignCount: 0)
        #expect(assertion == VerifiedAssertion(signCount: 0, userVerified: false))
    }

    @Test("§16.2 refused at another origin or RP ID, and with a changed byte")
    func noneES256Refusals() throws {
        let credential = try Self.rp.verifyRegistration(
            clientDataJSON: Self.noneRegistrationClientData, attestationObject: Self.noneAttestationObject, challenge: Self.noneRegistrationChallenge)
        #expect(throws: WebAuthnError.originMismatch(expected: "https://example.com", got: "https://example.org")) {
            try RelyingParty(id: "example.org", origin: "https://example.com").verifyAuthentication(
                clientDataJSON: Self.noneAssertionClientData, authenticatorData: Self.noneAssertionAuthenticatorData,
                signature: Self.noneAssertionSignature, challenge: Self.noneAssertionChallenge, key: credential.publicKey, storedSignCount: 0)
        }
        #expect(throws: WebAuthnError.rpIDHashMismatch) {
            try RelyingParty(id: "example.com", origin: "https://example.org").verifyAuthentication(
                clientDataJSON: Self.noneAssertionClientData, authenticatorData: Self.noneAssertionAuthenticatorData,
                signature: Self.noneAssertionSignature, challenge: Self.noneAssertionChallenge, key: credential.publicKey, storedSignCount: 0)
        }
        var authData = Self.noneAssertionAuthenticatorData
        authData[36] = 1  // the counter: signed, so the signature fails
        #expect(throws: WebAuthnError.badSignature) {
            try Self.rp.verifyAuthentication(
                clientDataJSON: Self.noneAssertionClientData, authenticatorData: authData,
                signature: Self.noneAssertionSignature, challenge: Self.noneAssertionChallenge, key: credential.publicKey, storedSignCount: 0)
        }
    }

    @Test("§16.3: the packed self-attestation ES256 registration verifies its signature")
    func packedSelfES256() throws {
        let challenge = try Self.challenge(of: Self.packedClientData)
        let credential = try Self.rp.verifyRegistration(
            clientDataJSON: Self.packedClientData, attestationObject: Self.packedAttestationObject, challenge: challenge)
        #expect(credential.attestationFormat == "packed")
        #expect(credential.id == hex("455ef34e2043a87db3d4afeb39bbcb6cc32df9347c789a865ecdca129cbef58c"))
        #expect(credential.userVerified)
        var tampered = Self.packedAttestationObject
        tampered[40] ^= 0x01  // inside the DER signature
        #expect(throws: WebAuthnError.self) {
            try Self.rp.verifyRegistration(clientDataJSON: Self.packedClientData, attestationObject: tampered, challenge: challenge)
        }
    }
}
