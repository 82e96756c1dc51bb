import Foundation
import GRDB
import Sodium
import Store

extension AccountStore {
    /// Checks a sign-in by password, records the attempt, and answers.
    ///
    /// - A username or `address` locked by recent failures (``AccountPolicy``) is answered
    ///   ``SignInResult/lockedOut(until:)`` without checking the password; the attempt is recorded
    ///   but not counted as a failure, so the lock ends on time.
    /// - An unknown username, a wrong password and a disabled account all get
    ///   ``SignInResult/refused``, after the same argon2id work (an unknown username is checked
    ///   against a dummy hash), and all count as a failure of that username and address: even a
    ///   lockout tells nothing about which usernames exist.
    /// - The right password of an enabled account is ``SignInResult/signedIn(_:)``; it clears the
    ///   username's failures (not the address's), and a hash made with older limits is replaced.
    ///
    /// `address` is the client's address as the web side sees it (e.g. `192.0.2.7`); `now` is the
    /// time of the attempt. Only storage failures throw.
    public func authenticate(username: String, password: String, from address: String, now: Date)
        throws(AccountError) -> SignInResult
    {
        let name = Self.attemptKey(username.trimmingCharacters(in: .whitespaces).lowercased())
        let address = Self.attemptKey(address)
        let at = Self.milliseconds(now)
        let lockedUntil = try read("sign-in lock") { db in try self.lockedUntil(username: name, address: address, at: at, db) }
        if let lockedUntil, lockedUntil > at {
            try record(username: name, address: address, at: at, outcome: "locked")
            return .lockedOut(until: Self.date(lockedUntil))
        }
        let account = try read("sign-in account") { db in
            try Self.fetchUsers(db, where: "username = ?", arguments: [name]).first
        }
        let matches = PasswordHash.verify(password, against: account?.passwordHash ?? dummyHash)
        guard let account, matches, !account.user.disabled else {
            try record(username: name, address: address, at: at, outcome: "failure")
            return .refused
        }
        try record(username: name, address: address, at: at, outcome: "success")
        if PasswordHash.needsRehash(account.passwordHash), let rehashed = try? PasswordHash.hash(password) {
            try write("rehash password") { db in
                try db.execute(
                    sql: "UPDATE account SET password_hash = ? WHERE id = ? AND password_hash = ?",
                    arguments: [rehashed, account.user.id, account.passwordHash])
            }
        }
        return .signedIn(account.user)
    }

    /// The end of the latest lock on `username` or `address` (Unix milliseconds), or `nil`.
    ///
    /// A key is locked for ``AccountPolicy/lockDuration`` after any failure that makes the
    /// threshold's count of failures within ``AccountPolicy/failureWindow``; for a username only
    /// failures after its last successful sign-in count.
    func lockedUntil(username: String, address: String, at: Int64, _ db: Database) throws -> Int64? {
        let horizon = at - Int64((policy.failureWindow + policy.lockDuration) * 1000)
        let lastSuccess = try Int64.fetchOne(
            db, sql: "SELECT MAX(at) FROM sign_in_attempt WHERE username = ? AND outcome = 'success'", arguments: [username])
        let usernameFailures = try Int64.fetchAll(
            db, sql: "SELECT at FROM sign_in_attempt WHERE username = ? AND outcome = 'failure' AND at > ? ORDER BY at",
            arguments: [username, max(horizon, lastSuccess ?? horizon)])
        let addressFailures = try Int64.fetchAll(
            db, sql: "SELECT at FROM sign_in_attempt WHERE address = ? AND outcome = 'failure' AND at > ? ORDER BY at",
            arguments: [address, horizon])
        let ends = [
            lockEnd(usernameFailures, threshold: policy.failuresPerUsername),
            lockEnd(addressFailures, threshold: policy.failuresPerAddress),
        ]
        return ends.compactMap { $0 }.max()
    }

    /// The end of the latest lock set by `failures` (ascending times): the last failure that is
    /// the `threshold`-th within the window, plus the lock's duration.
    private func lockEnd(_ failures: [Int64], threshold: Int) -> Int64? {
        guard threshold > 0, failures.count >= threshold else { return nil }
        let window = Int64(policy.failureWindow * 1000)
        var end: Int64?
        for index in (threshold - 1)..<failures.count where failures[index] - failures[index - threshold + 1] < window {
            end = failures[index] + Int64(policy.lockDuration * 1000)
        }
        return end
    }

    /// Records an attempt and drops attempts older than the retention, or beyond the most kept.
    private func record(username: String, address: String, at: Int64, outcome: String) throws(AccountError) {
        let oldest = at - Int64(max(policy.attemptRetention, policy.failureWindow + policy.lockDuration) * 1000)
        let kept = Int64(policy.maximumStoredAttempts)
        try write("record sign-in attempt") { db in
            try db.execute(
                sql: "INSERT INTO sign_in_attempt (username, address, at, outcome) VALUES (?, ?, ?, ?)",
                arguments: [username, address, at, outcome])
            try db.execute(sql: "DELETE FROM sign_in_attempt WHERE at < ?", arguments: [oldest])
            try db.execute(
                sql: "DELETE FROM sign_in_attempt WHERE id <= (SELECT MAX(id) FROM sign_in_attempt) - ?", arguments: [kept])
        }
    }

    /// What an attempt is recorded under: at most 128 UTF-8 bytes of what was typed.
    static func attemptKey(_ text: String) -> String {
        guard text.utf8.count > 128 else { return text }
        return String(decoding: text.utf8.prefix(128), as: UTF8.self)
    }
}
