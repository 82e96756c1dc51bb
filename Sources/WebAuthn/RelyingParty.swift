import Sodium

/// The server's side of WebAuthn for one origin: checks what `navigator.credentials.create` and
/// `navigator.credentials.get` returned (WebAuthn §7.1 and §7.2) against the challenge issued,
/// the origin and the RP ID. Pure: the caller keeps challenges, credentials and counters.
public struct RelyingParty: Sendable, Hashable {
    /// The RP ID: the console's host name (`console.example`, `localhost`). Browsers refuse an IP
    /// address as RP ID.
    public let id: String
    /// The exact origin the pages are served from (`https://console.example`,
    /// `http://localhost:8470`).
    public let origin: String

    /// The largest attestation object read (certificates included).
    public static let maximumAttestationObjectByteCount = 16 * 1_024
    /// The largest assertion signature read (a DER P-256 signature is at most 72 bytes).
    public static let maximumSignatureByteCount = 512

    public init(id: String, origin: String) {
        self.id = id
        self.origin = origin
    }

    /// SHA-256 of the RP ID, which the authenticator data must start with.
    public var idHash: [UInt8] { SHA256.hash(Array(id.utf8)) }

    // MARK: Registration

    /// Verifies a registration (`AuthenticatorAttestationResponse`): clientDataJSON of type
    /// `webauthn.create` over `challenge` on ``origin``, not cross-origin; an attestation object
    /// whose authenticator data is for this RP ID, with user presence and a new credential
    /// (ES256 or EdDSA); an attestation statement `none`, or `packed` self-attestation whose
    /// signature is checked with the new credential's key. Other formats are refused: the
    /// console asks for `attestation: "none"`, and it has no list of trusted authenticator
    /// makers to check a certificate chain against.
    public func verifyRegistration(
        clientDataJSON: [UInt8], attestationObject: [UInt8], challenge: [UInt8], requireUserVerification: Bool = false
    ) throws(WebAuthnError) -> RegisteredCredential {
        _ = try checkClientData(clientDataJSON, type: "webauthn.create", challenge: challenge)
        guard attestationObject.count <= Self.maximumAttestationObjectByteCount else {
            throw .tooLarge(what: "the attestation object", byteCount: attestationObject.count, limit: Self.maximumAttestationObjectByteCount)
        }
        let object: CBORValue
        do {
            object = try CBORReader(maximumByteCount: Self.maximumAttestationObjectByteCount).read(attestationObject)
        } catch {
            throw .malformedCBOR(what: "the attestation object", error)
        }
        guard case .map(let entries) = object else { throw .malformedAttestationObject("a \(object.kind), not a map") }
        guard entries.count == 3 else { throw .malformedAttestationObject("\(entries.count) members, expected fmt, attStmt and authData") }
        guard case .text(let format)? = object[.text("fmt")] else { throw .malformedAttestationObject("no text 'fmt'") }
        guard let statement = object[.text("attStmt")], case .map(let statementEntries) = statement else {
            throw .malformedAttestationObject("no map 'attStmt'")
        }
        guard case .bytes(let authDataBytes)? = object[.text("authData")] else { throw .malformedAttestationObject("no byte string 'authData'") }

        let authData = try AuthenticatorData(authDataBytes)
        try checkAuthenticatorData(authData, requireUserVerification: requireUserVerification)
        guard let credential = authData.attestedCredential else { throw .missingAttestedCredentialData }

        switch format {
        case "none":
            guard statementEntries.isEmpty else { throw .malformedAttestationStatement("'none' with a non-empty statement") }
        case "packed":
            // Self-attestation (WebAuthn §8.2): alg and sig only, signed by the credential itself.
            if statement[.text("x5c")] != nil { throw .unsupportedAttestation(format: "packed with a certificate chain (x5c)") }
            guard statementEntries.count == 2, case .integer(let alg)? = statement[.text("alg")],
                case .bytes(let signature)? = statement[.text("sig")]
            else { throw .malformedAttestationStatement("packed self-attestation needs exactly 'alg' and 'sig'") }
            guard alg == credential.publicKey.algorithm else {
                throw .malformedAttestationStatement("alg \(alg) differs from the credential's \(credential.publicKey.algorithm)")
            }
            guard signature.count <= Self.maximumSignatureByteCount,
                credential.publicKey.isValidSignature(signature, for: authDataBytes + SHA256.hash(clientDataJSON))
            else { throw .badSignature }
        default:
            throw .unsupportedAttestation(format: format)
        }
        return RegisteredCredential(
            id: credential.credentialID, publicKey: credential.publicKey, signCount: authData.signCount, aaguid: credential.aaguid,
            userVerified: authData.flags.contains(.userVerified), backupEligible: authData.flags.contains(.backupEligible),
            attestationFormat: format)
    }

    // MARK: Authentication

    /// Verifies an assertion (`AuthenticatorAssertionResponse`) of the stored credential `key`
    /// whose last known counter is `storedSignCount`: clientDataJSON of type `webauthn.get` over
    /// `challenge` on ``origin``, not cross-origin; authenticator data for this RP ID with user
    /// presence; the signature over authenticatorData ‖ SHA-256(clientDataJSON). The counter must
    /// have increased if either it or the stored one is not zero
    /// (``WebAuthnError/signCountNotIncreased(stored:received:)``: a cloned authenticator).
    /// Returns the counter to store.
    public func verifyAuthentication(
        clientDataJSON: [UInt8], authenticatorData: [UInt8], signature: [UInt8], challenge: [UInt8],
        key: CredentialPublicKey, storedSignCount: UInt32, requireUserVerification: Bool = false
    ) throws(WebAuthnError) -> VerifiedAssertion {
        _ = try checkClientData(clientDataJSON, type: "webauthn.get", challenge: challenge)
        let authData = try AuthenticatorData(authenticatorData)
        try checkAuthenticatorData(authData, requireUserVerification: requireUserVerification)
        guard signature.count <= Self.maximumSignatureByteCount,
            key.isValidSignature(signature, for: authenticatorData + SHA256.hash(clientDataJSON))
        else { throw .badSignature }
        if authData.signCount != 0 || storedSignCount != 0, authData.signCount <= storedSignCount {
            throw .signCountNotIncreased(stored: storedSignCount, received: authData.signCount)
        }
        return VerifiedAssertion(signCount: authData.signCount, userVerified: authData.flags.contains(.userVerified))
    }

    // MARK: Shared steps

    func checkClientData(_ json: [UInt8], type: String, challenge: [UInt8]) throws(WebAuthnError) -> CollectedClientData {
        let clientData = try CollectedClientData(json)
        guard clientData.type == type else { throw .wrongType(expected: type, got: clientData.type) }
        guard !challenge.isEmpty, ConstantTime.equals(clientData.challenge, challenge) else { throw .challengeMismatch }
        guard clientData.origin == origin else { throw .originMismatch(expected: origin, got: clientData.origin) }
        guard !clientData.isCrossOrigin else { throw .crossOrigin }
        return clientData
    }

    func checkAuthenticatorData(_ authData: AuthenticatorData, requireUserVerification: Bool) throws(WebAuthnError) {
        guard ConstantTime.equals(authData.rpIDHash, idHash) else { throw .rpIDHashMismatch }
        guard authData.flags.contains(.userPresent) else { throw .userNotPresent }
        if requireUserVerification, !authData.flags.contains(.userVerified) { throw .userNotVerified }
    }
}
