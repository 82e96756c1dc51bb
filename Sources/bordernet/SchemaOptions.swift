import ArgumentParser
import BulletinSchema
import Foundation

/// Options shared by the `schema` subcommands: where the schemas are, which language to print.
struct SchemaOptions: ParsableArguments {
    @Option(name: .customLong("schemas"), help: ArgumentHelp("The schema directory (holding bulletin.schema.json).", valueName: "dir"))
    var directory: String?

    @Option(name: .customLong("lang"), help: ArgumentHelp("Language of labels and messages.", valueName: "ar|fr|en"))
    var language: Language = .en

    @Flag(name: .long, help: "Print JSON for scripts instead of text.")
    var json = false

    /// Finds and loads the catalog, or prints why not to standard error and exits with status 1.
    func loadCatalog() throws -> SchemaCatalog {
        do {
            let url = try SchemaLocator.locate(explicit: directory)
            return try SchemaCatalog.load(from: url)
        } catch {
            printError("bordernet: schemas: \(error)")
            throw ExitCode(1)
        }
    }
}

/// Writes `text` and a newline to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Encodes `value` as pretty, key-sorted JSON with unescaped slashes and non-ASCII text as is.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    print(String(decoding: data, as: UTF8.self))
}
