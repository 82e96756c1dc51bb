import ArgumentParser

/// `bordernet export …`: bulletins in the formats of other tools.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write bulletins in the formats agencies' own tools read (STIX 2.1).",
        subcommands: [ExportSTIXCommand.self])
}
