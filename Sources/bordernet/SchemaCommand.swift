import ArgumentParser

/// `bordernet schema`: the incident types a bulletin may report, and validation of bulletins
/// against them.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "List the incident types, show their fields, validate bulletins.",
        discussion: """
            A bulletin is JSON: the common fields of Schemas/bulletin.schema.json plus a `details` \
            object that follows Schemas/incidents/<type>.schema.json. Labels and messages exist in \
            Arabic, French and English (--lang ar|fr|en).

            The schema directory is found in this order: --schemas DIR; the BORDERNET_SCHEMAS \
            environment variable; <executable>/../share/bordernet/schemas; a Schemas/ folder in \
            the current directory or a parent; a Schemas/ folder above the executable.

            Examples:
              bordernet schema list --lang ar
              bordernet schema show document-fraud --lang fr
              bordernet schema validate Schemas/examples/*.json
            """,
        subcommands: [SchemaListCommand.self, SchemaShowCommand.self, SchemaValidateCommand.self]
    )
}
