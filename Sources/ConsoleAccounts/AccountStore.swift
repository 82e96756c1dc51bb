import Foundation
import GRDB
import Sodium
import Store

/// The web console's people, sessions, sign-in attempts and recovery codes, in `console.sqlite`
/// of the console's own folder (never the node's data folder, which holds its keys).
///
/// Opened like every BorderNet file (`Store.SQLiteFile`: the file and its `-wal`/`-shm` 0600,
/// WAL, every commit on disk, refused when a newer BorderNet wrote it), in a folder of mode 0700.
/// Safe to share between the threads and tasks of a server: SQLite serialises the writes.
/// Passwords are kept as argon2id hashes (``Sodium/PasswordHash``), session tokens and recovery
/// codes as SHA-256 digests: a copy of the file lets nobody sign in.
public final class AccountStore: Sendable {
    /// The file's name in the console's folder.
    public static let databaseFileName = "console.sqlite"
    /// The file as errors name it.
    static let fileName = "console accounts"

    /// The path of `console.sqlite`.
    public let path: String
    /// The rules of sign-in, lockout and sessions.
    public let policy: AccountPolicy
    let database: SQLiteDatabase
    /// What an unknown username's password is checked against, so that its answer costs the
    /// same argon2id work as a wrong password.
    let dummyHash: String

    private init(path: String, policy: AccountPolicy, database: SQLiteDatabase, dummyHash: String) {
        self.path = path
        self.policy = policy
        self.database = database
        self.dummyHash = dummyHash
    }

    /// Opens (creating them when needed) `folder`, mode 0700, and its `console.sqlite`, mode 0600.
    ///
    /// Throws ``AccountError/nodeDataFolder(path:)`` for a node's or the secretariat's data
    /// folder, ``AccountError/cannotPrepareFolder(path:reason:)`` when the folder cannot be
    /// made, and ``AccountError/storage(_:)`` when the file cannot be opened or was written by a
    /// newer BorderNet.
    public static func open(folder: URL, policy: AccountPolicy = .standard) throws(AccountError) -> AccountStore {
        try ConsoleFolder.prepare(folder)
        let path = folder.appendingPathComponent(databaseFileName).path
        let database: SQLiteDatabase
        do {
            database = try SQLiteFile(name: fileName, path: path, durability: .everyCommit)
                .open(migrator: AccountMigrations.migrator)
        } catch {
            throw .storage(error)
        }
        let dummyHash: String
        do {
            dummyHash = try PasswordHash.hash(OneTimeSecret.make(groups: 4, groupLength: 5))
        } catch {
            throw .passwordHashingFailed(reason: "\(error)")
        }
        return AccountStore(path: path, policy: policy, database: database, dummyHash: dummyHash)
    }

    // MARK: Accounts

