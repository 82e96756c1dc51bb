import ArgumentParser

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
            InitCommand.self, NodeCommand.self, PostCommand.self, FeedCommand.self, StatusCommand.self,
            RosterCommand.self, SecretariatCommand.self, AuditCommand.self, SchemaCommand.self, DemoCommand.self,
            RegionCommand.self,
        ]
    )
}
