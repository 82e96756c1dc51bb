import BulletinSchema
import Foundation
import Testing

@Suite("bulletin-level rules")
struct BulletinTests {
    static func example(_ name: String) throws -> [String: JSONValue] {
        let data = try Data(contentsOf: Repository.examples.appendingPathComponent(name))
        guard case .object(let members) = try JSONParser().parse(data) else { throw JSONParseError(offset: 0, reason: .trailingData) }
        return members
    }

    static func bytes(_ members: [String: JSONValue]) -> Data {
        Data(JSONValue.object(members).description.utf8)
    }

    @Test("a bulletin over 64 KiB is refused before parsing; one at the limit is parsed")
    func sizeLimit() throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("drug-trafficking.json")
        let base = Self.bytes(members).count
        members["reportingAgency"] = .string(String(repeating: "x", count: 120))
        // Pad with insignificant whitespace so the bulletin stays valid and only its size changes.
        let valid = Self.bytes(members)
        let atLimit = valid + Data(repeating: 0x20, count: SchemaCatalog.maximumBulletinBytes - valid.count)
        #expect(atLimit.count == 65_536 && base < 65_536)
        #expect(catalog.failures(in: atLimit).isEmpty)
        let over = atLimit + Data([0x20])
        let failures = catalog.failures(in: over)
        #expect(failures.count == 1)
        #expect(failures.first?.keyword == "x-max-bytes")
        #expect(failures.first?.reason == .tooLarge(limit: 65_536, found: 65_537))
    }

    @Test("an unknown field is refused at the top level and in details")
    func unknownFields() throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("document-fraud.json")
        members["classification"] = .string("SECRET")
        var details = try #require(members["details"]?.objectValue)
        details["passportColour"] = .string("green")
        members["details"] = .object(details)
        let pointers = catalog.failures(in: Self.bytes(members)).filter { $0.keyword == "additionalProperties" }.map(\.pointer.description)
        #expect(pointers == ["/classification", "/details/passportColour"])
    }

    @Test("schema versions: same major and known minor accepted, unknown major or newer minor refused", arguments: [
        ("1.1.0", true), ("1.2.0", true), ("1.2.7", true), ("1.3.0", false), ("2.0.0", false), ("0.9.0", false),
    ])
    func versions(version: String, accepted: Bool) throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("migrant-smuggling.json")
        members["schemaVersion"] = .string(version)
        let failures = catalog.failures(in: Self.bytes(members))
        #expect(failures.isEmpty == accepted, "\(version): \(failures.map(\.description))")
        if !accepted {
            #expect(failures.count == 1)
            #expect(failures.first?.pointer.description == "/schemaVersion" && failures.first?.keyword == "x-schema-version")
            if version.hasPrefix("1.") {
                #expect(failures.first?.reason == .unsupportedSchemaVersion(found: version, known: "1.2.0"))
            } else {
                #expect(failures.first?.reason == .unknownMajorVersion(found: version, known: "1.2.0"))
                #expect(failures.first?.message(in: .fr).contains("version majeure") == true)
            }
        }
    }

    @Test("the id is assigned by the node: refused in a draft, required once issued")
    func stages() throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("suspicious-vessel.json")
        #expect(catalog.failures(in: Self.bytes(members), stage: .issued).isEmpty)
        #expect(catalog.failures(in: Self.bytes(members), stage: .draft).map(\.keyword) == ["x-stage"])
        members["id"] = nil
        #expect(catalog.failures(in: Self.bytes(members), stage: .draft).isEmpty)
        #expect(catalog.failures(in: Self.bytes(members), stage: .issued).map(\.pointer.description) == ["/id"])
    }

    @Test("validate returns the fields the exchange needs, or throws every failure")
    func validateAPI() throws {
        let catalog = try Repository.loadedCatalog()
        let data = try Data(contentsOf: Repository.examples.appendingPathComponent("arms-trafficking.json"))
        let bulletin = try catalog.validate(data)
        #expect(bulletin.incidentType == "arms-trafficking")
        #expect(bulletin.tlp == "AMBER+STRICT")
        #expect(bulletin.schemaVersion == SchemaVersion("1.1.0"))
        #expect(throws: BulletinRejection.self) { try catalog.validate(Data("{}".utf8)) }
        do {
            _ = try catalog.validate(Data("[1,".utf8))
        } catch {
            #expect(error.failures.first?.keyword == "x-json")
        }
    }

    @Test("a schema version is three decimal numbers without leading zeros, and nothing else")
    func schemaVersionText() {
        #expect(SchemaVersion("1.0.0") == SchemaVersion(major: 1, minor: 0, patch: 0))
        #expect(SchemaVersion("0.10.3") == SchemaVersion(major: 0, minor: 10, patch: 3))
        #expect(SchemaVersion("12.345.6789") == SchemaVersion(major: 12, minor: 345, patch: 6789))
        for text in [
            "", "1", "1.0", "1.0.0.0", "01.0.0", "1.00.0", "1..0", ".1.0", "1.0.", "1.0.0 ", " 1.0.0", "a.b.c", "1.0.x",
            "-1.0.0", "+1.0.0", "١.0.0", "99999999999999999999.0.0",
        ] {
            #expect(SchemaVersion(text) == nil, "\(text)")
        }
    }

    @Test("failures are reported all at once and in pointer order")
    func allFailures() throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("goods-smuggling.json")
        members["severity"] = .string("urgent")
        members["informationCredibility"] = .integer(0)
        members["tlp"] = nil
        let pointers = catalog.failures(in: Self.bytes(members)).map(\.pointer.description)
        #expect(pointers == ["/informationCredibility", "/severity", "/tlp"])
    }

    @Test("schema show data: types expose their fields with labels")
    func fieldDescriptions() throws {
        let catalog = try Repository.loadedCatalog()
        let fraud = try #require(catalog.incidentType("document-fraud"))
        let mrz = try #require(fraud.fields.first { $0.name == "mrz" })
        #expect(mrz.check == .mrz)
        #expect(mrz.labels.fr == "Zone de lecture automatique (ZLA)")
        let kind = try #require(fraud.fields.first { $0.name == "fraudKind" })
        #expect(kind.required)
        #expect(["counterfeit", "forged", "fraudulently-obtained", "impostor"].allSatisfy(kind.allowedValues.map(\.value).contains))
        let location = try #require(catalog.bulletinFields.first { $0.name == "location" })
        #expect(location.fields.contains { $0.name == "borderCrossingPoint" })
    }
}
