import Foundation

/// The rules of sign-in, lockout and sessions, with the console's defaults. Every duration is in
/// seconds.
public struct AccountPolicy: Sendable, Hashable {
    /// The fewest characters a password may have (default 12).
    public var minimumPasswordCharacters = 12
    /// Failed sign-ins for one username within ``failureWindow`` that lock that username
    /// (default 5). Unknown usernames lock the same way, so a lockout tells nothing about whether
    /// an account exists.
    public var failuresPerUsername = 5
    /// Failed sign-ins from one source address within ``failureWindow`` that lock that address
    /// for every username (default 20: the officers of one agency may share an address).
    public var failuresPerAddress = 20
    /// The window in which failures are counted (default 15 minutes).
    public var failureWindow: TimeInterval = 15 * 60
    /// How long a lock lasts after the failure that set it (default 15 minutes). Attempts while
    /// locked are recorded but neither checked nor counted, so a lock ends on time.
    public var lockDuration: TimeInterval = 15 * 60
    /// How long sign-in attempts are kept (default 24 hours; at least window plus lock).
    public var attemptRetention: TimeInterval = 24 * 3600
    /// The most attempts kept whatever their age (default 100,000): a flood of attempts cannot
    /// grow the file without bound.
    public var maximumStoredAttempts = 100_000
    /// A session's absolute lifetime from its creation (default 12 hours).
    public var sessionLifetime: TimeInterval = 12 * 3600
    /// A session ends after this long without a request (default 15 minutes).
    public var idleTimeout: TimeInterval = 15 * 60
    /// A request slides a session's last-seen time only when it is at least this much later than
    /// the stored one (default 15 seconds), so that pages do not each pay for a disk flush.
    public var lastSeenResolution: TimeInterval = 15
    /// How long a sign-in that passed the password may wait for its second factor (a security
    /// key or a recovery code) before the password must be given again (default 5 minutes).
    public var secondFactorLifetime: TimeInterval = 5 * 60
    /// Failed second factors after which that pending sign-in ends (default 5).
    public var secondFactorAttempts = 5
    /// How long a WebAuthn challenge may be answered (default 5 minutes, the browser's timeout).
    public var challengeLifetime: TimeInterval = 5 * 60
    /// The most security keys one account may register (default 10).
    public var maximumSecurityKeys = 10
    /// How long a confirmed password (``PasswordConfirmation``) allows removing a security key
    /// or replacing recovery codes (default 60 seconds: the console confirms and acts in one
    /// request).
    public var passwordConfirmationLifetime: TimeInterval = 60
    /// The most agency credentials that are not revoked (default 1,000): a node serves the
    /// agency systems of one state, a few dozen at most.
    public var maximumAgencies = 1_000
    /// The longest an agency token may live from its issue or renewal (default 5 years, 1,827
    /// days): long-lived machine credentials still end.
    public var maximumAgencyTokenLifetime: TimeInterval = 1_827 * 86_400
    /// A request moves an agency's last-used time only when it is at least this much later than
    /// the stored one (default 60 seconds), so that a TAXII client paging quickly does not make a
    /// disk write per request.
    public var agencyLastUsedResolution: TimeInterval = 60

    /// The console's defaults.
    public init() {}

    /// The defaults.
    public static let standard = AccountPolicy()
}
