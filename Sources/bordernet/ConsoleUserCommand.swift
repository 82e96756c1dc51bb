import ArgumentParser
import BulletinSchema
import ConsoleAccounts
import Exchange
import Foundation

/// `bordernet console user …`: the console's accounts.
struct ConsoleUserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, list, disable and enable the web console's users, and reset their passwords or security keys.",
        discussion: """
            Each person has an account of their own. A new account, or a reset, gets a one-time \
            password generated from libsodium's random source, printed once: hand it over in \
            person; the console asks for a new password at the first sign-in. Passwords are \
            stored as argon2id hashes only.

            Example:
              bordernet console user add --username amina --name "Amina B." --role reader \\
                  --working-groups customs,security --tlp AMBER --agency law-enforcement --lang ar
              bordernet console user list --json
              bordernet console user password amina
              bordernet console user reset-second-factor amina
              bordernet console user disable amina
            """,
        subcommands: [
            ConsoleUserAddCommand.self, ConsoleUserListCommand.self, ConsoleUserDisableCommand.self,
            ConsoleUserEnableCommand.self, ConsoleUserPasswordCommand.self, ConsoleUserResetSecondFactorCommand.self,
        ])
}

/// `--password-stdin`: the password is the first line of standard input.
struct PasswordInputOption: ParsableArguments {
    @Flag(
        name: .customLong("password-stdin"),
        help: "Read the password from the first line of standard input (at least 12 characters) instead of generating a one-time password.")
    var fromStandardInput = false

    /// The password read, or a generated one (and whether it was generated).
    func password(_ accounts: AccountStore) throws -> (password: String, generated: Bool) {
        guard fromStandardInput else { return (accounts.generatePassword(), true) }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            printError("bordernet: --password-stdin: standard input holds no password (give it on the first line)")
            throw ExitCode(1)
        }
        return (line, false)
    }
}

/// `bordernet console user add --username NAME --name TEXT --role ROLE …`.
struct ConsoleUserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create a console account and print its one-time password once.",
        discussion: """
            The password is printed on the last line (or, with --json, as "oneTimePassword"); \
            the person must replace it at the first sign-in. With --password-stdin the password \
            is read instead and nothing secret is printed.

            What the account may read is decided by the console's clearance policy from --role, \
            --working-groups, --tlp and --agency.

            Example:
              bordernet console user add --console-data /var/lib/bordernet-console \\
                  --username amina --name "Amina B." --role reader --working-groups customs,security \\
                  --tlp AMBER --agency law-enforcement --lang ar --arabic-digits
            """)

    @OptionGroup var consoleData: ConsoleDataOption

    @Option(help: ArgumentHelp("What the person types to sign in: 3–64 characters of a-z 0-9 . _ - (read in lower case).", valueName: "name"))
    var username: String

    @Option(help: ArgumentHelp("The person's name as the console shows it (e.g. \"Amina B.\").", valueName: "text"))
    var name: String

    @Option(help: ArgumentHelp("The person's role in the console.", valueName: "role"))
    var role: ConsoleRoleName

    @Option(
        name: .customLong("working-groups"),
        help: ArgumentHelp("The working groups whose bulletins the person may read, comma-separated (customs,security).", valueName: "groups"))
    var workingGroups: WorkingGroupList?

    @Option(help: ArgumentHelp("The highest TLP the person may read.", valueName: "tlp"))
    var tlp: TLP

    @Option(help: ArgumentHelp("The kind of agency the person works for (e.g. law-enforcement, customs): a-z 0-9 -.", valueName: "kind"))
    var agency: String

    @Option(name: .customLong("lang"), help: ArgumentHelp("The console's language for this person.", valueName: "ar|fr|en"))
    var language: Language = .en

    @Flag(name: .customLong("arabic-digits"), help: "Show numbers in Arabic-Indic digits (٠١٢٣) rather than Western digits.")
    var arabicDigits = false

    @OptionGroup var passwordInput: PasswordInputOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let accounts = try consoleData.openAccounts()
        let (password, generated) = try passwordInput.password(accounts)
        let new = NewUser(
            username: username, displayName: name, role: role.name, workingGroups: workingGroups?.names ?? [],
            highestTLP: tlp.label, agencyKind: agency, language: language.rawValue, arabicDigits: arabicDigits,
            mustChangePassword: true)
        let user = try accountsStep { () throws(AccountError) in try accounts.addUser(new, password: password, now: Date()) }
        if output.json {
            try printConsoleJSON(AddedUser(user: user, oneTimePassword: generated ? password : nil))
        } else {
            print("Console user \(user.username) (number \(user.id), \(user.role)) added to \(accounts.path)")
            if generated {
                print("One-time password (shown once; to be replaced at the first sign-in):")
                print(password)
            }
        }
    }

    private struct AddedUser: Encodable {
        let user: ConsoleUser
        let oneTimePassword: String?
    }
}

