import ArgumentParser
import ConsoleAccounts
import Foundation

/// `bordernet console …`: the web console's side of the command line. Each area is a subcommand
/// of its own (`serve`, `user`, `agency`).
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Manage the web console: its users and the agency systems' TAXII credentials.",
        discussion: """
            The web console runs as a process of its own, with a folder of its own \
            (--console-data, /var/lib/bordernet-console by default) that holds console.sqlite: \
            its users, sessions and sign-in attempts. It is never the node's data folder, which \
            holds the node's keys: the console cannot read them (docs/CONSOLE.md).
            """,
        subcommands: [ConsoleServeCommand.self, ConsoleUserCommand.self, ConsoleAgencyCommand.self])
}

/// `--console-data DIR`: the web console's own folder.
struct ConsoleDataOption: ParsableArguments {
    /// Where the console keeps its accounts when neither the option nor the environment says.
    static let defaultPath = "/var/lib/bordernet-console"

    @Option(
        name: .customLong("console-data"),
        help: ArgumentHelp(
            "The web console's own folder, holding console.sqlite (created with mode 0700; never the node's data folder); $BORDERNET_CONSOLE_DATA, when set, replaces the default.",
            valueName: "dir"))
    var path: String = ProcessInfo.processInfo.environment["BORDERNET_CONSOLE_DATA"] ?? defaultPath

    /// Opens the console's accounts, printing why not and exiting 1 when they cannot be opened.
    func openAccounts() throws -> AccountStore {
        try accountsStep { () throws(AccountError) in try AccountStore.open(folder: URL(fileURLWithPath: path)) }
    }
}

/// Prints `value` as `printJSON` does, with times as RFC 3339 text.
func printConsoleJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Runs one step on the console's accounts; an ``AccountError`` is printed (it says what to do)
/// and the command exits with status 1.
func accountsStep<T>(_ body: () throws(AccountError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError("bordernet: \(error)")
        throw ExitCode(1)
    }
}
