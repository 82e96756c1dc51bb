/// A credential a registration created, to store with the account.
public struct RegisteredCredential: Sendable {
    /// The credential id (1 to 1,023 bytes), the handle `allowCredentials` names.
    public let id: [UInt8]
    public let publicKey: CredentialPublicKey
    /// The counter at registration.
    public let signCount: UInt32
    /// The authenticator model (16 bytes; zeros when not disclosed).
    public let aaguid: [UInt8]
    /// Whether the authenticator verified the user (PIN, biometrics) at registration.
    public let userVerified: Bool
    /// Whether the credential may be synced to other devices (a passkey).
    public let backupEligible: Bool
    /// `none` or `packed`.
    public let attestationFormat: String
}
