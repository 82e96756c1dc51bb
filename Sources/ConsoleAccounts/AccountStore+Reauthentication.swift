import Foundation
import GRDB
import Store

extension AccountStore {
    /// Asks account `userID` (signed in already) for its password again before an action that
    /// weakens its sign-in: removing a security key, replacing recovery codes, or an operator's
    /// reset of another person's second factor.
    ///
    /// Counted exactly like a sign-in (``authenticate(username:password:from:now:)``): a wrong
    /// password is a failure of the account's username and of `address`, and while either is
    /// locked nothing is checked. Throws ``AccountError/noSuchUser(id:)`` for an unknown number;
    /// otherwise only storage failures throw.
    public func confirmPassword(of userID: Int64, password: String, from address: String, now: Date)
        throws(AccountError) -> PasswordConfirmationResult
    {
        guard let user = try user(id: userID) else { throw .noSuchUser(id: userID) }
        switch try authenticate(username: user.username, password: password, from: address, now: now) {
        case .signedIn(let confirmed) where confirmed.id == userID:
            return .confirmed(PasswordConfirmation(userID: userID, confirmedAt: Self.milliseconds(now)))
        case .signedIn, .refused:
            return .refused
        case .lockedOut(let until):
            return .lockedOut(until: until)
        }
    }

    /// Throws ``AccountError/passwordConfirmationExpired`` unless `confirmation` was made at most
    /// ``AccountPolicy/passwordConfirmationLifetime`` before `now` (and not after it).
    func check(_ confirmation: PasswordConfirmation, now: Date) throws(AccountError) {
        let age = Self.milliseconds(now) - confirmation.confirmedAt
        guard age >= 0, age <= Int64(policy.passwordConfirmationLifetime * 1000) else { throw .passwordConfirmationExpired }
    }

    /// An operator's reset of account `userID`'s second factor, for a person who lost their
    /// security key (and their recovery codes): every key and recovery code of the account is
    /// removed, its sessions and the sign-ins waiting for a second factor end, and the WebAuthn
    /// challenges of both are dropped, in one transaction. The person then signs in with their
    /// password alone and registers a new key. The password is left as it is (`setPassword` is
    /// the other reset). Throws ``AccountError/noSuchUser(id:)`` for an unknown number.
    @discardableResult
    public func resetSecondFactor(of userID: Int64) throws(AccountError) -> SecondFactorReset {
        try write("reset second factor") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE id = ?", arguments: [userID]) == true else {
                throw AccountError.noSuchUser(id: userID)
            }
            try db.execute(
                sql: """
                    DELETE FROM webauthn_challenge WHERE token_hash IN (SELECT token_hash FROM session WHERE account_id = ?)
                        OR token_hash IN (SELECT token_hash FROM pending_sign_in WHERE account_id = ?)
                    """,
                arguments: [userID, userID])
            try db.execute(sql: "DELETE FROM credential WHERE account_id = ?", arguments: [userID])
            let keys = db.changesCount
            try db.execute(sql: "DELETE FROM recovery_code WHERE account_id = ?", arguments: [userID])
            let codes = db.changesCount
            try db.execute(sql: "DELETE FROM session WHERE account_id = ?", arguments: [userID])
            let sessions = db.changesCount
            try db.execute(sql: "DELETE FROM pending_sign_in WHERE account_id = ?", arguments: [userID])
            return SecondFactorReset(securityKeys: keys, recoveryCodes: codes, sessions: sessions, pendingSignIns: db.changesCount)
        }
    }
}
