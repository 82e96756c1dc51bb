import BulletinSchema
import Foundation
import Testing

@Suite("every enumerated value is labelled, and readers see labels, not codes")
struct ValueLabelTests {
    static let twoValues = #""enum": ["a", "b"]"#
    static let labelsOfBoth = #""x-enum-labels": {"a": {"ar": "ألف", "fr": "Premier", "en": "First"}, "b": {"ar": "باء", "fr": "Second", "en": "Second"}}"#

    @Test("an enum without x-enum-labels is refused, naming the values")
    func missingLabels() throws {
        let schemas = try ProbeSchemas(field: "{\(Self.twoValues)}")
        defer { schemas.remove() }
        #expect(throws: SchemaLoadError.missingValueLabels(file: "incidents/probe.schema.json", pointer: "/properties/v/x-enum-labels", values: ["a", "b"])) {
            try schemas.load()
        }
    }

    @Test("a value without its label in one language is refused")
    func missingOneLanguage() throws {
        let schemas = try ProbeSchemas(field: #"{"enum": ["a", "b"], "x-enum-labels": {"a": {"ar": "ألف", "fr": "Premier", "en": "First"}, "b": {"ar": "باء", "en": "Second"}}}"#)
        defer { schemas.remove() }
        #expect(throws: SchemaLoadError.missingValueLabels(file: "incidents/probe.schema.json", pointer: "/properties/v/x-enum-labels", values: ["b"])) {
            try schemas.load()
        }
    }

    @Test("a label for a value the enum does not have is refused, and so are labels without an enum")
    func strayLabels() throws {
        let extra = try ProbeSchemas(field: #"{"enum": ["a"], "x-enum-labels": {"a": {"ar": "ألف", "fr": "A", "en": "A"}, "z": {"ar": "ز", "fr": "Z", "en": "Z"}}}"#)
        defer { extra.remove() }
        let alone = try ProbeSchemas(field: #"{"type": "string", "x-enum-labels": {}}"#)
        defer { alone.remove() }
        for schemas in [extra, alone] {
            do {
                _ = try schemas.load()
                Issue.record("stray labels accepted")
            } catch {
                guard case .invalidKeywordValue(_, _, "x-enum-labels", _) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
            }
        }
    }

    @Test("schema show's description carries each value with its label")
    func allowedValuesCarryLabels() throws {
        let schemas = try ProbeSchemas(field: "{\(Self.twoValues), \(Self.labelsOfBoth)}")
        defer { schemas.remove() }
        let field = try #require(try schemas.load().incidentType("probe")?.fields.first)
        #expect(field.allowedValues.map(\.value) == ["a", "b"])
        #expect(field.allowedValues.map { $0.labels[.ar] } == ["ألف", "باء"])
    }

    @Test("a member given only by $ref takes its target's labels; an unlabelled target is refused")
    func labelsThroughReference() throws {
        let labelled = try ProbeSchemas(
            field: ##"{"type": "object", "properties": {"w": {"$ref": "#/$defs/named"}}}"##,
            definitions: #"{"named": {"type": "string", "x-labels": {"ar": "اسم", "fr": "Nom", "en": "Name"}, "x-descriptions": {"ar": "اسم", "fr": "Nom", "en": "Name"}}}"#)
        defer { labelled.remove() }
        let field = try #require(try labelled.load().incidentType("probe")?.fields.first?.fields.first)
        #expect(field.name == "w" && field.labels[.fr] == "Nom")

        let unlabelled = try ProbeSchemas(
            field: ##"{"type": "object", "properties": {"w": {"$ref": "#/$defs/bare"}}}"##,
            definitions: #"{"bare": {"type": "string"}}"#)
        defer { unlabelled.remove() }
        #expect(throws: SchemaLoadError.missingTranslations(file: "incidents/probe.schema.json", pointer: "/properties/v/properties/w", keyword: "x-labels/x-descriptions")) {
            try unlabelled.load()
        }
    }

    @Test("labelled details show enumerated values by their label and free text as sent")
    func labelledDetails() throws {
        let schemas = try ProbeSchemas(
            field: #"{"type": "object", "properties": {"kind": {"enum": ["a", "b"], \#(Self.labelsOfBoth), "x-labels": {"ar": "النوع", "fr": "Nature", "en": "Kind"}, "x-descriptions": {"ar": "ن", "fr": "N", "en": "K"}}, "kinds": {"type": "array", "items": {"enum": ["a", "b"], \#(Self.labelsOfBoth)}, "x-labels": {"ar": "الأنواع", "fr": "Natures", "en": "Kinds"}, "x-descriptions": {"ar": "ن", "fr": "N", "en": "K"}}, "note": {"type": "string", "x-labels": {"ar": "ملاحظة", "fr": "Note", "en": "Note"}, "x-descriptions": {"ar": "م", "fr": "N", "en": "N"}}}}"#)
        defer { schemas.remove() }
        let catalog = try schemas.load()
        let bulletin = try JSONParser().parse(ProbeSchemas.bulletin(#"{"note": "texte libre", "kinds": ["b", "a"], "kind": "a"}"#))
        let lines = catalog.labelledDetails(of: bulletin, in: .ar)
        #expect(lines.contains(LabelledValue(depth: 1, label: "النوع", value: "ألف")))
        #expect(lines.contains(LabelledValue(depth: 1, label: "الأنواع", value: "باء, ألف")))
        #expect(lines.contains(LabelledValue(depth: 1, label: "ملاحظة", value: "texte libre")))
    }

    @Test("Arabic messages make the noun agree with the number", arguments: [
        (1, "حرف واحد"), (2, "حرفان"), (3, "3 أحرف"), (10, "10 أحرف"), (11, "11 حرفًا"), (99, "99 حرفًا"),
        (100, "100 حرف"), (103, "103 أحرف"), (120, "120 حرفًا"), (1000, "1000 حرف"),
    ])
    func arabicAgreement(count: Int, phrase: String) {
        let message = ValidationReason.tooShort(minimum: count, found: 0).message(in: .ar)
        #expect(message.hasPrefix("المتوقع \(phrase) على الأقل"), "\(message)")
    }
}
