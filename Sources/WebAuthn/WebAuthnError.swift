/// Why a registration or a sign-in with a security key was refused. Each case says what was wrong;
/// none carries a secret (challenges and signatures are not repeated).
public enum WebAuthnError: Error, Sendable, Equatable, CustomStringConvertible {
    // MARK: Sizes and encodings
    /// An input longer than its limit (`what`: clientDataJSON, attestationObject, …).
    case tooLarge(what: String, byteCount: Int, limit: Int)
    /// A CBOR structure (`what`) that is not well-formed CTAP2 CBOR.
    case malformedCBOR(what: String, CBORError)
    /// The attestation object is not a map of `fmt`, `attStmt` and `authData` of the right types.
    case malformedAttestationObject(String)

    // MARK: Client data
    /// clientDataJSON is not a JSON object with string `type`, `challenge` and `origin`.
    case malformedClientData(String)
    /// The ceremony's type is not the expected one (`webauthn.create` or `webauthn.get`).
    case wrongType(expected: String, got: String)
    /// The challenge the browser signed over is not the one this server issued.
    case challengeMismatch
    /// The page that ran the ceremony is not the console's origin.
    case originMismatch(expected: String, got: String)
    /// The ceremony ran in a cross-origin frame (`crossOrigin: true` or a `topOrigin`).
    case crossOrigin

    // MARK: Authenticator data
    /// Authenticator data shorter than its fixed 37 bytes, or its parts inconsistent with its flags.
    case malformedAuthenticatorData(String)
    /// The authenticator scoped the credential to another relying party (RP ID hash differs).
    case rpIDHashMismatch
    /// User presence (UP) was not asserted by the authenticator.
    case userNotPresent
    /// User verification (UV) was required and not performed.
    case userNotVerified
    /// A registration without attested credential data (AT flag clear).
    case missingAttestedCredentialData
    /// A credential id longer than 1,023 bytes (WebAuthn §6.5.1) or empty.
    case invalidCredentialID(length: Int)

    // MARK: Keys and signatures
    /// The COSE key is not one this server accepts (ES256 on P-256, or EdDSA on Ed25519);
    /// `reason` says which parameter.
    case unsupportedKey(reason: String)
    /// The COSE key's parameters are of the accepted kind but not a valid key (a point off the
    /// curve, a coordinate of the wrong length).
    case invalidKey(reason: String)
    /// The attestation statement's format is not `none` or `packed` self-attestation.
    case unsupportedAttestation(format: String)
    /// The attestation statement is malformed for its format.
    case malformedAttestationStatement(String)
    /// A signature (the assertion's or the self-attestation's) does not verify.
    case badSignature
    /// The authenticator's counter did not increase: the stored value is `stored`, the
    /// authenticator said `received`. Two devices answer for one credential: a clone.
    case signCountNotIncreased(stored: UInt32, received: UInt32)

    public var description: String {
        switch self {
        case .tooLarge(let what, let count, let limit): "\(what) of \(count) bytes is over the limit of \(limit)"
        case .malformedCBOR(let what, let error): "\(what) is not valid CTAP2 CBOR: \(error)"
        case .malformedAttestationObject(let reason): "the attestation object is malformed: \(reason)"
        case .malformedClientData(let reason): "clientDataJSON is malformed: \(reason)"
        case .wrongType(let expected, let got): "clientDataJSON's type is '\(got)', expected '\(expected)'"
        case .challengeMismatch: "the signed challenge is not the one issued (expired, already used, or from another page)"
        case .originMismatch(let expected, let got): "the ceremony ran on '\(got)', not on the console's origin '\(expected)'"
        case .crossOrigin: "the ceremony ran in a cross-origin frame"
        case .malformedAuthenticatorData(let reason): "the authenticator data is malformed: \(reason)"
        case .rpIDHashMismatch: "the authenticator data is for another relying party (RP ID hash differs)"
        case .userNotPresent: "the authenticator did not assert user presence (UP)"
        case .userNotVerified: "the authenticator did not verify the user (UV) and verification is required"
        case .missingAttestedCredentialData: "the registration carries no attested credential data (AT flag clear)"
        case .invalidCredentialID(let length): "a credential id of \(length) bytes (1 to 1,023 allowed)"
        case .unsupportedKey(let reason): "the credential's key is not accepted (ES256 or EdDSA only): \(reason)"
        case .invalidKey(let reason): "the credential's key is invalid: \(reason)"
        case .unsupportedAttestation(let format): "attestation format '\(format)' is not accepted (none, or packed self-attestation)"
        case .malformedAttestationStatement(let reason): "the attestation statement is malformed: \(reason)"
        case .badSignature: "the signature does not verify with the credential's key"
        case .signCountNotIncreased(let stored, let received):
            "the authenticator's signature counter went from \(stored) to \(received): a cloned authenticator is likely; the key is refused"
        }
    }
}
