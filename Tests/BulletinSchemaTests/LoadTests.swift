import BulletinSchema
import Foundation
import Testing

@Suite("loading refuses what it cannot enforce")
struct LoadTests {
    static let unimplemented = [
        "anyOf", "not", "if", "then", "patternProperties", "propertyNames", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "prefixItems", "contains", "dependentRequired", "dependentSchemas", "unevaluatedProperties",
        "$dynamicRef", "$anchor", "contentEncoding", "maxProperties", "x-unknown",
    ]

    @Test("an unimplemented keyword is refused, naming file, pointer and keyword", arguments: unimplemented)
    func unimplementedKeyword(_ keyword: String) throws {
        let schemas = try ProbeSchemas(field: #"{"type": "string", "\#(keyword)": 1}"#)
        defer { schemas.remove() }
        #expect(throws: SchemaLoadError.unsupportedKeyword(file: "incidents/probe.schema.json", pointer: "/properties/v", keyword: keyword)) {
            try schemas.load()
        }
        let message = SchemaLoadError.unsupportedKeyword(file: "incidents/probe.schema.json", pointer: "/properties/v", keyword: keyword).description
        #expect(message.contains("incidents/probe.schema.json#/properties/v") && message.contains(keyword))
    }

    @Test("an unimplemented keyword deep inside items is refused with its pointer")
    func deepKeyword() throws {
        let schemas = try ProbeSchemas(field: #"{"type": "array", "items": {"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string", "anyOf": [], \#(ProbeSchemas.labels)}}}}"#)
        defer { schemas.remove() }
        #expect(throws: SchemaLoadError.unsupportedKeyword(file: "incidents/probe.schema.json", pointer: "/properties/v/items/properties/a", keyword: "anyOf")) {
            try schemas.load()
        }
    }

    @Test("unsupported values of supported keywords are refused", arguments: [
        (#"{"type": "object", "additionalProperties": true}"#, "additionalProperties"),
        (#"{"type": "object", "additionalProperties": {"type": "string"}}"#, "additionalProperties"),
        (#"{"type": "string", "format": "email"}"#, "format"),
        (#"{"type": "string", "x-check": "luhn"}"#, "x-check"),
        (#"{"type": "text"}"#, "type"),
        (#"{"type": "string", "pattern": "(["}"#, "pattern"),
        (#"{"type": "string", "minLength": -1}"#, "minLength"),
        (#"{"type": "string", "minLength": 1.5}"#, "minLength"),
        (#"{"enum": []}"#, "enum"),
        (#"{"items": true}"#, "items"),
    ])
    func invalidValue(schema: String, keyword: String) throws {
        let schemas = try ProbeSchemas(field: schema)
        defer { schemas.remove() }
        do {
            _ = try schemas.load()
            Issue.record("\(schema) was accepted")
        } catch {
            guard case let .invalidKeywordValue(file, _, found, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(file == "incidents/probe.schema.json" && found == keyword)
        }
    }

    @Test("a $ref that points nowhere is refused")
    func unresolvedReference() throws {
        let schemas = try ProbeSchemas(field: ##"{"$ref": "#/$defs/missing"}"##)
        defer { schemas.remove() }
        #expect(throws: SchemaLoadError.unresolvedReference(file: "incidents/probe.schema.json", pointer: "/properties/v/$ref", reference: "#/$defs/missing")) {
            try schemas.load()
        }
    }

    @Test("a $ref cycle that consumes no value is refused")
    func referenceCycle() throws {
        let schemas = try ProbeSchemas(field: ##"{"$ref": "#/$defs/a"}"##, definitions: ##"{"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}"##)
        defer { schemas.remove() }
        do {
            _ = try schemas.load()
            Issue.record("cycle accepted")
        } catch {
            guard case .referenceCycle = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }

    @Test("a recursive schema through a property is fine (it consumes a value each time)")
    func recursionThroughProperty() throws {
        let schemas = try ProbeSchemas(
            field: ##"{"$ref": "#/$defs/node"}"##,
            definitions: ##"{"node": {"type": "object", "additionalProperties": false, "properties": {"next": {"$ref": "#/$defs/node", \##(ProbeSchemas.labels)}}}}"##)
        defer { schemas.remove() }
        let catalog = try schemas.load()
        #expect(catalog.failures(in: ProbeSchemas.bulletin(#"{"next": {"next": {}}}"#), stage: .draft).isEmpty)
        #expect(!catalog.failures(in: ProbeSchemas.bulletin(#"{"next": {"nxt": {}}}"#), stage: .draft).isEmpty)
    }

    @Test("a field without labels in the three languages is refused")
    func missingLabels() throws {
        let schemas = try ProbeSchemas(
            field: #"{"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string", "x-labels": {"fr": "A", "en": "A"}, "x-descriptions": {"ar": "أ", "fr": "A", "en": "A"}}}}"#)
        defer { schemas.remove() }
        #expect(throws: SchemaLoadError.missingTranslations(file: "incidents/probe.schema.json", pointer: "/properties/v/properties/a", keyword: "x-labels")) {
            try schemas.load()
        }
    }

    @Test("an $id without the version is refused")
    func idWithoutVersion() throws {
        let schemas = try ProbeSchemas(field: "{}", bulletinID: "https://bordernet.example/schemas/bulletin.schema.json")
        defer { schemas.remove() }
        do {
            _ = try schemas.load()
            Issue.record("accepted")
        } catch {
            guard case .versionMismatch(let file, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(file == "bulletin.schema.json")
        }
    }

    @Test("a directory without bulletin.schema.json is refused")
    func notASchemaDirectory() {
        #expect(throws: SchemaLoadError.self) {
            try SchemaCatalog.load(from: FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)"))
        }
    }
}
