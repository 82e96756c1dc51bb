import Foundation
import GRDB
import Sodium
import Store

extension AccountStore {
    // MARK: The sign-in between password and second factor

    /// Starts the second step of `user`'s sign-in, after their password was accepted: a new
    /// random token whose SHA-256 is stored, valid for ``AccountPolicy/secondFactorLifetime``.
    /// It opens no page: only ``completeSecondFactor(token:now:)`` turns it into a session.
    /// Expired pending sign-ins of every account are removed at the same time.
    public func beginSecondFactor(for user: ConsoleUser, now: Date) throws(AccountError) -> PendingSignIn {
        guard let current = try self.user(id: user.id) else { throw .noSuchUser(id: user.id) }
        guard !current.disabled else { throw .userDisabled(username: current.username) }
        let tokenBytes = SecureRandom.bytes(count: 32)
        let at = Self.milliseconds(now)
        let expires = at + Int64(policy.secondFactorLifetime * 1000)
        try write("begin second factor") { db in
            try db.execute(sql: "DELETE FROM pending_sign_in WHERE expires_at <= ?", arguments: [at])
            try db.execute(sql: "DELETE FROM webauthn_challenge WHERE expires_at <= ?", arguments: [at])
            try db.execute(
                sql: "INSERT INTO pending_sign_in (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [Data(SHA256.hash(tokenBytes)), current.id, at, expires])
        }
        return PendingSignIn(
            token: Base64.encode(tokenBytes, variant: .urlSafeUnpadded), csrfToken: Self.csrfToken(for: tokenBytes), user: current,
            expiresAt: Self.date(expires))
    }

    /// The pending sign-in of `token` at `now`, or `nil` when the token is malformed, unknown or
    /// expired (it is then removed), or the account was disabled.
    public func pendingSignIn(token: String, now: Date) throws(AccountError) -> PendingSignIn? {
        guard let tokenBytes = Self.tokenBytes(token) else { return nil }
        let tokenHash = Data(SHA256.hash(tokenBytes))
        let found: (account: Int64, expires: Int64)? = try read("pending sign-in") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM pending_sign_in WHERE token_hash = ?", arguments: [tokenHash]) else {
                return nil
            }
            let stored = StoredRow(row, of: .pendingSignIn)
            return (try stored.value("account_id"), try stored.value("expires_at"))
        }
        guard let found else { return nil }
        guard Self.milliseconds(now) < found.expires else {
            try endPendingSignIn(token: token)
            return nil
        }
        guard let user = try self.user(id: found.account), !user.disabled else { return nil }
        return PendingSignIn(token: token, csrfToken: Self.csrfToken(for: tokenBytes), user: user, expiresAt: Self.date(found.expires))
    }

    /// Counts a failed second factor (a refused key or recovery code) of the pending sign-in of
    /// `token`: `true` while it may try again, `false` once it has failed
    /// ``AccountPolicy/secondFactorAttempts`` times (it is then ended: the password is asked
    /// again, and counted again by the lockout).
    public func recordSecondFactorFailure(token: String) throws(AccountError) -> Bool {
        guard let tokenBytes = Self.tokenBytes(token) else { return false }
        let tokenHash = Data(SHA256.hash(tokenBytes))
        let limit = policy.secondFactorAttempts
        return try write("second factor failure") { db in
            try db.execute(sql: "UPDATE pending_sign_in SET failures = failures + 1 WHERE token_hash = ?", arguments: [tokenHash])
            let failures = try Int.fetchOne(db, sql: "SELECT failures FROM pending_sign_in WHERE token_hash = ?", arguments: [tokenHash])
            guard let failures, failures < limit else {
                try db.execute(sql: "DELETE FROM pending_sign_in WHERE token_hash = ?", arguments: [tokenHash])
                try db.execute(sql: "DELETE FROM webauthn_challenge WHERE token_hash = ?", arguments: [tokenHash])
                return false
            }
            return true
        }
    }

    /// Ends the pending sign-in of `token` and starts the person's session: call it once their
    /// security key or recovery code was accepted. Throws ``AccountError/secondFactorExpired``
    /// when it expired or was already completed (a pending sign-in makes one session at most).
    public func completeSecondFactor(token: String, now: Date) throws(AccountError) -> NewSession {
        guard let tokenBytes = Self.tokenBytes(token) else { throw .secondFactorExpired }
        let tokenHash = Data(SHA256.hash(tokenBytes))
        let at = Self.milliseconds(now)
        let account: Int64? = try write("complete second factor") { db in
            let account = try Int64.fetchOne(
                db, sql: "SELECT account_id FROM pending_sign_in WHERE token_hash = ? AND expires_at > ?", arguments: [tokenHash, at])
            try db.execute(sql: "DELETE FROM pending_sign_in WHERE token_hash = ?", arguments: [tokenHash])
            try db.execute(sql: "DELETE FROM webauthn_challenge WHERE token_hash = ?", arguments: [tokenHash])
            return account
        }
        guard let account, let user = try self.user(id: account) else { throw .secondFactorExpired }
        return try createSession(for: user, now: now)
    }

    /// Ends the pending sign-in of `token` (the person went back to the password form).
    public func endPendingSignIn(token: String) throws(AccountError) {
        guard let tokenBytes = Self.tokenBytes(token) else { return }
        let tokenHash = Data(SHA256.hash(tokenBytes))
        try write("end pending sign-in") { db in
            try db.execute(sql: "DELETE FROM pending_sign_in WHERE token_hash = ?", arguments: [tokenHash])
            try db.execute(sql: "DELETE FROM webauthn_challenge WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    // MARK: WebAuthn challenges

    /// A new WebAuthn challenge (32 random bytes) for the session or pending sign-in of `token`,
    /// for `purpose`, replacing any earlier one of that token. Stored server-side in
    /// `console.sqlite`, keyed by the token's SHA-256 (so it survives a restart and is shared by
    /// nothing else), valid for ``AccountPolicy/challengeLifetime``, answered at most once
    /// (``takeChallenge(token:purpose:now:)``).
    public func issueChallenge(token: String, purpose: ChallengePurpose, now: Date) throws(AccountError) -> [UInt8] {
        guard let tokenBytes = Self.tokenBytes(token) else { throw .secondFactorExpired }
        let challenge = SecureRandom.bytes(count: 32)
        let at = Self.milliseconds(now)
        try write("issue challenge") { db in
            try db.execute(sql: "DELETE FROM webauthn_challenge WHERE expires_at <= ?", arguments: [at])
            try db.execute(
                sql: "INSERT OR REPLACE INTO webauthn_challenge (token_hash, purpose, challenge, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [Data(SHA256.hash(tokenBytes)), purpose.rawValue, Data(challenge), at + Int64(policy.challengeLifetime * 1000)])
        }
        return challenge
    }

    /// Takes (and removes) the challenge issued to `token` for `purpose`: `nil` when there is
    /// none, it was for another purpose, or it expired. Removed whatever the answer, so a
    /// challenge is tried at most once.
    public func takeChallenge(token: String, purpose: ChallengePurpose, now: Date) throws(AccountError) -> [UInt8]? {
        guard let tokenBytes = Self.tokenBytes(token) else { return nil }
        let tokenHash = Data(SHA256.hash(tokenBytes))
        let at = Self.milliseconds(now)
        return try write("take challenge") { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT challenge FROM webauthn_challenge WHERE token_hash = ? AND purpose = ? AND expires_at > ?",
                arguments: [tokenHash, purpose.rawValue, at])
            try db.execute(sql: "DELETE FROM webauthn_challenge WHERE token_hash = ?", arguments: [tokenHash])
            guard let row, case .blob(let data) = (row["challenge"] as DatabaseValue).storage else { return nil }
            return [UInt8](data)
        }
    }

    static func tokenBytes(_ token: String) -> [UInt8]? {
        guard let bytes = try? Base64.decode(token, variant: .urlSafeUnpadded), bytes.count == 32 else { return nil }
        return bytes
    }
}
