import ConsoleAccounts
import Foundation
import LocalFiles
import Store
import Testing

@Suite("console accounts: folder, file and account rules")
struct AccountStoreTests {
    @Test("the folder is 0700, console.sqlite and its -wal and -shm 0600, whatever the umask")
    func fileModes() throws {
        let fixture = try ConsoleFixture()
        try fixture.addUser()
        #expect(LocalFile.permissions(of: fixture.folder.path)?.rawValue == 0o700)
        let path = fixture.folder.appendingPathComponent("console.sqlite").path
        #expect(fixture.store.path == path)
        for file in [path, path + "-wal", path + "-shm"] {
            #expect(LocalFile.permissions(of: file)?.rawValue == 0o600, "\(file)")
        }
    }

    @Test("an existing folder open to others is narrowed to 0700")
    func folderNarrowed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-console-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        _ = try AccountStore.open(folder: root)
        #expect(LocalFile.permissions(of: root.path)?.rawValue == 0o700)
    }

    @Test("a node's or the secretariat's data folder is refused", arguments: ["keys", "node.toml", "secretariat.key"])
    func nodeFolderRefused(marker: String) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-console-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent(marker), withIntermediateDirectories: true)
        do {
            _ = try AccountStore.open(folder: root)
            Issue.record("opened a folder holding \(marker)")
        } catch {
            guard case .nodeDataFolder(let path) = error else { Issue.record("\(error)"); return }
            #expect(path == root.path)
            #expect(error.description.contains("/var/lib/bordernet-console"))
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("console.sqlite").path))
    }

    @Test("an account keeps every field, in canonical spelling, and reopens the same")
    func roundTrip() throws {
        let fixture = try ConsoleFixture()
        var new = ConsoleFixture.newUser("Amina.B_2-x")
        new.highestTLP = "tlp:amber+strict"
        new.workingGroups = ["customs", "Security", "customs"]
        new.role = "Officer"
        let user = try fixture.store.addUser(new, password: ConsoleFixture.password, now: ConsoleFixture.start)
        #expect(user.username == "amina.b_2-x")
        #expect(user.displayName == "Amina B.")
        #expect(user.role == "officer")
        #expect(user.workingGroups == ["customs", "security"])
        #expect(user.highestTLP == "AMBER+STRICT")
        #expect(user.agencyKind == "law-enforcement")
        #expect(user.language == "ar")
        #expect(user.arabicDigits)
        #expect(!user.disabled)
        #expect(user.mustChangePassword)
        #expect(user.createdAt == ConsoleFixture.start)
        let reopened = try AccountStore.open(folder: fixture.folder)
        #expect(try reopened.user(id: user.id) == user)
        #expect(try reopened.user(username: "AMINA.B_2-X") == user)
        #expect(try reopened.users() == [user])
        #expect(try reopened.user(username: "nobody") == nil)
    }

    static let badUsernames = ["am", String(repeating: "a", count: 65), "amina b", "amina@mail", "أمينة", "amina/..", ""]

    @Test("a username must be 3–64 characters of a-z 0-9 . _ -", arguments: badUsernames)
    func badUsername(_ name: String) throws {
        let fixture = try ConsoleFixture()
        #expect {
            try fixture.store.addUser(ConsoleFixture.newUser(name), password: ConsoleFixture.password, now: ConsoleFixture.start)
        } throws: { error in
            guard case .invalidUsername = error as? AccountError else { return false }
            return true
        }
        #expect(try fixture.store.users().isEmpty)
    }

    @Test("a username is unique, whatever its case")
    func usernameTaken() throws {
        let fixture = try ConsoleFixture()
        try fixture.addUser("amina")
        #expect {
            try fixture.addUser("AMINA")
        } throws: { error in
            guard case .usernameTaken("amina") = error as? AccountError else { return false }
            return true
        }
        #expect(try fixture.store.users().count == 1)
    }

    @Test("role, language, TLP, agency kind, display name and working groups are checked")
    func badFields() throws {
        let badFields: [(WritableKeyPath<NewUser, String>, String, String)] = [
        (\.role, "admin", "role"), (\.language, "de", "language"), (\.highestTLP, "PURPLE", "highest TLP"),
        (\.agencyKind, "Law Enforcement", "agency kind"), (\.agencyKind, "", "agency kind"),
        (\.displayName, "  ", "display name"), (\.displayName, "Amina\u{202E}evil", "display name"),
    ]
        let fixture = try ConsoleFixture()
        for (field, value, name) in badFields {
            var new = ConsoleFixture.newUser()
            new[keyPath: field] = value
            #expect {
                try fixture.store.addUser(new, password: ConsoleFixture.password, now: ConsoleFixture.start)
            } throws: { error in
                guard case .invalidField(let reported, _, _) = error as? AccountError else { return false }
                return reported == name
            }
        }
        var new = ConsoleFixture.newUser()
        new.workingGroups = ["customs", "border police"]
        #expect(throws: AccountError.self) { try fixture.store.addUser(new, password: ConsoleFixture.password, now: .now) }
        #expect(try fixture.store.users().isEmpty)
    }

    @Test("a password has at least 12 characters and at most 1,024 bytes")
    func passwordBounds() throws {
        let fixture = try ConsoleFixture()
        #expect {
            try fixture.store.addUser(ConsoleFixture.newUser(), password: "short pass!", now: ConsoleFixture.start)
        } throws: { error in
            guard case .passwordTooShort(12) = error as? AccountError else { return false }
            return true
        }
        #expect {
            try fixture.store.addUser(
                ConsoleFixture.newUser(), password: String(repeating: "x", count: 1_025), now: ConsoleFixture.start)
        } throws: { error in
            guard case .passwordTooLong(1_024) = error as? AccountError else { return false }
            return true
        }
        // Twelve Arabic letters are 24 bytes and twelve characters: enough.
        try fixture.store.addUser(ConsoleFixture.newUser(), password: String(repeating: "ب", count: 12), now: .now)
    }

    @Test("the stored password is an argon2id hash, never the password")
    func passwordStoredHashed() throws {
        let fixture = try ConsoleFixture()
        try fixture.addUser()
        let values = try fixture.values(of: "account").compactMap { String.fromDatabaseValue($0) }
        #expect(!values.contains { $0.contains(ConsoleFixture.password) })
        #expect(values.contains { $0.hasPrefix("$argon2id$") })
    }

    @Test("a generated password is 20 random base32 characters in four groups, and accepted as a password")
    func generatedPassword() throws {
        let fixture = try ConsoleFixture()
        let passwords = (0..<200).map { _ in fixture.store.generatePassword() }
        #expect(Set(passwords).count == 200)
        for password in passwords {
            let groups = password.split(separator: "-")
            #expect(groups.count == 4 && groups.allSatisfy { $0.count == 5 }, "\(password)")
            #expect(password.replacingOccurrences(of: "-", with: "").allSatisfy { "0123456789abcdefghjkmnpqrstvwxyz".contains($0) })
        }
        // Every character of the alphabet appears across 4,000 draws.
        #expect(Set(passwords.joined().filter { $0 != "-" }).count == 32)
        let user = try fixture.store.addUser(ConsoleFixture.newUser(), password: passwords[0], now: ConsoleFixture.start)
        #expect(try fixture.store.authenticate(username: "amina", password: passwords[0], from: "192.0.2.1", now: .now) == .signedIn(user))
    }

    @Test("disabling and enabling an account; an unknown account number is an error")
    func disable() throws {
        let fixture = try ConsoleFixture()
        let user = try fixture.addUser()
        try fixture.store.setDisabled(true, of: user.id)
        #expect(try fixture.store.user(id: user.id)?.disabled == true)
        try fixture.store.setDisabled(false, of: user.id)
        #expect(try fixture.store.user(id: user.id)?.disabled == false)
        #expect {
            try fixture.store.setDisabled(true, of: 99)
        } throws: { error in
            guard case .noSuchUser(99) = error as? AccountError else { return false }
            return true
        }
    }
}
