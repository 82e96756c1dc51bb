import ConsoleAccounts
import Foundation
import LocalFiles
import Testing

/// `bordernet console user …` as an operator runs it: real `bordernet` processes on a console
/// folder in a temporary directory, checked through the account store they write.
@Suite("bordernet console user")
struct ConsoleCommandTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-console-cli-\(UUID().uuidString.prefix(8))")
    var folder: URL { root.appendingPathComponent("console") }

    /// Runs `bordernet` with `input` on standard input; status, standard output and error.
    func run(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = RegionHarness.executable
        process.arguments = arguments
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        standardInput.fileHandleForWriting.write(Data(input.utf8))
        try standardInput.fileHandleForWriting.close()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self), String(decoding: errorText, as: UTF8.self))
    }

    var add: [String] {
        [
            "console", "user", "add", "--console-data", folder.path, "--username", "amina", "--name", "Amina B.", "--role",
            "reader", "--working-groups", "customs,Security", "--tlp", "tlp:amber", "--agency", "law-enforcement", "--lang",
            "AR", "--arabic-digits",
        ]
    }

    @Test("user add prints a one-time password once, on its last line, that signs in and must be replaced; the folder is 0700 and the file 0600")
    func addPrintsPassword() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let (status, output, error) = try run(add)
        #expect(status == 0, "\(output)\(error)")
        let password = try #require(output.split(separator: "\n").last.map(String.init))
        #expect(password.count == 23, "\(output)")
        #expect(output.contains("Console user amina (number 1, reader) added to \(folder.path)/console.sqlite"))
        let accounts = try AccountStore.open(folder: folder)
        let user = try #require(try accounts.user(username: "amina"))
        #expect(user.workingGroups == ["customs", "security"] && user.highestTLP == "AMBER" && user.language == "ar")
        #expect(user.arabicDigits && user.mustChangePassword && user.agencyKind == "law-enforcement")
        #expect(try accounts.authenticate(username: "amina", password: password, from: "192.0.2.1", now: Date()) == .signedIn(user))
        #expect(LocalFile.permissions(of: folder.path)?.rawValue == 0o700)
        #expect(LocalFile.permissions(of: accounts.path)?.rawValue == 0o600)

        // The same username again is refused, saying what to do.
        let again = try run(add)
        #expect(again.status == 1)
        #expect(again.error.contains("an account named 'amina' already exists"), "\(again.error)")
    }

    @Test("--password-stdin reads the password and prints nothing secret; list --json shows every field and no hash")
    func passwordFromStandardInput() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let (status, output, error) = try run(add + ["--password-stdin"], input: "a passphrase of my own\n")
        #expect(status == 0, "\(output)\(error)")
        #expect(!output.contains("One-time password"))
        let accounts = try AccountStore.open(folder: folder)
        #expect(try accounts.authenticate(username: "amina", password: "a passphrase of my own", from: "192.0.2.1", now: Date()) != .refused)

        let short = try run(add.map { $0 == "amina" ? "karim" : $0 } + ["--password-stdin"], input: "short\n")
        #expect(short.status == 1 && short.error.contains("the password is too short: at least 12 characters"), "\(short.error)")

        let list = try run(["console", "user", "list", "--console-data", folder.path, "--json"])
        #expect(list.status == 0)
        let users = try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]]
        #expect(users?.count == 1)
        #expect(users?.first?["username"] as? String == "amina")
        #expect(users?.first?["workingGroups"] as? [String] == ["customs", "security"])
        #expect((users?.first?["createdAt"] as? String)?.hasSuffix("Z") == true)
        #expect(!list.output.contains("argon2"))
        let text = try run(["console", "user", "list", "--console-data", folder.path])
        #expect(text.output == "amina  #1  reader  TLP:AMBER  customs,security  law-enforcement  ar  one-time password\n")
    }

    @Test("disable ends sign-in, enable restores it; password gives a new one-time password and the old one stops working")
    func disableAndPassword() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try run(add)
        let oldPassword = try #require(first.output.split(separator: "\n").last.map(String.init))
        #expect(try run(["console", "user", "disable", "--console-data", folder.path, "amina"]).status == 0)
        let accounts = try AccountStore.open(folder: folder)
        #expect(try accounts.authenticate(username: "amina", password: oldPassword, from: "192.0.2.1", now: Date()) == .refused)
        #expect(try run(["console", "user", "enable", "--console-data", folder.path, "amina"]).status == 0)

        let reset = try run(["console", "user", "password", "--console-data", folder.path, "amina"])
        #expect(reset.status == 0, "\(reset.error)")
        let newPassword = try #require(reset.output.split(separator: "\n").last.map(String.init))
        #expect(newPassword != oldPassword)
        #expect(try accounts.authenticate(username: "amina", password: oldPassword, from: "192.0.2.2", now: Date()) == .refused)
        #expect(try accounts.authenticate(username: "amina", password: newPassword, from: "192.0.2.2", now: Date()) != .refused)

        let unknown = try run(["console", "user", "disable", "--console-data", folder.path, "nobody"])
        #expect(unknown.status == 1 && unknown.error.contains("no console account is named 'nobody'"), "\(unknown.error)")
    }

    @Test("reset-second-factor removes the account's keys and recovery codes and ends its sessions, prints what it did, keeps the password; --help says what it is for")
    func resetSecondFactor() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try run(add + ["--password-stdin"], input: "a passphrase of my own\n").status == 0)
        let accounts = try AccountStore.open(folder: folder)
        let user = try #require(try accounts.user(username: "amina"))
        _ = try accounts.addSecurityKey(
            NewSecurityKey(credentialID: [1, 2, 3], publicKey: [0xa4], signCount: 0, aaguid: Array(repeating: 0, count: 16), name: "blue key"),
            to: user.id, now: Date())
        _ = try accounts.firstRecoveryCodes(for: user.id, now: Date())
        let session = try accounts.createSession(for: user, now: Date())

        let text = try run(["console", "user", "reset-second-factor", "--console-data", folder.path, "amina"])
        #expect(text.status == 0, "\(text.error)")
        #expect(
            text.output.contains("Console user amina: 1 security key(s) and 10 recovery code(s) removed, 1 session(s) and 0 pending sign-in(s) ended"),
            "\(text.output)")
        #expect(try accounts.securityKeys(of: user.id).isEmpty && accounts.unusedRecoveryCodeCount(of: user.id) == 0)
        #expect(try accounts.session(token: session.token, now: Date()) == nil)
        #expect(try accounts.authenticate(username: "amina", password: "a passphrase of my own", from: "192.0.2.1", now: Date()) != .refused)

        let json = try run(["console", "user", "reset-second-factor", "--console-data", folder.path, "amina", "--json"])
        #expect(json.status == 0, "\(json.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["username"] as? String == "amina")
        #expect((object["removed"] as? [String: Int]) == ["securityKeys": 0, "recoveryCodes": 0, "sessions": 0, "pendingSignIns": 0])

        let unknown = try run(["console", "user", "reset-second-factor", "--console-data", folder.path, "nobody"])
        #expect(unknown.status == 1 && unknown.error.contains("no console account is named 'nobody'"), "\(unknown.error)")

        let help = try run(["console", "user", "reset-second-factor", "--help"])
        let words = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.status == 0 && words.contains("lost their security key") && words.contains("--json"), "\(words)")
        let group = try run(["console", "user", "--help"])
        #expect(group.output.contains("reset-second-factor"), "\(group.output)")
    }

    @Test("a node's data folder is refused as the console's")
    func nodeFolderRefused() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("keys"), withIntermediateDirectories: true)
        let (status, _, error) = try run(add)
        #expect(status == 1)
        #expect(error.contains("is a node's data folder"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("console.sqlite").path))
    }

    static let refused: [([String], String)] = [
        (["--role", "admin"], "Please provide one of 'officer', 'reader', 'operator' or 'auditor'."),
        (["--tlp", "PURPLE"], "Please provide one of 'CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT' or 'RED'."),
        (["--lang", "de"], "Please provide one of 'ar', 'fr' or 'en'."),
        (["--working-groups", "customs,,security"], "The value 'customs,,security' is invalid for '--working-groups <groups>'"),
        (["--working-groups", "border police"], "is invalid for '--working-groups <groups>'"),
    ]

    @Test("a wrong value is refused before the folder is touched (status 64)", arguments: refused)
    func refusedValue(_ extra: [String], _ expected: String) throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let (status, _, error) = try run(add + extra)
        #expect(status == 64, "\(error)")
        #expect(error.contains(expected), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test(
        "console serve refuses a --public-origin that is not http(s)://HOST[:PORT] (status 64), before opening anything",
        arguments: ["ftp://console.example", "https://console.example/path", "console.example", "https://user@console.example", "https://console.example?x=1"])
    func publicOriginRefused(_ origin: String) throws {
        let (status, _, error) = try run(
            ["console", "serve", "--data", root.appendingPathComponent("node").path, "--console-data", folder.path, "--public-origin", origin])
        #expect(status == 64, "\(error)")
        #expect(error.contains("--public-origin \(origin)"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test("the help names the default folder, the environment variable and --password-stdin")
    func help() throws {
        let (status, output, _) = try run(["console", "user", "add", "--help"])
        #expect(status == 0)
        let helpWords = output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in ["/var/lib/bordernet-console", "BORDERNET_CONSOLE_DATA", "--password-stdin", "one-time password"] {
            #expect(helpWords.contains(text), "\(text)")
        }
        let group = try run(["console", "--help"])
        // ArgumentParser wraps the help at the terminal's width.
        let words = group.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("user") && words.contains("never the node's data folder"), "\(words)")
    }

    @Test("console agency: add prints a token once that the store accepts; RED needs --named-for-red; list never shows a token; renew replaces it; revoke ends it; wrong values stop with 64")
    func agencies() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let add = [
            "console", "agency", "add", "ma-customs", "--console-data", folder.path, "--working-groups", "security,customs", "--tlp-max", "amber",
            "--kind", "law-enforcement",
        ]
        let added = try run(add)
        #expect(added.status == 0, "\(added.output)\(added.error)")
        #expect(added.output.contains("shown only now"), "\(added.output)")
        let token = try #require(added.output.split(separator: "\n").last.map(String.init))
        #expect(token.hasPrefix("bnt_") && token.count == 47, "\(added.output)")
        let accounts = try AccountStore.open(folder: folder)
        let agency = try #require(try accounts.agency(token: token, now: Date()))
        #expect(agency.name == "ma-customs" && agency.workingGroups == ["customs", "security"] && agency.highestTLP == "AMBER")
        // The default expiry is 90 days.
        #expect(abs(agency.expiresAt.timeIntervalSince(agency.createdAt) - 90 * 86_400) < 1)

        let redRefused = try run([
            "console", "agency", "add", "ma-dgsn", "--console-data", folder.path, "--working-groups", "security", "--tlp-max", "red", "--kind",
            "intelligence",
        ])
        #expect(redRefused.status == 64 && redRefused.error.contains("--named-for-red"), "\(redRefused.error)")
        let red = try run([
            "console", "agency", "add", "ma-dgsn", "--console-data", folder.path, "--working-groups", "security", "--tlp-max", "red",
            "--named-for-red", "--kind", "intelligence", "--expires", "2099-01-01", "--json",
        ])
        // 2099 is more than 5 years away: refused by the store, saying why.
        #expect(red.status == 1 && red.error.contains("at most 1827 days"), "\(red.error)")
        let redJSON = try run([
            "console", "agency", "add", "ma-dgsn", "--console-data", folder.path, "--working-groups", "security", "--tlp-max", "red",
            "--named-for-red", "--kind", "intelligence", "--expires", "30d", "--json",
        ])
        #expect(redJSON.status == 0 && redJSON.output.contains(#""highestTLP" : "RED""#) && redJSON.output.contains(#""token" : "bnt_"#), "\(redJSON)")

        let list = try run(["console", "agency", "list", "--console-data", folder.path])
        #expect(list.output.contains("ma-customs  #1  active  TLP:AMBER  customs,security  law-enforcement"), "\(list.output)")
        #expect(list.output.contains("never used") || list.output.contains("last used"))
        let listJSON = try run(["console", "agency", "list", "--console-data", folder.path, "--json"])
        #expect(!list.output.contains("bnt_") && !listJSON.output.contains("bnt_") && listJSON.output.contains(#""status" : "active""#))

        let renewed = try run(["console", "agency", "renew", "ma-customs", "--console-data", folder.path, "--expires", "10d"])
        let newToken = try #require(renewed.output.split(separator: "\n").last.map(String.init))
        #expect(renewed.status == 0 && newToken != token && newToken.hasPrefix("bnt_"), "\(renewed)")
        #expect(try accounts.agency(token: token, now: Date()) == nil)
        #expect(try accounts.agency(token: newToken, now: Date())?.id == agency.id)

        #expect(try run(["console", "agency", "revoke", "ma-customs", "--console-data", folder.path]).status == 0)
        #expect(try accounts.agency(token: newToken, now: Date()) == nil)
        let again = try run(add)
        #expect(again.status == 1 && again.error.contains("exists already"), "\(again.error)")
        let renewRevoked = try run(["console", "agency", "renew", "ma-customs", "--console-data", folder.path])
        #expect(renewRevoked.status == 1 && renewRevoked.error.contains("revocation is final"), "\(renewRevoked.error)")
        #expect(try run(["console", "agency", "revoke", "nobody", "--console-data", folder.path]).status == 1)

        for wrong in [
            ["--working-groups", "navy", "--tlp-max", "amber", "--kind", "other"], ["--working-groups", "customs", "--tlp-max", "purple", "--kind", "other"],
            ["--working-groups", "customs", "--tlp-max", "amber", "--kind", "police"],
            ["--working-groups", "customs", "--tlp-max", "amber", "--kind", "other", "--expires", "3000d"],
            ["--working-groups", "customs", "--tlp-max", "amber", "--kind", "other", "--named-for-red"],
        ] {
            let other = root.appendingPathComponent("untouched")
            let result = try run(["console", "agency", "add", "x-agency", "--console-data", other.path] + wrong)
            #expect(result.status == 64, "\(wrong): \(result.error)")
            #expect(!FileManager.default.fileExists(atPath: other.path))
        }
        let help = try run(["console", "agency", "add", "--help"])
        #expect(help.output.contains("named recipient") && help.output.contains("--named-for-red"))
    }
}