    /// Creates an account with `password` (its argon2id hash is stored) and returns it.
    ///
    /// Every field of `new` is checked (``NewUser``: username 3–64 characters of `a-z 0-9 . _ -`,
    /// read in lower case, role, language, TLP label, working groups, agency kind) and the password
    /// against ``AccountPolicy/minimumPasswordCharacters`` and 1,024 bytes. Throws
    /// ``AccountError/usernameTaken(_:)`` when the username is in use.
    public func addUser(_ new: NewUser, password: String, now: Date) throws(AccountError) -> ConsoleUser {
        let user = try new.checked()
        let hash = try passwordHash(password)
        let created = Self.milliseconds(now)
        let id: Int64 = try write("add user") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE username = ?", arguments: [user.username]) == true {
                throw AccountError.usernameTaken(user.username)
            }
            try db.execute(
                sql: """
                    INSERT INTO account (username, display_name, role, highest_tlp, agency_kind, language, arabic_digits,
                        disabled, password_hash, must_change_password, password_changed_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
                    """,
                arguments: [
                    user.username, user.displayName, user.role, user.highestTLP, user.agencyKind, user.language,
                    user.arabicDigits, hash, user.mustChangePassword, created, created,
                ])
            let id = db.lastInsertedRowID
            for (position, group) in user.workingGroups.enumerated() {
                try db.execute(
                    sql: "INSERT INTO account_working_group (account_id, position, working_group) VALUES (?, ?, ?)",
                    arguments: [id, position, group])
            }
            return id
        }
        guard let stored = try self.user(id: id) else { throw .noSuchUser(id: id) }
        return stored
    }

    /// A one-time password for `bordernet console user add`: 20 characters from libsodium's
    /// random generator in Crockford's base32 (100 bits), in four groups of five
    /// (`k7m2x-9qp4a-…`), to be replaced at first sign-in.
    public func generatePassword() -> String {
        OneTimeSecret.make(groups: 4, groupLength: 5)
    }

    /// Replaces the password of account `userID` and ends all its sessions. `mustChange` marks it
    /// one-time (an operator's reset); a person changing their own password passes `false`.
    public func setPassword(_ password: String, of userID: Int64, mustChange: Bool, now: Date) throws(AccountError) {
        let hash = try passwordHash(password)
        try write("set password") { db in
            try db.execute(
                sql: "UPDATE account SET password_hash = ?, must_change_password = ?, password_changed_at = ? WHERE id = ?",
                arguments: [hash, mustChange, Self.milliseconds(now), userID])
            guard db.changesCount == 1 else { throw AccountError.noSuchUser(id: userID) }
            try db.execute(sql: "DELETE FROM session WHERE account_id = ?", arguments: [userID])
            try db.execute(sql: "DELETE FROM pending_sign_in WHERE account_id = ?", arguments: [userID])
        }
    }

    /// Disables (and ends every session of) or enables account `userID`.
    public func setDisabled(_ disabled: Bool, of userID: Int64) throws(AccountError) {
        try write("set disabled") { db in
            try db.execute(sql: "UPDATE account SET disabled = ? WHERE id = ?", arguments: [disabled, userID])
            guard db.changesCount == 1 else { throw AccountError.noSuchUser(id: userID) }
            if disabled {
                try db.execute(sql: "DELETE FROM session WHERE account_id = ?", arguments: [userID])
                try db.execute(sql: "DELETE FROM pending_sign_in WHERE account_id = ?", arguments: [userID])
            }
        }
    }

    /// Every account, by username.
    public func users() throws(AccountError) -> [ConsoleUser] {
        try read("users") { db in try Self.fetchUsers(db, where: "1", arguments: []).map(\.user) }
    }

    /// The account numbered `id`, or `nil`.
    public func user(id: Int64) throws(AccountError) -> ConsoleUser? {
        try read("user") { db in try Self.fetchUsers(db, where: "id = ?", arguments: [id]).first?.user }
    }

    /// The account named `username` (read in lower case), or `nil`.
    public func user(username: String) throws(AccountError) -> ConsoleUser? {
        try read("user") { db in
            try Self.fetchUsers(db, where: "username = ?", arguments: [username.lowercased()]).first?.user
        }
    }

    // MARK: Shared

    /// The argon2id hash of `password`, after the policy's length rules.
    func passwordHash(_ password: String) throws(AccountError) -> String {
        guard password.count >= policy.minimumPasswordCharacters else {
            throw .passwordTooShort(minimumCharacters: policy.minimumPasswordCharacters)
        }
        guard password.utf8.count <= PasswordHash.maximumPasswordByteCount else {
            throw .passwordTooLong(maximumBytes: PasswordHash.maximumPasswordByteCount)
        }
        do {
            return try PasswordHash.hash(password)
        } catch {
            throw .passwordHashingFailed(reason: "\(error)")
        }
    }

    /// Accounts matching `condition`, with their password hashes.
    static func fetchUsers(_ db: Database, where condition: String, arguments: StatementArguments) throws
        -> [(user: ConsoleUser, passwordHash: String)]
    {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM account WHERE \(condition) ORDER BY username", arguments: arguments)
        var result: [(ConsoleUser, String)] = []
        for row in rows {
            let stored = StoredRow(row, of: .account)
            let id: Int64 = try stored.value("id")
            let groups = try String.fetchAll(
                db, sql: "SELECT working_group FROM account_working_group WHERE account_id = ? ORDER BY position",
                arguments: [id])
            let user = ConsoleUser(
                id: id, username: try stored.value("username"), displayName: try stored.value("display_name"),
                role: try stored.value("role"), workingGroups: groups, highestTLP: try stored.value("highest_tlp"),
                agencyKind: try stored.value("agency_kind"), language: try stored.value("language"),
                arabicDigits: try flag(stored, "arabic_digits"), disabled: try flag(stored, "disabled"),
                mustChangePassword: try flag(stored, "must_change_password"),
                createdAt: date(try stored.value("created_at", as: Int64.self)))
            result.append((user, try stored.value("password_hash")))
        }
        return result
    }

    private static func flag(_ row: StoredRow, _ column: String) throws(StoreError) -> Bool {
        let value: Int64 = try row.value(column)
        guard value == 0 || value == 1 else { throw row.invalid(column, row.row[column], expected: "0 or 1") }
        return value == 1
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// A write transaction; an ``AccountError`` thrown inside comes out as it is.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(AccountError) -> T {
        var refusal: AccountError?
        do {
            return try database.write(operation) { db in
                do {
                    return try body(db)
                } catch let error as AccountError {
                    refusal = error
                    throw error
                }
            }
        } catch {
            throw refusal ?? .storage(error)
        }
    }

    /// A read transaction.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(AccountError) -> T {
        do {
            return try database.read(operation, body)
        } catch {
            throw .storage(error)
        }
    }
}
