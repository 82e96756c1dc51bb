import Foundation

/// The answer to a sign-in (``AccountStore/authenticate(username:password:from:now:)``).
public enum SignInResult: Sendable, Hashable {
    /// The password is right and the account enabled: create a session with
    /// ``AccountStore/createSession(for:now:)`` (and ask for the second factor first, when the
    /// web side has one).
    case signedIn(ConsoleUser)
    /// No. The same answer, after the same argon2id work, for an unknown username, a wrong
    /// password and a disabled account: show one message ("wrong username or password").
    case refused
    /// Too many recent failures for this username or from this address: nothing was checked.
    /// Show when to try again.
    case lockedOut(until: Date)
}
