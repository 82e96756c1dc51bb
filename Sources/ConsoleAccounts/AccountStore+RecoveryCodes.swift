import Foundation
import GRDB
import Sodium
import Store

extension AccountStore {
    /// How many recovery codes a person gets.
    public static let recoveryCodeCount = 10

    /// Ten recovery codes for account `userID` when it has no unused one (its first security
    /// key was just registered, say), or `nil` when it still has some: these are never replaced
    /// without the password (``replaceRecoveryCodes(confirmedBy:now:)``). Show them once: only
    /// their SHA-256 is stored. Each is 16 characters of Crockford's base32 (80 random bits) in
    /// groups of four, `7k2m-x9qp-4a0d-hh3z`.
    public func firstRecoveryCodes(for userID: Int64, now: Date) throws(AccountError) -> [String]? {
        try makeRecoveryCodes(for: userID, onlyIfNoneUnused: true, now: now)
    }

    /// Ten new recovery codes for the account whose password `confirmation` confirmed,
    /// replacing its earlier ones (used or not): a session alone cannot make them. Show them
    /// once. Throws ``AccountError/passwordConfirmationExpired`` for a confirmation older than
    /// ``AccountPolicy/passwordConfirmationLifetime``.
    public func replaceRecoveryCodes(confirmedBy confirmation: PasswordConfirmation, now: Date) throws(AccountError) -> [String] {
        try check(confirmation, now: now)
        return try makeRecoveryCodes(for: confirmation.userID, onlyIfNoneUnused: false, now: now) ?? []
    }

    /// Ten new codes replacing the account's earlier ones; `nil`, changing nothing, when
    /// `onlyIfNoneUnused` and the account has an unused code (checked in the same transaction).
    private func makeRecoveryCodes(for userID: Int64, onlyIfNoneUnused: Bool, now: Date) throws(AccountError) -> [String]? {
        let codes = (0..<Self.recoveryCodeCount).map { _ in OneTimeSecret.make(groups: 4, groupLength: 4) }
        let at = Self.milliseconds(now)
        return try write("new recovery codes") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE id = ?", arguments: [userID]) == true else {
                throw AccountError.noSuchUser(id: userID)
            }
            if onlyIfNoneUnused,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM recovery_code WHERE account_id = ? AND used_at IS NULL", arguments: [userID]) == true
            {
                return nil
            }
            try db.execute(sql: "DELETE FROM recovery_code WHERE account_id = ?", arguments: [userID])
            for code in codes {
                try db.execute(
                    sql: "INSERT INTO recovery_code (account_id, code_hash, created_at) VALUES (?, ?, ?)",
                    arguments: [userID, Self.recoveryCodeHash(code), at])
            }
            return codes
        }
    }

    /// Uses up one of account `userID`'s recovery codes: `true` when `code` is one of them and was
    /// not used before (it can never be used again), `false` otherwise. Case, spaces and dashes
    /// do not matter, and i, l and o are read as 1, 1 and 0.
    public func useRecoveryCode(_ code: String, userID: Int64, now: Date) throws(AccountError) -> Bool {
        guard let canonical = OneTimeSecret.canonical(code), canonical.utf8.count == 16 else { return false }
        return try write("use recovery code") { db in
            try db.execute(
                sql: "UPDATE recovery_code SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL",
                arguments: [Self.milliseconds(now), userID, Self.recoveryCodeHash(canonical)])
            return db.changesCount == 1
        }
    }

    private static func recoveryCodeHash(_ code: String) -> Data {
        Data(SHA256.hash(Array((OneTimeSecret.canonical(code) ?? code).utf8)))
    }
}
