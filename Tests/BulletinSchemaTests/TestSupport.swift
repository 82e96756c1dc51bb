import BulletinSchema
import Foundation
import Testing

/// Where the repository's files are, found from this source file so tests run from any directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas = root.appendingPathComponent("Schemas")
    static let examples = schemas.appendingPathComponent("examples")
    static let invalidExamples = examples.appendingPathComponent("invalid")

    /// The catalog of the repository's `Schemas/`, loaded once.
    static let catalog: Result<SchemaCatalog, SchemaLoadError> = Result { () throws(SchemaLoadError) in
        try SchemaCatalog.load(from: schemas)
    }

    static func loadedCatalog() throws -> SchemaCatalog {
        try catalog.get()
    }

    /// The `.json` files directly inside `folder`, sorted.
    static func jsonFiles(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
    }
}

/// A throw-away schema directory with a minimal bulletin schema, a shared `common.schema.json`
/// and one incident type `probe` whose details hold a single field `v` described by the test.
struct ProbeSchemas {
    let directory: URL

    static let dialect = "https://json-schema.org/draft/2020-12/schema"
    static let base = "https://bordernet.example/schemas/1.1.0/"
    static let labels = #""x-labels": {"ar": "حقل", "fr": "Champ", "en": "Field"}, "x-descriptions": {"ar": "حقل للاختبار", "fr": "Champ de test", "en": "Test field"}"#

    /// Writes the files; `field` is the JSON text of the schema of `details.v` (labels are added),
    /// `definitions` the JSON text of the probe file's `$defs`.
    init(field: String, definitions: String = "{}", probeRootExtra: String = "", bulletinID: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bordernet-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("incidents"), withIntermediateDirectories: true)
        let labels = ProbeSchemas.labels
        let fieldWithLabels: String
        if field.trimmingCharacters(in: .whitespaces) == "{}" {
            fieldWithLabels = "{\(labels)}"
        } else {
            fieldWithLabels = "{\(labels), " + field.trimmingCharacters(in: .whitespaces).dropFirst()
        }
        let bulletin = """
            {"$schema": "\(ProbeSchemas.dialect)", "$id": "\(bulletinID ?? ProbeSchemas.base + "bulletin.schema.json")",
             "x-schema-version": "1.1.0", "type": "object", "additionalProperties": false,
             "required": ["schemaVersion", "incidentType", "details"],
             "properties": {
               "schemaVersion": {"type": "string", \(labels)},
               "id": {"type": "string", \(labels)},
               "tlp": {"type": "string", \(labels)},
               "incidentType": {"type": "string", "enum": ["probe"], "x-enum-labels": {"probe": {"ar": "اختبار", "fr": "Sonde", "en": "Probe"}}, \(labels)},
               "details": {"type": "object", \(labels)}
             }}
            """
        let common = """
            {"$schema": "\(ProbeSchemas.dialect)", "$id": "\(ProbeSchemas.base)common.schema.json", "x-schema-version": "1.1.0",
             "$defs": {"upper": {"type": "string", "pattern": "^[A-Z]+$"}}}
            """
        let probe = """
            {"$schema": "\(ProbeSchemas.dialect)", "$id": "\(ProbeSchemas.base)incidents/probe.schema.json",
             "x-schema-version": "1.1.0", "x-incident-type": "probe", \(labels),
             "type": "object", "additionalProperties": false, \(probeRootExtra)
             "$defs": \(definitions),
             "properties": {"v": \(fieldWithLabels)}}
            """
        try Data(bulletin.utf8).write(to: directory.appendingPathComponent("bulletin.schema.json"))
        try Data(common.utf8).write(to: directory.appendingPathComponent("common.schema.json"))
        try Data(probe.utf8).write(to: directory.appendingPathComponent("incidents/probe.schema.json"))
    }

    func load() throws(SchemaLoadError) -> SchemaCatalog {
        try SchemaCatalog.load(from: directory)
    }

    /// A draft probe bulletin whose `details.v` is the JSON text `value`.
    static func bulletin(_ value: String, version: String = "1.0.0") -> Data {
        Data(#"{"schemaVersion": "\#(version)", "incidentType": "probe", "details": {"v": \#(value)}}"#.utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
