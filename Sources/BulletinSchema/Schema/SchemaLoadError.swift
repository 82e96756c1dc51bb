/// Why the schema files could not be loaded. Each case names the file (relative to the schema
/// directory) and, where it applies, the JSON pointer inside it, so the file can be fixed directly.
public enum SchemaLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No schema directory was found; `searched` lists every place tried, in order.
    case notFound(searched: [String])
    /// An explicitly given directory (argument or `BORDERNET_SCHEMAS`) has no `bulletin.schema.json`.
    case notASchemaDirectory(path: String, source: String)
    /// A file could not be read.
    case unreadable(file: String, reason: String)
    /// A file is not valid JSON.
    case malformedJSON(file: String, error: JSONParseError)
    /// A schema uses a keyword BorderNet does not implement.
    case unsupportedKeyword(file: String, pointer: String, keyword: String)
    /// A keyword's value is not of the form BorderNet supports.
    case invalidKeywordValue(file: String, pointer: String, keyword: String, expected: String)
    /// `$schema` is missing or not draft 2020-12.
    case wrongDialect(file: String, found: String?)
    /// `x-schema-version` is missing, malformed, differs from `bulletin.schema.json`, or is not in `$id`.
    case versionMismatch(file: String, detail: String)
    /// A `$ref` points to no compiled schema.
    case unresolvedReference(file: String, pointer: String, reference: String)
    /// `$ref`/`allOf`/`oneOf` loop back to the same schema without consuming any value.
    case referenceCycle(location: String)
    /// A field or type lacks a label or description in one of the working languages.
    case missingTranslations(file: String, pointer: String, keyword: String)
    /// An `enum` lacks the ar/fr/en label (`x-enum-labels`) of these values.
    case missingValueLabels(file: String, pointer: String, values: [String])
    /// A reference list under `reference/` is malformed or disagrees with the schema naming its codes.
    case referenceListMismatch(file: String, detail: String)
    /// The incident-type enumeration in `bulletin.schema.json` and the files under `incidents/` differ.
    case incidentTypesMismatch(onlyInEnumeration: [String], onlyAsFiles: [String])
    /// An incident file's `x-incident-type` or `$id` does not match its file name.
    case incidentFileMismatch(file: String, detail: String)

    public var description: String {
        switch self {
        case .notFound(let searched):
            return "no schema directory found (a folder containing bulletin.schema.json); searched: "
                + searched.joined(separator: ", ")
                + ". Pass --schemas DIR or set BORDERNET_SCHEMAS."
        case let .notASchemaDirectory(path, source):
            return "\(path) (from \(source)) does not contain bulletin.schema.json; point it at the Schemas directory"
        case let .unreadable(file, reason):
            return "\(file): cannot be read: \(reason)"
        case let .malformedJSON(file, error):
            return "\(file): not valid JSON: \(error)"
        case let .unsupportedKeyword(file, pointer, keyword):
            return "\(file)#\(pointer): keyword \"\(keyword)\" is not implemented by BorderNet; "
                + "use only the keywords listed in docs/SCHEMAS.md or implement it in BulletinSchema first"
        case let .invalidKeywordValue(file, pointer, keyword, expected):
            return "\(file)#\(pointer): \"\(keyword)\" must be \(expected)"
        case let .wrongDialect(file, found):
            return "\(file): \"$schema\" must be \"\(SchemaKeyword.dialect)\", found \(found.map { "\"\($0)\"" } ?? "nothing")"
        case let .versionMismatch(file, detail):
            return "\(file): schema version problem: \(detail)"
        case let .unresolvedReference(file, pointer, reference):
            return "\(file)#\(pointer): \"$ref\": \"\(reference)\" points to no schema loaded from this directory"
        case .referenceCycle(let location):
            return "\(location): $ref/allOf/oneOf loop back to this schema without reaching a value"
        case let .missingTranslations(file, pointer, keyword):
            return "\(file)#\(pointer): \"\(keyword)\" must give non-empty \"ar\", \"fr\" and \"en\" texts"
        case let .missingValueLabels(file, pointer, values):
            let shown = values.count <= 8 ? values.joined(separator: ", ") : values.prefix(8).joined(separator: ", ") + ", … (\(values.count))"
            return "\(file)#\(pointer): every value of \"enum\" needs its \"ar\", \"fr\" and \"en\" labels in \"x-enum-labels\"; missing for \(shown)"
        case let .referenceListMismatch(file, detail):
            return "\(file): \(detail)"
        case let .incidentTypesMismatch(onlyInEnumeration, onlyAsFiles):
            return "bulletin.schema.json#/properties/incidentType/enum and incidents/*.schema.json differ: "
                + "listed without a file: \(onlyInEnumeration.joined(separator: ", ")); "
                + "files not listed: \(onlyAsFiles.joined(separator: ", "))"
        case let .incidentFileMismatch(file, detail):
            return "\(file): \(detail)"
        }
    }
}
