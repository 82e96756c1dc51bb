import ArgumentParser
import BulletinSchema

/// `bordernet schema list`: every incident type with its label.
struct SchemaListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the incident types and their labels.",
        discussion: """
            Prints one incident type a line: its identifier (the value of a bulletin's \
            `incidentType`) and its label in the chosen language.

            Examples:
              bordernet schema list
              bordernet schema list --lang ar
              bordernet schema list --json --schemas /usr/local/share/bordernet/schemas
            """
    )

    @OptionGroup var options: SchemaOptions

    private struct Listing: Encodable {
        let schemaVersion: String
        let directory: String
        let incidentTypes: [Entry]
    }

    private struct Entry: Encodable {
        let id: String
        let labels: LocalizedText
        let descriptions: LocalizedText
        let file: String
    }

    func run() async throws {
        let catalog = try options.loadCatalog()
        if options.json {
            try printJSON(
                Listing(
                    schemaVersion: catalog.version.description, directory: catalog.directory.path,
                    incidentTypes: catalog.incidentTypes.map {
                        Entry(id: $0.id, labels: $0.labels, descriptions: $0.descriptions, file: $0.file)
                    }))
            return
        }
        let width = catalog.incidentTypes.map(\.id.count).max() ?? 0
        for type in catalog.incidentTypes {
            let padding = String(repeating: " ", count: width - type.id.count + 2)
            print(type.id + padding + type.labels[options.language])
        }
    }
}
