import ArgumentParser
import LocalFiles

/// The `bordernet` command: the one executable that operators, liaison officers and the
/// secretariat use. Each subcommand parses its arguments, calls one function of a lower layer and
/// prints the result.
@main
struct BorderNetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bordernet",
        abstract: "Exchange signed, encrypted border-security bulletins with neighbouring states.",
        discussion: """
            BorderNet is the exchange of the Rabat Declaration on border security: each member \
            state runs a node that signs and encrypts threat bulletins and publishes them over \
            ZeroMQ to the neighbouring states that subscribe. Run `bordernet help <subcommand>` \
            for the details of each command.
            """,
        version: BorderNetVersion.current,
        subcommands: [
            InitCommand.self, NodeCommand.self, PostCommand.self, FeedCommand.self, SearchCommand.self, StatusCommand.self,
            RosterCommand.self, KeysCommand.self, SecretariatCommand.self, AuditCommand.self, SchemaCommand.self, DemoCommand.self,
            RegionCommand.self, ConsoleCommand.self, ExportCommand.self, ImportCommand.self,
            WatchCommand.self, AlertsCommand.self, AttachmentCommand.self,
        ]
    )

    /// Runs the command with the file creation mask at 077: the data folder holds keys and
    /// decrypted bulletins, so every file a command creates (databases and their -wal/-shm,
    /// sockets, metrics, keys, card, roster, drafts, reports) is readable by its user only.
    static func main() async {
        FileCreationMask.restrictToOwner()
        await main(nil)
    }
}
