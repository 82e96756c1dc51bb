import Foundation

/// A WebAuthn credential registered to an account (a security key or a platform authenticator):
/// what the console needs to check its signatures. The WebAuthn target verified it before it was
/// stored; this target keeps bytes and counters.
public struct SecurityKey: Sendable, Hashable {
    /// The row's number, used in the console's forms (never the credential id).
    public let id: Int64
    /// The account it signs in.
    public let userID: Int64
    /// The credential id the authenticator chose (1 to 1,023 bytes), named in `allowCredentials`.
    public let credentialID: [UInt8]
    /// The public key as a COSE_Key (ES256 or EdDSA).
    public let publicKey: [UInt8]
    /// The last signature counter seen (0 for authenticators that keep none).
    public let signCount: UInt32
    /// The authenticator model's AAGUID (16 bytes; zeros when not disclosed).
    public let aaguid: [UInt8]
    /// The name the person gave it ("blue YubiKey").
    public let name: String
    public let createdAt: Date
    /// The last sign-in with it, `nil` if never.
    public let lastUsedAt: Date?
}

/// A credential to register, as the WebAuthn registration check returned it.
public struct NewSecurityKey: Sendable, Hashable {
    public var credentialID: [UInt8]
    /// COSE_Key bytes.
    public var publicKey: [UInt8]
    public var signCount: UInt32
    public var aaguid: [UInt8]
    /// 1 to 64 characters, no control characters or bidirectional overrides.
    public var name: String

    public init(credentialID: [UInt8], publicKey: [UInt8], signCount: UInt32, aaguid: [UInt8], name: String) {
        self.credentialID = credentialID
        self.publicKey = publicKey
        self.signCount = signCount
        self.aaguid = aaguid
        self.name = name
    }
}

/// A sign-in that passed the password and waits for its second factor: the browser holds
/// ``token`` in a cookie of its own, not a session cookie; no page opens with it.
public struct PendingSignIn: Sendable, Hashable {
    /// 32 random bytes, Base64url (43 characters); only its SHA-256 is stored.
    public let token: String
    /// The token the second-factor forms carry (derived from ``token`` like a session's).
    public let csrfToken: String
    /// The person signing in.
    public let user: ConsoleUser
    /// When the password must be given again.
    public let expiresAt: Date
}

/// What a WebAuthn challenge was issued for: it answers only that ceremony.
public enum ChallengePurpose: String, Sendable, Hashable {
    /// `navigator.credentials.create` on the security page (keyed by the session).
    case register
    /// `navigator.credentials.get` at the second sign-in step (keyed by the pending sign-in).
    case authenticate
}
