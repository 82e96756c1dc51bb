import Foundation
import GRDB
import Sodium
import Store

extension AccountStore {
    /// Registers a security key to account `userID` (after the WebAuthn check of its
    /// registration). Throws ``AccountError/securityKeyAlreadyRegistered`` when its credential id
    /// is anyone's already, ``AccountError/tooManySecurityKeys(limit:)`` past
    /// ``AccountPolicy/maximumSecurityKeys``, and ``AccountError/invalidField(field:value:rule:)``
    /// for a bad name or byte length.
    public func addSecurityKey(_ new: NewSecurityKey, to userID: Int64, now: Date) throws(AccountError) -> SecurityKey {
        let name = new.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(name.count), !name.unicodeScalars.contains(where: Self.isForbiddenInName) else {
            throw .invalidField(field: "security key name", value: name, rule: "1 to 64 characters, no control characters or bidi overrides")
        }
        guard (1...1_023).contains(new.credentialID.count), (1...1_024).contains(new.publicKey.count), new.aaguid.count == 16 else {
            throw .invalidField(field: "security key", value: "", rule: "credential id 1–1,023 bytes, COSE key 1–1,024 bytes, AAGUID 16 bytes")
        }
        let limit = policy.maximumSecurityKeys
        let id: Int64 = try write("add security key") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE id = ?", arguments: [userID]) == true else {
                throw AccountError.noSuchUser(id: userID)
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM credential WHERE credential_id = ?", arguments: [Data(new.credentialID)]) == true {
                throw AccountError.securityKeyAlreadyRegistered
            }
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credential WHERE account_id = ?", arguments: [userID]) ?? 0
            guard count < limit else { throw AccountError.tooManySecurityKeys(limit: limit) }
            try db.execute(
                sql: """
                    INSERT INTO credential (account_id, credential_id, public_key, sign_count, aaguid, name, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [userID, Data(new.credentialID), Data(new.publicKey), Int64(new.signCount), Data(new.aaguid), name, Self.milliseconds(now)])
            return db.lastInsertedRowID
        }
        guard let key = try securityKeys(where: "id = ?", arguments: [id]).first else { throw .noSuchUser(id: userID) }
        return key
    }

    /// The security keys of account `userID`, oldest first.
    public func securityKeys(of userID: Int64) throws(AccountError) -> [SecurityKey] {
        try securityKeys(where: "account_id = ?", arguments: [userID])
    }

    /// The security key whose credential id is `credentialID`, whoever's it is, or `nil`.
    public func securityKey(credentialID: [UInt8]) throws(AccountError) -> SecurityKey? {
        try securityKeys(where: "credential_id = ?", arguments: [Data(credentialID)]).first
    }

    /// Removes security key `id` of the account whose password `confirmation` confirmed (a
    /// session alone cannot remove a key): `false` when the account has no such key. Throws
    /// ``AccountError/passwordConfirmationExpired`` for a confirmation older than
    /// ``AccountPolicy/passwordConfirmationLifetime``.
    @discardableResult
    public func removeSecurityKey(id: Int64, confirmedBy confirmation: PasswordConfirmation, now: Date) throws(AccountError) -> Bool {
        try check(confirmation, now: now)
        return try write("remove security key") { db in
            try db.execute(sql: "DELETE FROM credential WHERE id = ? AND account_id = ?", arguments: [id, confirmation.userID])
            return db.changesCount == 1
        }
    }

    /// Records a sign-in with security key `id`: its counter becomes `newSignCount` and its
    /// last use `now`, only if the stored counter is still `previousSignCount` (the value the
    /// assertion was checked against). `false` when another sign-in moved it in between: the
    /// same assertion must not open two sessions.
    public func recordSecurityKeyUse(id: Int64, previousSignCount: UInt32, newSignCount: UInt32, now: Date) throws(AccountError) -> Bool {
        try write("record security key use") { db in
            try db.execute(
                sql: "UPDATE credential SET sign_count = ?, last_used_at = ? WHERE id = ? AND sign_count = ?",
                arguments: [Int64(newSignCount), Self.milliseconds(now), id, Int64(previousSignCount)])
            return db.changesCount == 1
        }
    }

    /// How many of account `userID`'s recovery codes are not used yet.
    public func unusedRecoveryCodeCount(of userID: Int64) throws(AccountError) -> Int {
        try read("recovery codes left") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recovery_code WHERE account_id = ? AND used_at IS NULL", arguments: [userID]) ?? 0
        }
    }

    private func securityKeys(where condition: String, arguments: StatementArguments) throws(AccountError) -> [SecurityKey] {
        try read("security keys") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM credential WHERE \(condition) ORDER BY id", arguments: arguments).map { row in
                let stored = StoredRow(row, of: .credential)
                let count: Int64 = try stored.value("sign_count")
                guard let signCount = UInt32(exactly: count) else { throw stored.invalid("sign_count", row["sign_count"], expected: "0 to 4294967295") }
                let lastUsed: Int64? = try stored.optionalValue("last_used_at")
                return SecurityKey(
                    id: try stored.value("id"), userID: try stored.value("account_id"),
                    credentialID: try stored.bytes("credential_id"), publicKey: try stored.bytes("public_key"), signCount: signCount,
                    aaguid: try stored.bytes("aaguid"), name: try stored.value("name"),
                    createdAt: Self.date(try stored.value("created_at")), lastUsedAt: lastUsed.map(Self.date))
            }
        }
    }

    static func isForbiddenInName(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value) || scalar.value == 0x200E || scalar.value == 0x200F
    }
}
