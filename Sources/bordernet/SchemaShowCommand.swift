import ArgumentParser
import BulletinSchema

/// `bordernet schema show <type>`: the fields of one incident type, or of the common bulletin.
struct SchemaShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the fields of an incident type (or `bulletin` for the common fields).",
        discussion: """
            Prints the type's label and description, then each field of its `details` object: \
            name, label, whether it is required (*), accepted type and values, checks, and \
            description, nested fields indented.

            Examples:
              bordernet schema show drug-trafficking
              bordernet schema show document-fraud --lang ar
              bordernet schema show bulletin --lang fr
              bordernet schema show wanted-person --json
            """
    )

    @Argument(help: "An incident type from `bordernet schema list`, or `bulletin`.")
    var type: String

    @OptionGroup var options: SchemaOptions

    func run() async throws {
        let catalog = try options.loadCatalog()
        let language = options.language
        let shown: IncidentType
        if type == "bulletin" {
            shown = IncidentType(
                id: "bulletin",
                labels: LocalizedText(ar: "الحقول المشتركة للنشرة", fr: "Champs communs du bulletin", en: "Common fields of a bulletin"),
                descriptions: LocalizedText(
                    ar: "الحقول التي تحملها كل نشرة مهما كان نوع الواقعة.",
                    fr: "Champs que porte tout bulletin, quel que soit le type d'incident.",
                    en: "Fields every bulletin carries, whatever the incident type."),
                fields: catalog.bulletinFields, file: "bulletin.schema.json")
        } else if let found = catalog.incidentType(type) {
            shown = found
        } else {
            printError("bordernet: unknown incident type \"\(type)\"; known: bulletin, \(catalog.incidentTypes.map(\.id).joined(separator: ", "))")
            throw ExitCode(1)
        }
        if options.json {
            try printJSON(shown)
            return
        }
        print("\(shown.id) — \(shown.labels[language])")
        print(shown.descriptions[language])
        print("")
        print(Self.fieldsHeading(language, isBulletin: shown.id == "bulletin"))
        for field in shown.fields {
            render(field, indent: "  ", language: language)
        }
    }

    private static func fieldsHeading(_ language: Language, isBulletin: Bool) -> String {
        switch (language, isBulletin) {
        case (.en, true): return "Fields (* required):"
        case (.en, false): return "Fields of details (* required):"
        case (.fr, true): return "Champs (* obligatoire) :"
        case (.fr, false): return "Champs de details (* obligatoire) :"
        case (.ar, true): return "الحقول (* إلزامي):"
        case (.ar, false): return "حقول details (* إلزامي):"
        }
    }

    /// Enumerations up to this size are listed value by value; longer ones (countries,
    /// currencies) are summarised as a count (`--json` gives them all).
    private static let valuesListedInFull = 40

    private func render(_ field: FieldDescription, indent: String, language: Language) {
        var summary = field.types.map(\.rawValue).joined(separator: "|")
        if field.allowedValues.count > Self.valuesListedInFull {
            summary += ": \(field.allowedValues.count) codes"
        }
        if let check = field.check { summary += ", x-check \(check.rawValue)" }
        let mark = field.required ? " *" : ""
        print("\(indent)\(field.name)\(mark)  \(field.labels[language])  [\(summary)]")
        print("\(indent)    \(field.descriptions[language])")
        if !field.allowedValues.isEmpty, field.allowedValues.count <= Self.valuesListedInFull {
            // One value per line with its label: what an Arabic or French reader needs to
            // understand a code such as `wanted-for-arrest`.
            for allowed in field.allowedValues {
                print("\(indent)    · \(allowed.value) — \(allowed.labels[language])")
            }
        }
        for child in field.fields {
            render(child, indent: indent + "    ", language: language)
        }
    }
}
