import BulletinSchema
import Foundation
import Testing

/// One implemented keyword: a schema for `details.v`, a value it accepts, a value it refuses, and
/// the failure expected for the refused value.
struct KeywordCase: Sendable, CustomTestStringConvertible {
    let name: String
    let schema: String
    var definitions = "{}"
    let passing: String
    let failing: String
    let keyword: String
    var pointer = "/details/v"

    var testDescription: String { name }
}

@Suite("keywords: one passing and one failing value each")
struct KeywordTests {
    static let cases: [KeywordCase] = [
        KeywordCase(name: "type integer", schema: #"{"type": "integer"}"#, passing: "3", failing: "3.5", keyword: "type"),
        KeywordCase(name: "type integer accepts 2.0", schema: #"{"type": "integer"}"#, passing: "2.0", failing: "\"2\"", keyword: "type"),
        KeywordCase(name: "type number refuses a boolean", schema: #"{"type": "number"}"#, passing: "2.5", failing: "true", keyword: "type"),
        KeywordCase(name: "type boolean refuses a number", schema: #"{"type": "boolean"}"#, passing: "false", failing: "0", keyword: "type"),
        KeywordCase(name: "type list", schema: #"{"type": ["string", "null"]}"#, passing: "null", failing: "1", keyword: "type"),
        KeywordCase(
            name: "properties", schema: #"{"type": "object", "properties": {"a": {"type": "string", \#(ProbeSchemas.labels)}}}"#,
            passing: #"{"a": "x"}"#, failing: #"{"a": 1}"#, keyword: "type", pointer: "/details/v/a"),
        KeywordCase(
            name: "required", schema: #"{"type": "object", "required": ["a"], "properties": {"a": {"type": "string", \#(ProbeSchemas.labels)}}}"#,
            passing: #"{"a": "x"}"#, failing: "{}", keyword: "required", pointer: "/details/v/a"),
        KeywordCase(
            name: "additionalProperties false",
            schema: #"{"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string", \#(ProbeSchemas.labels)}}}"#,
            passing: #"{"a": "x"}"#, failing: #"{"a": "x", "b": 1}"#, keyword: "additionalProperties", pointer: "/details/v/b"),
        KeywordCase(name: "minProperties", schema: #"{"type": "object", "minProperties": 1}"#, passing: #"{"k": 1}"#, failing: "{}", keyword: "minProperties"),
        KeywordCase(name: "enum", schema: #"{"enum": ["a", "b"], "x-enum-labels": {"a": {"ar": "أ", "fr": "A", "en": "A"}, "b": {"ar": "ب", "fr": "B", "en": "B"}}}"#, passing: "\"a\"", failing: "\"c\"", keyword: "enum"),
        KeywordCase(name: "const (1 equals 1.0)", schema: #"{"const": 1}"#, passing: "1.0", failing: "2", keyword: "const"),
        KeywordCase(
            name: "pattern $ is the end of the input, not before a final line feed",
            schema: #"{"type": "string", "pattern": "^[A-Z]+$", "x-text": "multiline"}"#, passing: "\"ABC\"", failing: #""ABC\n""#, keyword: "pattern"),
        KeywordCase(
            name: "pattern $ inside a class or escaped stays literal",
            schema: #"{"type": "string", "pattern": "^[$]a\\$$", "x-text": "multiline"}"#, passing: "\"$a$\"", failing: #""$a$\n""#, keyword: "pattern"),
        KeywordCase(name: "x-text single-line by default", schema: #"{"type": "string"}"#, passing: "\"a b\"", failing: #""a\nb""#, keyword: "x-text"),
        KeywordCase(name: "x-text multiline allows LF and TAB, not CR", schema: #"{"type": "string", "x-text": "multiline"}"#, passing: #""a\n\tb""#, failing: #""a\r\nb""#, keyword: "x-text"),
        KeywordCase(
            name: "x-text multiline through $ref", schema: ##"{"$ref": "#/$defs/story"}"##, definitions: #"{"story": {"type": "string", "x-text": "multiline"}}"#,
            passing: #""a\nb""#, failing: #""a\u202eb""#, keyword: "x-text"),
        KeywordCase(
            name: "x-ordered numbers",
            schema: #"{"type": "object", "x-ordered": [["a", "b"]], "properties": {"a": {"type": "integer", \#(ProbeSchemas.labels)}, "b": {"type": "integer", \#(ProbeSchemas.labels)}}}"#,
            passing: #"{"a": 3, "b": 3}"#, failing: #"{"a": 4, "b": 3}"#, keyword: "x-ordered", pointer: "/details/v/a"),
        KeywordCase(
            name: "x-ordered date-times compare instants, not text",
            schema: #"{"type": "object", "x-ordered": [["a", "b"]], "properties": {"a": {"type": "string", \#(ProbeSchemas.labels)}, "b": {"type": "string", \#(ProbeSchemas.labels)}}}"#,
            passing: #"{"a": "2025-03-14T10:00:00+02:00", "b": "2025-03-14T09:30:00Z"}"#,
            failing: #"{"a": "2025-03-14T09:30:00.5Z", "b": "2025-03-14T11:30:00.25+02:00"}"#, keyword: "x-ordered", pointer: "/details/v/a"),
        KeywordCase(
            name: "x-distinct",
            schema: #"{"type": "object", "x-distinct": [["a", "b"]], "properties": {"a": {"type": "string", \#(ProbeSchemas.labels)}, "b": {"type": "string", \#(ProbeSchemas.labels)}}}"#,
            passing: #"{"a": "x", "b": "y"}"#, failing: #"{"a": "x", "b": "x"}"#, keyword: "x-distinct", pointer: "/details/v/a"),
        KeywordCase(
            name: "x-check mrz-agreement (TD1, number continued in the optional data)",
            schema: #"{"type": "object", "x-check": "mrz-agreement", "properties": {"mrz": {"type": "array", \#(ProbeSchemas.labels)}, "issuingState": {"type": "string", \#(ProbeSchemas.labels)}, "documentNumber": {"type": "string", \#(ProbeSchemas.labels)}}}"#,
            passing: #"{"issuingState": "UTO", "documentNumber": "D23145890734", "mrz": ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"]}"#,
            failing: #"{"issuingState": "UTO", "documentNumber": "D23145890", "mrz": ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"]}"#,
            keyword: "x-check", pointer: "/details/v/documentNumber"),
        KeywordCase(
            name: "x-check mrz-agreement (Germany's D is DEU)",
            schema: #"{"type": "object", "x-check": "mrz-agreement", "properties": {"mrz": {"type": "array", \#(ProbeSchemas.labels)}, "issuingState": {"type": "string", \#(ProbeSchemas.labels)}}}"#,
            passing: #"{"issuingState": "DEU", "mrz": ["P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"]}"#,
            failing: #"{"issuingState": "FRA", "mrz": ["P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"]}"#,
            keyword: "x-check", pointer: "/details/v/issuingState"),
        KeywordCase(name: "pattern (unanchored search)", schema: #"{"type": "string", "pattern": "[0-9]{3}"}"#, passing: "\"ab123\"", failing: "\"ab12\"", keyword: "pattern"),
        KeywordCase(name: "format date-time", schema: #"{"type": "string", "format": "date-time"}"#, passing: "\"2016-12-31T20:29:60.5-03:30\"", failing: "\"2023-02-29T10:00:00Z\"", keyword: "format"),
        KeywordCase(name: "format date-time leap second only at 23:59:60 UTC", schema: #"{"type": "string", "format": "date-time"}"#, passing: "\"2016-12-31T23:59:60Z\"", failing: "\"2026-01-01T10:15:60Z\"", keyword: "format"),
        KeywordCase(name: "format date-time leap second after the offset", schema: #"{"type": "string", "format": "date-time"}"#, passing: "\"2017-01-01T00:59:60+01:00\"", failing: "\"2016-12-31T23:59:60+01:00\"", keyword: "format"),
        KeywordCase(name: "format date-time hour", schema: #"{"type": "string", "format": "date-time"}"#, passing: "\"2025-01-01t00:00:00z\"", failing: "\"2025-01-01T24:00:00Z\"", keyword: "format"),
        KeywordCase(name: "format date", schema: #"{"type": "string", "format": "date"}"#, passing: "\"2000-02-29\"", failing: "\"1900-02-29\"", keyword: "format"),
        KeywordCase(name: "minimum", schema: #"{"type": "number", "minimum": 0}"#, passing: "0", failing: "-0.5", keyword: "minimum"),
        KeywordCase(name: "maximum", schema: #"{"type": "number", "maximum": 10}"#, passing: "10", failing: "10.01", keyword: "maximum"),
        KeywordCase(name: "minLength counts code points", schema: #"{"type": "string", "minLength": 2}"#, passing: "\"مح\"", failing: "\"م\"", keyword: "minLength"),
        KeywordCase(name: "maxLength", schema: #"{"type": "string", "maxLength": 3}"#, passing: "\"abc\"", failing: "\"abcd\"", keyword: "maxLength"),
        KeywordCase(name: "items", schema: #"{"type": "array", "items": {"type": "integer"}}"#, passing: "[1, 2]", failing: #"[1, "2"]"#, keyword: "type", pointer: "/details/v/1"),
        KeywordCase(name: "minItems", schema: #"{"type": "array", "minItems": 1}"#, passing: "[0]", failing: "[]", keyword: "minItems"),
        KeywordCase(name: "maxItems", schema: #"{"type": "array", "maxItems": 2}"#, passing: "[1, 2]", failing: "[1, 2, 3]", keyword: "maxItems"),
        KeywordCase(name: "uniqueItems (1 equals 1.0)", schema: #"{"type": "array", "uniqueItems": true}"#, passing: #"[1, "1", {"a": 1}]"#, failing: "[2, 1, 1.0]", keyword: "uniqueItems", pointer: "/details/v/2"),
        KeywordCase(
            name: "$ref to $defs", schema: ##"{"$ref": "#/$defs/code"}"##, definitions: #"{"code": {"type": "string", "pattern": "^[A-Z]{2}$"}}"#,
            passing: "\"MA\"", failing: "\"Ma\"", keyword: "pattern"),
        KeywordCase(name: "$ref across files", schema: #"{"$ref": "../common.schema.json#/$defs/upper"}"#, passing: "\"DZ\"", failing: "\"dz\"", keyword: "pattern"),
        KeywordCase(
            name: "$ref by absolute URI", schema: #"{"$ref": "https://bordernet.example/schemas/1.1.0/common.schema.json#/$defs/upper"}"#,
            passing: "\"TN\"", failing: "\"tn\"", keyword: "pattern"),
        KeywordCase(name: "allOf", schema: #"{"allOf": [{"type": "string"}, {"maxLength": 3}]}"#, passing: "\"abc\"", failing: "\"abcd\"", keyword: "maxLength"),
        KeywordCase(name: "oneOf with none matching", schema: #"{"oneOf": [{"type": "string"}, {"type": "integer"}]}"#, passing: "1", failing: "true", keyword: "oneOf"),
        KeywordCase(name: "oneOf with two matching", schema: #"{"oneOf": [{"type": "number"}, {"type": "integer"}]}"#, passing: "1.5", failing: "1", keyword: "oneOf"),
        KeywordCase(
            name: "x-check mrz", schema: #"{"type": "array", "x-check": "mrz"}"#,
            passing: #"["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]"#,
            failing: #"["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204158ZE184226B<<<<<10"]"#,
            keyword: "x-check", pointer: "/details/v/1"),
        KeywordCase(name: "x-check vin", schema: #"{"type": "string", "x-check": "vin"}"#, passing: "\"1M8GDM9AXKP042788\"", failing: "\"1M8GDM9A1KP042788\"", keyword: "x-check"),
        KeywordCase(name: "x-check imo", schema: #"{"type": "string", "x-check": "imo"}"#, passing: "\"9074729\"", failing: "\"9074720\"", keyword: "x-check"),
        KeywordCase(name: "x-check arabic-script", schema: #"{"type": "string", "x-check": "arabic-script"}"#, passing: "\"كريم بوزيد\"", failing: "\"Karim كريم\"", keyword: "x-check"),
        KeywordCase(name: "x-check latin-script", schema: #"{"type": "string", "x-check": "latin-script"}"#, passing: "\"BOUZID Karim\"", failing: "\"كريم\"", keyword: "x-check"),
    ]

    @Test("keyword", arguments: cases)
    func keyword(_ probe: KeywordCase) throws {
        let schemas = try ProbeSchemas(field: probe.schema, definitions: probe.definitions)
        defer { schemas.remove() }
        let catalog = try schemas.load()
        let accepted = catalog.failures(in: ProbeSchemas.bulletin(probe.passing), stage: .draft)
        #expect(accepted.isEmpty, "\(probe.name): \(probe.passing) refused: \(accepted.map(\.description))")
        let refused = catalog.failures(in: ProbeSchemas.bulletin(probe.failing), stage: .draft)
        #expect(
            refused.contains { $0.keyword == probe.keyword && $0.pointer.description == probe.pointer },
            "\(probe.name): \(probe.failing) expected \(probe.keyword) at \(probe.pointer), got \(refused.map(\.description))")
    }

    @Test("a type mismatch stops the other keywords of that schema, so one mistake gives one message")
    func typeMismatchIsOneFailure() throws {
        let schemas = try ProbeSchemas(field: #"{"type": "string", "minLength": 3, "pattern": "^a"}"#)
        defer { schemas.remove() }
        let failures = try schemas.load().failures(in: ProbeSchemas.bulletin("12"), stage: .draft)
        #expect(failures.map(\.keyword) == ["type"])
    }
}
