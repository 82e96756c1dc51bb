import Foundation

/// Proof that a signed-in person has just typed their password again
/// (``AccountStore/confirmPassword(of:password:from:now:)``). Removing a security key and
/// replacing recovery codes take one, so a stolen session alone cannot strip an account of its
/// second factor. Only the account store makes them; each is for one account and is accepted for
/// ``AccountPolicy/passwordConfirmationLifetime`` after it was made.
public struct PasswordConfirmation: Sendable, Hashable {
    /// The account whose password was confirmed.
    public let userID: Int64
    /// When the password was confirmed (Unix milliseconds).
    let confirmedAt: Int64
}

/// The answer to ``AccountStore/confirmPassword(of:password:from:now:)``.
public enum PasswordConfirmationResult: Sendable, Hashable {
    /// The password is the account's: go on with the action, passing the proof.
    case confirmed(PasswordConfirmation)
    /// Wrong password (or the account was disabled meanwhile): counted like a failed sign-in.
    case refused
    /// Too many recent failures for this username or address: nothing was checked.
    case lockedOut(until: Date)
}

/// What ``AccountStore/resetSecondFactor(of:)`` removed, for the log line that records it.
public struct SecondFactorReset: Sendable, Hashable, Encodable {
    /// Security keys removed.
    public let securityKeys: Int
    /// Recovery codes removed (used or not).
    public let recoveryCodes: Int
    /// Sessions ended.
    public let sessions: Int
    /// Sign-ins ended that were waiting for their second factor.
    public let pendingSignIns: Int
}
