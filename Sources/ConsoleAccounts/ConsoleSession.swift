import Foundation

/// A session just created after a sign-in: give ``token`` to the browser (a `Secure; HttpOnly;
/// SameSite=Strict` cookie) and put ``csrfToken`` in every form.
public struct NewSession: Sendable, Hashable {
    /// 32 random bytes, Base64url without padding (43 characters). Only its SHA-256 is stored:
    /// whoever reads `console.sqlite` cannot use a session.
    public let token: String
    /// The session's CSRF token (43 characters), derived from ``token``; see
    /// ``ActiveSession/csrfToken``.
    public let csrfToken: String
    /// The signed-in person.
    public let user: ConsoleUser
    /// When the session ends whatever happens (creation plus ``AccountPolicy/sessionLifetime``).
    public let expiresAt: Date
}

/// A live session found from the browser's token (``AccountStore/session(token:now:)``).
public struct ActiveSession: Sendable, Hashable {
    /// The signed-in person, read afresh at this request (a disabled account has no session).
    public let user: ConsoleUser
    /// The token every state-changing request must carry in its form or header, checked with
    /// ``AccountStore/verifyCSRF(_:session:)``. It is the keyed BLAKE2b of a fixed label under
    /// the session token, so it is stable for the session, differs between sessions, and is
    /// never stored.
    public let csrfToken: String
    /// When the session was created.
    public let createdAt: Date
    /// The last request seen, this one included (to ``AccountPolicy/lastSeenResolution``).
    public let lastSeenAt: Date
    /// When the session ends whatever happens.
    public let expiresAt: Date
    /// When the session ends if no request comes before.
    public var idleExpiresAt: Date
}
