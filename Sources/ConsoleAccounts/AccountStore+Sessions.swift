import Foundation
import GRDB
import Sodium
import Store

extension AccountStore {
    /// Starts a session for `user`, who has just signed in: a new random token (never one the
    /// browser offered, so a planted session cannot be adopted) whose SHA-256 is stored. Expired
    /// and idle sessions of every account are removed at the same time.
    ///
    /// Throws ``AccountError/userDisabled(username:)`` or ``AccountError/noSuchUser(id:)`` when
    /// the account was disabled or removed since the sign-in.
    public func createSession(for user: ConsoleUser, now: Date) throws(AccountError) -> NewSession {
        guard let current = try self.user(id: user.id) else { throw .noSuchUser(id: user.id) }
        guard !current.disabled else { throw .userDisabled(username: current.username) }
        let tokenBytes = SecureRandom.bytes(count: 32)
        let at = Self.milliseconds(now)
        let expires = at + Int64(policy.sessionLifetime * 1000)
        let idleBefore = at - Int64(policy.idleTimeout * 1000)
        try write("create session") { db in
            try db.execute(
                sql: "DELETE FROM session WHERE expires_at <= ? OR last_seen_at <= ?", arguments: [at, idleBefore])
            try db.execute(
                sql: "INSERT INTO session (token_hash, account_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [Data(SHA256.hash(tokenBytes)), current.id, at, at, expires])
        }
        return NewSession(
            token: Base64.encode(tokenBytes, variant: .urlSafeUnpadded), csrfToken: Self.csrfToken(for: tokenBytes),
            user: current, expiresAt: Self.date(expires))
    }

    /// The live session of `token` at `now`, or `nil` when the token is malformed or unknown, the
    /// session has passed its absolute lifetime or been idle for ``AccountPolicy/idleTimeout``
    /// (it is then removed), or its account is disabled. A live session's last-seen time moves to
    /// `now` (to ``AccountPolicy/lastSeenResolution``) unless `sliding` is false: a check made on
    /// the person's behalf without their doing anything (a live stream's keep-alive) must not keep
    /// an unattended session alive.
    public func session(token: String, now: Date, sliding: Bool = true) throws(AccountError) -> ActiveSession? {
        guard let tokenBytes = try? Base64.decode(token, variant: .urlSafeUnpadded), tokenBytes.count == 32 else {
            return nil
        }
        let tokenHash = Data(SHA256.hash(tokenBytes))
        let at = Self.milliseconds(now)
        let found: (account: Int64, created: Int64, lastSeen: Int64, expires: Int64)? = try read("session") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM session WHERE token_hash = ?", arguments: [tokenHash]) else {
                return nil
            }
            let stored = StoredRow(row, of: .session)
            return (try stored.value("account_id"), try stored.value("created_at"), try stored.value("last_seen_at"),
                    try stored.value("expires_at"))
        }
        guard let found else { return nil }
        let idleTimeout = Int64(policy.idleTimeout * 1000)
        guard at < found.expires, at - found.lastSeen < idleTimeout else {
            try write("end expired session") { db in
                try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [tokenHash])
            }
            return nil
        }
        guard let user = try self.user(id: found.account), !user.disabled else { return nil }
        var lastSeen = found.lastSeen
        if sliding, at - found.lastSeen >= Int64(policy.lastSeenResolution * 1000) {
            try write("slide session") { db in
                try db.execute(
                    sql: "UPDATE session SET last_seen_at = MAX(last_seen_at, ?) WHERE token_hash = ?", arguments: [at, tokenHash])
            }
            lastSeen = at
        }
        return ActiveSession(
            user: user, csrfToken: Self.csrfToken(for: tokenBytes), createdAt: Self.date(found.created),
            lastSeenAt: Self.date(lastSeen), expiresAt: Self.date(found.expires),
            idleExpiresAt: Self.date(min(found.expires, lastSeen + idleTimeout)))
    }

    /// Ends the session of `token` (sign-out). An unknown or malformed token is no error.
    public func endSession(token: String) throws(AccountError) {
        guard let tokenBytes = try? Base64.decode(token, variant: .urlSafeUnpadded), tokenBytes.count == 32 else { return }
        try write("end session") { db in
            try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [Data(SHA256.hash(tokenBytes))])
        }
    }

    /// Ends every session of account `userID` (sign out everywhere; done by ``setPassword(_:of:mustChange:now:)``
    /// and by disabling).
    public func endAllSessions(of userID: Int64) throws(AccountError) {
        try write("end all sessions") { db in
            try db.execute(sql: "DELETE FROM session WHERE account_id = ?", arguments: [userID])
        }
    }

    /// Whether `presented` (from a form field or header) is `session`'s CSRF token, compared in
    /// constant time.
    public func verifyCSRF(_ presented: String, session: ActiveSession) -> Bool {
        ConstantTime.equals(Array(presented.utf8), Array(session.csrfToken.utf8))
    }

    /// The CSRF token of a session token: BLAKE2b-256 keyed with the token, of a fixed label.
    static func csrfToken(for tokenBytes: [UInt8]) -> String {
        let label = Array("bordernet console csrf v1".utf8)
        // A 32-byte key is within BLAKE2b's bounds, so this cannot throw.
        let digest = (try? BLAKE2b.hash(label, outputByteCount: 32, key: SecretBytes(copying: tokenBytes))) ?? []
        return Base64.encode(digest, variant: .urlSafeUnpadded)
    }
}