/// `bordernet console user list [--json]`.
struct ConsoleUserListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the console's accounts.",
        discussion: """
            One line per account: username, number (#7: the account number the node's audit log \
            records for its sign-ins and bulletin openings), role, highest TLP, working groups, agency kind, \
            language, and whether it is disabled or waits for its one-time password to be \
            replaced. --json prints every field (never a password hash).
            """)

    @OptionGroup var consoleData: ConsoleDataOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let accounts = try consoleData.openAccounts()
        let users = try accountsStep { () throws(AccountError) in try accounts.users() }
        if output.json {
            try printConsoleJSON(users)
            return
        }
        if users.isEmpty {
            print("No console users in \(accounts.path): add one with `bordernet console user add`.")
            return
        }
        for user in users {
            var notes: [String] = []
            if user.disabled { notes.append("disabled") }
            if user.mustChangePassword { notes.append("one-time password") }
            let groups = user.workingGroups.isEmpty ? "-" : user.workingGroups.joined(separator: ",")
            print(
                [user.username, "#\(user.id)", user.role, "TLP:" + user.highestTLP, groups, user.agencyKind, user.language, notes.joined(separator: ", ")]
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}

/// The account named on the command line, or an error naming it.
private func account(named username: String, in accounts: AccountStore) throws -> ConsoleUser {
    try accountsStep { () throws(AccountError) in
        guard let user = try accounts.user(username: username) else { throw .noSuchUsername(username) }
        return user
    }
}

/// `bordernet console user disable USERNAME`.
struct ConsoleUserDisableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable an account: it can no longer sign in, and its sessions end at once.",
        discussion: "`bordernet console user enable` undoes it.")

    @OptionGroup var consoleData: ConsoleDataOption
    @Argument(help: ArgumentHelp("The account's username.", valueName: "username"))
    var username: String

    func run() throws {
        let accounts = try consoleData.openAccounts()
        let user = try account(named: username, in: accounts)
        try accountsStep { () throws(AccountError) in try accounts.setDisabled(true, of: user.id) }
        print("Console user \(user.username) disabled; its sessions have ended")
    }
}

/// `bordernet console user enable USERNAME`.
struct ConsoleUserEnableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", abstract: "Enable an account that was disabled.")

    @OptionGroup var consoleData: ConsoleDataOption
    @Argument(help: ArgumentHelp("The account's username.", valueName: "username"))
    var username: String

    func run() throws {
        let accounts = try consoleData.openAccounts()
        let user = try account(named: username, in: accounts)
        try accountsStep { () throws(AccountError) in try accounts.setDisabled(false, of: user.id) }
        print("Console user \(user.username) enabled")
    }
}

/// `bordernet console user password USERNAME [--password-stdin]`.
struct ConsoleUserPasswordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Give an account a new one-time password (printed once) and end its sessions.",
        discussion: """
            For a person who forgot their password or whose password may be known to others. \
            The new password must be replaced at the next sign-in. With --password-stdin it is \
            read instead of generated.

            Example:
              bordernet console user password amina
            """)

    @OptionGroup var consoleData: ConsoleDataOption
    @Argument(help: ArgumentHelp("The account's username.", valueName: "username"))
    var username: String
    @OptionGroup var passwordInput: PasswordInputOption

    func run() throws {
        let accounts = try consoleData.openAccounts()
        let user = try account(named: username, in: accounts)
        let (password, generated) = try passwordInput.password(accounts)
        try accountsStep { () throws(AccountError) in try accounts.setPassword(password, of: user.id, mustChange: true, now: Date()) }
        print("Console user \(user.username) has a new one-time password; its sessions have ended")
        if generated {
            print("One-time password (shown once; to be replaced at the next sign-in):")
            print(password)
        }
    }
}

/// `bordernet console user reset-second-factor USERNAME [--json]`.
struct ConsoleUserResetSecondFactorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-second-factor",
        abstract: "Remove an account's security keys and recovery codes, and end its sessions and pending sign-ins.",
        discussion: """
            For a person who lost their security key (and their recovery codes): they then sign \
            in with their password alone and register a new key on the console's security page. \
            The password is left as it is; give a new one too with `bordernet console user \
            password` if it may be known to others. Check who is asking first: this removes the \
            account's second factor. What was removed is printed (--json: securityKeys, \
            recoveryCodes, sessions, pendingSignIns under "removed"); operators on the console's users page do \
            the same after typing their own password again, and that is logged by the console.

            Example:
              bordernet console user reset-second-factor amina
            """)

    @OptionGroup var consoleData: ConsoleDataOption
    @Argument(help: ArgumentHelp("The account's username.", valueName: "username"))
    var username: String
    @OptionGroup var output: JSONOption

    func run() throws {
        let accounts = try consoleData.openAccounts()
        let user = try account(named: username, in: accounts)
        let reset = try accountsStep { () throws(AccountError) in try accounts.resetSecondFactor(of: user.id) }
        if output.json {
            try printConsoleJSON(Reset(username: user.username, removed: reset))
            return
        }
        print(
            "Console user \(user.username): \(reset.securityKeys) security key(s) and \(reset.recoveryCodes) recovery code(s) removed, "
                + "\(reset.sessions) session(s) and \(reset.pendingSignIns) pending sign-in(s) ended; "
                + "they sign in with their password alone and register a new key on /security")
    }

    private struct Reset: Encodable {
        let username: String
        let removed: SecondFactorReset
    }
}
