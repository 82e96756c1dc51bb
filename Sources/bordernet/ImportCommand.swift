import ArgumentParser

/// `bordernet import …`: what other tools wrote, as drafts an officer reviews and posts.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn other tools' files (STIX 2.1) into bulletin drafts an officer reviews and posts.",
        subcommands: [ImportSTIXCommand.self])
}
