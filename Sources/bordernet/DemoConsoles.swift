import ConsoleAccounts
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The web consoles `make run` starts beside the demo region: Morocco's (a liaison officer who
/// writes in Arabic) and Algeria's (a liaison officer in French and a customs reader in Arabic),
/// each its own `console serve` process with its own folder under the demo's, with fresh one-time
/// passwords printed for the people (docs/CONSOLE.md); and, when the demo's secretariat folder holds
/// a `collected.sqlite` (`bordernet audit collect` was run on it), the secretariat's console
/// (`--secretariat`) with an auditor.
struct DemoConsoles {
    struct Person {
        let username: String
        let name: String
        let role: String
        let groups: [String]
        let tlp: String
        let language: String
    }

    struct Console {
        /// `ma`, `dz`, or `secretariat`.
        let state: String
        let port: Int
        let people: [Person]
        /// The secretariat's console: `--secretariat DIR/secretariat` instead of a node's `--data`.
        var secretariat = false
    }

    struct Started {
        let state: String
        let url: String
        let process: Process
        let passwords: [(Person, String)]
    }

    static func plan(basePort: Int, withSecretariat: Bool = false) -> [Console] {
        let auditor = Console(
            state: "secretariat", port: basePort + 32,
            people: [Person(username: "auditor", name: "Auditrice du secrétariat", role: "auditor", groups: [], tlp: "CLEAR", language: "fr")],
            secretariat: true)
        return [
            Console(state: "ma", port: basePort + 30, people: [
                Person(username: "officer", name: "ضابط الاتصال — الرباط", role: "officer", groups: ["security", "customs"], tlp: "RED", language: "ar"),
                Person(username: "operator", name: "Node operator — Rabat", role: "operator", groups: [], tlp: "CLEAR", language: "en"),
            ]),
            Console(state: "dz", port: basePort + 31, people: [
                Person(username: "officer", name: "Officier de liaison — Alger", role: "officer", groups: ["security", "customs"], tlp: "RED", language: "fr"),
                Person(username: "customs", name: "قارئ الجمارك", role: "reader", groups: ["customs"], tlp: "AMBER", language: "ar"),
            ]),
        ] + (withSecretariat ? [auditor] : [])
    }

    /// Creates (or resets the passwords of) the demo people and starts each console; a console
    /// that cannot start is reported and skipped, the region keeps running.
    static func start(region: URL, executable: URL, schemas: URL, basePort: Int, say: (String) -> Void) -> [Started] {
        var started: [Started] = []
        let collection = region.appendingPathComponent("secretariat").appendingPathComponent("collected.sqlite")
        for console in plan(basePort: basePort, withSecretariat: FileManager.default.fileExists(atPath: collection.path)) {
            let folder = region.appendingPathComponent("console-\(console.state)")
            do {
                let accounts = try AccountStore.open(folder: folder)
                var passwords: [(Person, String)] = []
                for person in console.people {
                    let password = accounts.generatePassword()
                    if let existing = try accounts.user(username: person.username) {
                        try accounts.setPassword(password, of: existing.id, mustChange: false, now: Date())
                    } else {
                        _ = try accounts.addUser(
                            NewUser(
                                username: person.username, displayName: person.name, role: person.role, workingGroups: person.groups,
                                highestTLP: person.tlp, agencyKind: "law-enforcement", language: person.language, mustChangePassword: false),
                            password: password, now: Date())
                    }
                    passwords.append((person, password))
                }
                let process = Process()
                process.executableURL = executable
                let source = console.secretariat ? "--secretariat" : "--data"
                process.arguments = [
                    "console", "serve", source, region.appendingPathComponent(console.state).path, "--console-data", folder.path,
                    "--port", String(console.port), "--schemas", schemas.path,
                ]
                let log = folder.appendingPathComponent("console.log")
                if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
                let handle = try FileHandle(forWritingTo: log)
                _ = try handle.seekToEnd()
                process.standardOutput = handle
                process.standardError = handle
                process.standardInput = FileHandle.nullDevice
                try process.run()
                started.append(Started(state: console.state, url: "http://127.0.0.1:\(console.port)", process: process, passwords: passwords))
            } catch {
                say("The \(console.state.uppercased()) console did not start: \(error)")
            }
        }
        return started
    }

    /// Stops each console (SIGTERM, then SIGKILL after 5 s) and waits for it.
    static func stop(_ consoles: [Started]) {
        for console in consoles where console.process.isRunning {
            console.process.terminate()
        }
        for console in consoles {
            let deadline = Date().addingTimeInterval(5)
            while console.process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if console.process.isRunning { kill(console.process.processIdentifier, SIGKILL) }
            console.process.waitUntilExit()
        }
    }
}
