import ConsoleAccounts
import Foundation
import GRDB

/// A console folder in a temporary directory, removed when the fixture goes.
final class ConsoleFixture {
    let root: URL
    let folder: URL
    let store: AccountStore
    /// A fixed instant tests move from.
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let password = "a long enough passphrase"

    init(policy: AccountPolicy = .standard) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-console-\(UUID().uuidString.prefix(8))")
        folder = root.appendingPathComponent("console")
        store = try AccountStore.open(folder: folder, policy: policy)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static func newUser(_ username: String = "amina") -> NewUser {
        NewUser(
            username: username, displayName: "Amina B.", role: "reader", workingGroups: ["customs", "security"],
            highestTLP: "AMBER", agencyKind: "law-enforcement", language: "ar", arabicDigits: true)
    }

    @discardableResult
    func addUser(_ username: String = "amina") throws -> ConsoleUser {
        try store.addUser(Self.newUser(username), password: Self.password, now: Self.start)
    }

    /// The proof that account `userID` typed ``password`` again at `now`.
    func confirmed(_ userID: Int64, at now: Date = ConsoleFixture.start) throws -> PasswordConfirmation {
        let result = try store.confirmPassword(of: userID, password: Self.password, from: "192.0.2.1", now: now)
        guard case .confirmed(let proof) = result else { throw FixtureError.notConfirmed("\(result)") }
        return proof
    }

    enum FixtureError: Error { case notConfirmed(String) }

    /// Every value of every row of `table`, read through a connection of its own.
    func values(of table: String) throws -> [DatabaseValue] {
        let queue = try DatabaseQueue(path: store.path)
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(table)").flatMap { row in row.databaseValues }
        }
    }
}
