import BulletinSchema
import Foundation
import Testing

/// Issue 13, defect 6: patterns match the whole string, `date-time` allows a leap second only at
/// 23:59:60 UTC, and the cross-field rules no schema keyword of draft 2020-12 can say
/// (`x-ordered`, `x-distinct`, `x-check: mrz-agreement`).
@Suite("patterns, leap seconds and cross-field rules")
struct ConsistencyTests {
    static func example(_ name: String) throws -> [String: JSONValue] {
        try BulletinTests.example(name)
    }

    static func bytes(_ members: [String: JSONValue]) -> Data {
        BulletinTests.bytes(members)
    }

    static func details(_ members: [String: JSONValue], _ change: (inout [String: JSONValue]) -> Void) -> [String: JSONValue] {
        var copy = members
        var details = members["details"]?.objectValue ?? [:]
        change(&details)
        copy["details"] = .object(details)
        return copy
    }

    /// Every line terminator ICU's `$` used to match before.
    static let terminators = ["\n", "\r\n", "\r", "\u{85}", "\u{2028}", "\u{2029}", "\u{0B}", "\u{0C}"]

    @Test("a bulletin id with a trailing line terminator is refused by its pattern", arguments: terminators)
    func idWithTrailingTerminator(_ terminator: String) throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("drug-trafficking.correction.json")
        let id = try #require(members["id"]?.stringValue)
        let corrected = try #require(members["corrects"]?.stringValue)
        members["id"] = .string(id + terminator)
        members["corrects"] = .string(corrected + terminator)
        let failures = catalog.failures(in: Self.bytes(members))
        for pointer in ["/id", "/corrects"] {
            #expect(
                failures.contains { $0.keyword == "pattern" && $0.pointer.description == pointer },
                "\(pointer) + \(terminator.unicodeScalars.map { String($0.value, radix: 16) }): \(failures.map(\.description))")
        }
    }

    @Test("schemaVersion, MMSI, HS code, withdraws and related ids with a trailing line feed are refused by their patterns")
    func otherPatterns() throws {
        let catalog = try Repository.loadedCatalog()
        let cases: [(file: String, pointer: [String])] = [
            ("suspicious-vessel.json", ["details", "mmsi"]),
            ("goods-smuggling.json", ["details", "goods", "0", "hsCode"]),
            ("fuel-smuggling.withdrawal.json", ["withdraws"]),
            ("document-fraud.json", ["details", "documentNumber"]),
            ("wanted-person.json", ["details", "interpolNotice", "reference"]),
            ("migrant-smuggling.json", ["schemaVersion"]),
        ]
        for (file, pointer) in cases {
            let document = JSONValue.object(try Self.example(file))
            #expect(DisplayAttackTests.value(document, pointer) != nil, "\(file) has no \(pointer)")
            let attacked = DisplayAttackTests.replacing(document, at: pointer[...]) { $0 + "\n" }
            let failures = catalog.failures(in: Data(attacked.description.utf8))
            let where_ = "/" + pointer.joined(separator: "/")
            #expect(
                failures.contains { $0.keyword == "pattern" && $0.pointer.description == where_ },
                "\(file) \(where_): \(failures.map(\.description))")
        }
    }

    @Test("date-time: a leap second is accepted only at 23:59:60 UTC", arguments: [
        ("2016-12-31T23:59:60Z", true), ("2016-12-31T23:59:60.999z", true), ("2017-01-01T00:59:60+01:00", true),
        ("2016-12-31T20:29:60-03:30", true), ("2016-12-31T23:59:60-00:00", true),
        ("2026-01-01T10:15:60Z", false), ("2016-12-31T23:59:60+01:00", false), ("2016-12-31T23:58:60Z", false),
        ("2016-12-31T22:59:60+01:00", false), ("2016-12-31T23:59:61Z", false), ("2016-12-31T22:59:60-01:00", true),
    ])
    func leapSeconds(_ text: String, _ valid: Bool) throws {
        #expect(StringFormat.dateTime.matches(text) == valid, "\(text)")
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("fuel-smuggling.json")
        members["occurredAt"] = .string(text)
        members["reportedAt"] = .string("2030-01-01T00:00:00Z")
        let failures = catalog.failures(in: Self.bytes(members))
        #expect(failures.isEmpty == valid, "\(text): \(failures.map(\.description))")
        if !valid {
            #expect(failures.map(\.keyword) == ["format"] && failures.first?.pointer.description == "/occurredAt")
        }
    }

    @Test("migrant smuggling: more minors than persons, or more unaccompanied minors than minors, is refused", arguments: [
        (["persons": 9, "minors": 12], "/details/minors"),
        (["persons": 63, "minors": 4, "unaccompaniedMinors": 9], "/details/unaccompaniedMinors"),
        (["persons": 5, "unaccompaniedMinors": 6], "/details/unaccompaniedMinors"),
    ])
    func minorsWithinPersons(_ counts: [String: Int], _ pointer: String) throws {
        let catalog = try Repository.loadedCatalog()
        let members = Self.details(try Self.example("migrant-smuggling.json")) { details in
            details["minors"] = nil
            details["unaccompaniedMinors"] = nil
            for (name, count) in counts { details[name] = .integer(Int64(count)) }
        }
        let failures = catalog.failures(in: Self.bytes(members))
        #expect(failures.contains { $0.keyword == "x-ordered" && $0.pointer.description == pointer }, "\(failures.map(\.description))")
        #expect(failures.allSatisfy { $0.keyword == "x-ordered" })
        #expect(failures.first?.message(in: .en).contains("is greater than") == true)
    }

    @Test("human trafficking: more minors or women than victims is refused; equal counts are accepted")
    func victims() throws {
        let catalog = try Repository.loadedCatalog()
        let base = try Self.example("human-trafficking.json")
        let equal = Self.details(base) { details in
            for name in ["victims", "women", "minors"] { details[name] = .integer(14) }
        }
        #expect(catalog.failures(in: Self.bytes(equal)).isEmpty)
        let more = Self.details(base) { $0["victims"] = .integer(10) }
        let pointers = catalog.failures(in: Self.bytes(more)).filter { $0.keyword == "x-ordered" }.map(\.pointer.description)
        #expect(pointers == ["/details/women"])
        let minors = Self.details(base) { $0["victims"] = .integer(4) }
        #expect(catalog.failures(in: Self.bytes(minors)).map(\.pointer.description) == ["/details/minors", "/details/women"])
    }

    @Test("reportedAt before occurredAt is refused, comparing instants across offsets")
    func reportedBeforeOccurred() throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("drug-trafficking.json")
        // 10:00+02:00 is 08:00Z, before 09:30Z: valid although the text sorts after.
        members["occurredAt"] = .string("2025-03-14T10:00:00+02:00")
        members["reportedAt"] = .string("2025-03-14T09:30:00Z")
        #expect(catalog.failures(in: Self.bytes(members)).isEmpty)
        // 10:00Z is after 11:00+02:00 = 09:00Z: refused although the text sorts before.
        members["occurredAt"] = .string("2025-03-14T10:00:00Z")
        members["reportedAt"] = .string("2025-03-14T11:00:00+02:00")
        let failures = catalog.failures(in: Self.bytes(members))
        #expect(failures.count == 1)
        let failure = try #require(failures.first)
        #expect(failure.keyword == "x-ordered" && failure.pointer.description == "/occurredAt")
        #expect(failure.line(in: .en).contains("is later than \"reportedAt\""), "\(failure.line(in: .en))")
    }

    @Test("a bulletin cannot correct or withdraw itself", arguments: ["drug-trafficking.correction.json", "fuel-smuggling.withdrawal.json"])
    func selfReference(_ file: String) throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example(file)
        #expect(catalog.failures(in: Self.bytes(members)).isEmpty)
        let member = members["corrects"] == nil ? "withdraws" : "corrects"
        members[member] = members["id"]
        let failures = catalog.failures(in: Self.bytes(members))
        #expect(failures.count == 1, "\(failures.map(\.description))")
        #expect(failures.first?.keyword == "x-distinct" && failures.first?.pointer.description == "/\(member)")
        #expect(failures.first?.message(in: .en).hasPrefix("must differ from \"id\"") == true)
    }

    @Test("an MRZ that names another issuing state or document number is refused at the disagreeing field")
    func mrzAgreement() throws {
        let catalog = try Repository.loadedCatalog()
        let base = try Self.example("document-fraud.json")
        let state = Self.details(base) { $0["issuingState"] = .string("DZA") }
        let stateFailures = catalog.failures(in: Self.bytes(state))
        #expect(stateFailures.map(\.pointer.description) == ["/details/issuingState"])
        #expect(stateFailures.first?.reason == .checkFailed(check: .mrzAgreement, problem: .mrzDisagrees(field: "issuingState", zone: "FRA", stated: "DZA")))
        let number = Self.details(base) { $0["documentNumber"] = .string("19AF23457") }
        #expect(catalog.failures(in: Self.bytes(number)).map(\.pointer.description) == ["/details/documentNumber"])
        // The same zone as mrzAsPrinted (unverified) is evidence, not a contradiction.
        let printed = Self.details(base) { details in
            details["mrzAsPrinted"] = details["mrz"]
            details["mrz"] = nil
            details["documentNumber"] = .string("19AF23457")
        }
        #expect(catalog.failures(in: Self.bytes(printed)).isEmpty)
    }

    @Test("the fake-plate flag is named falsePlate; the old member name \"false\" is refused")
    func falsePlate() throws {
        let catalog = try Repository.loadedCatalog()
        let type = try #require(catalog.incidentType("stolen-vehicle"))
        let plates = try #require(type.fields.first { $0.name == "registrationPlates" })
        let names = plates.fields.map(\.name)
        #expect(names.contains("falsePlate") && !names.contains("false"), "\(names)")
        let flag = try #require(plates.fields.first { $0.name == "falsePlate" })
        #expect(flag.labels.en == "False plate" && flag.labels.fr == "Fausse plaque" && flag.labels.ar == "لوحة مزيفة")
        var members = try Self.example("stolen-vehicle.json")
        #expect(catalog.failures(in: Self.bytes(members)).isEmpty)
        members = Self.details(members) { details in
            guard case .array(var plates) = details["registrationPlates"], case .object(var first) = plates[0] else { return }
            first["false"] = first["falsePlate"]
            first["falsePlate"] = nil
            plates[0] = .object(first)
            details["registrationPlates"] = .array(plates)
        }
        let failures = catalog.failures(in: Self.bytes(members))
        #expect(failures.map(\.pointer.description) == ["/details/registrationPlates/0/false"])
        #expect(failures.first?.keyword == "additionalProperties")
    }

    @Test("x-ordered, x-distinct and x-text are checked when the schemas load")
    func loadTimeChecks() throws {
        let bad: [(String, String)] = [
            (#"{"type": "object", "x-ordered": [["a", "missing"]], "properties": {"a": {"type": "integer", \#(ProbeSchemas.labels)}}}"#, "x-ordered"),
            (#"{"type": "object", "x-distinct": [["a"]], "properties": {"a": {"type": "integer", \#(ProbeSchemas.labels)}}}"#, "x-distinct"),
            (#"{"type": "object", "x-ordered": [], "properties": {"a": {"type": "integer", \#(ProbeSchemas.labels)}}}"#, "x-ordered"),
            (#"{"type": "string", "x-text": "single-line"}"#, "x-text"),
            (#"{"type": "string", "x-text": true}"#, "x-text"),
        ]
        for (field, keyword) in bad {
            let schemas = try ProbeSchemas(field: field)
            defer { schemas.remove() }
            #expect(throws: SchemaLoadError.self, "\(keyword)") { try schemas.load() }
            do {
                _ = try schemas.load()
            } catch {
                #expect(error.description.contains(keyword), "\(error.description)")
            }
        }
    }
}
