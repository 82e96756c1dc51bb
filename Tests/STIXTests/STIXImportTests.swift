import BulletinSchema
import Foundation
import STIX
import Testing

@Suite("STIX import")
struct STIXImportTests {
    let importer = STIXImporter(catalog: Repository.catalog)

    /// Small bundles shaped like what MISP (misp-stix) and OpenCTI export.
    static let fixtures = Repository.root.appendingPathComponent("Tests/Vectors/stix-import")

    func fixture(_ name: String) throws -> [UInt8] {
        Array(try #require(FileManager.default.contents(atPath: Self.fixtures.appendingPathComponent(name).path)))
    }

    /// Times as instants, so that `+01:00` and the UTC of the export compare equal.
    static func normalised(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (name, member) in members {
                if ["occurredAt", "reportedAt", "validUntil"].contains(name), let text = member.stringValue,
                    let time = STIXTimestamp(rfc3339: text)
                {
                    out[name] = .integer(time.millisecondsSinceEpoch)
                } else {
                    out[name] = normalised(member)
                }
            }
            return .object(out)
        case .array(let elements): return .array(elements.map(normalised))
        default: return value
        }
    }

    @Test("every example, exported then imported, gives back its content fields", arguments: Repository.examplesByName.keys.sorted())
    func roundTrip(name: String) throws {
        let bulletins = Repository.workedExample(name)
        let bytes = try STIXBundle.bytes(of: bulletins, mapper: Repository.mapper)
        let result = try importer.importBundle(bytes)
        let draft = try #require(result.drafts.count == 1 ? result.drafts.first : nil)
        let original = try #require(Repository.examplesByName[name]).setting("id", nil)
        #expect(Self.normalised(.object(draft.members)) == Self.normalised(original))
        #expect(draft.notMapped.isEmpty, "\(draft.notMapped)")
        #expect(result.notMapped.isEmpty, "\(result.notMapped)")
        #expect(Repository.catalog.failures(in: draft.bytes, stage: .draft).isEmpty)
        // Drafts name themselves after their source: the same bundle gives the same file names.
        #expect(try importer.importBundle(bytes).drafts.map(\.fileName) == result.drafts.map(\.fileName))
        #expect(draft.fileName.hasSuffix(".json") && draft.fileName.count == 41)
    }

    @Test("a MISP event: report, TLP 1.0 amber, a label that is an incident type, a location, a person, a phone")
    func misp() throws {
        let result = try importer.importBundle(try fixture("misp-event.json"))
        let draft = try #require(result.drafts.first)
        #expect(result.drafts.count == 1)
        let members = draft.members
        #expect(members["tlp"] == .string("AMBER"))
        #expect(members["incidentType"] == .string("drug-trafficking"))
        #expect(members["title"]?["en"]?.stringValue == "Saisie de cannabis au port de Tanger Med")  // no lang: en, as STIX says
        #expect(members["reportedAt"] == .string("2025-04-02T09:00:00Z"))
        #expect(members["location"]?["country"] == .string("MA"))
        #expect(members["location"]?["region"] == .string("Tanger-Tétouan-Al Hoceïma"))
        #expect(members["location"]?["position"]?["precisionMetres"] == .integer(500))
        #expect(members["details"]?["phones"] == .array([.object(["number": .string("+212661234567")])]))
        #expect(members["details"]?["people"]?.arrayValue?.first?["name"]?["latin"] == .string("EL AMRANI Youssef"))
        #expect(members["id"] == nil)
        // The producer is named, not made a party to the incident.
        #expect(draft.mapped.contains { $0.contains("Gendarmerie royale - CTI") })
        // Both indicators listed, with their patterns; the MISP labels listed as not carried.
        let notes = draft.notMapped.map { "\($0.object) \($0.property ?? "") \($0.reason)" }
        #expect(notes.contains { $0.contains("indicator--91ae0a21") && $0.contains("domain-name:value") })
        #expect(notes.contains { $0.contains("indicator--0e9d8c7b") && $0.contains("x_misp_phone") })
        #expect(notes.contains { $0.contains("labels") && $0.contains("Threat-Report") })
        #expect(members["location"]?["crossingPoint"] == .string("ES-MA-TANGER-MED"))  // its French name
        // Left for the officer: the grading, the working group, the details.
        for field in ["severity", "sourceReliability", "workingGroup", "informationCredibility", "details"] {
            #expect(draft.toComplete.contains { $0.hasPrefix(field) }, "\(field)")
        }
        #expect(result.notMapped.isEmpty, "\(result.notMapped)")
    }

    @Test("an OpenCTI report: its own AMBER+STRICT, a PAP marking listed, lang fr, language-content, incident")
    func openCTI() throws {
        let result = try importer.importBundle(try fixture("opencti-report.json"))
        let draft = try #require(result.drafts.first)
        #expect(result.drafts.count == 1)
        let members = draft.members
        #expect(members["tlp"] == .string("AMBER+STRICT"))
        #expect(members["incidentType"] == .string("migrant-smuggling"))
        #expect(members["severity"] == .string("high"))
        #expect(members["informationCredibility"] == .integer(2))
        #expect(members["title"]?["fr"] == .string("Passeurs interceptés près de Ras Jedir"))
        #expect(members["title"]?["en"] == .string("Smugglers intercepted near Ras Jedir"))
        #expect(members["summary"]?["en"]?.stringValue?.hasPrefix("Two smugglers") == true)
        #expect(members["occurredAt"] == .string("2025-05-10T03:20:00Z"))
        #expect(members["reportedAt"] == .string("2025-05-10T08:00:00Z"))
        #expect(members["location"]?["country"] == .string("TN"))
        #expect(members["location"]?["crossingPoint"] == .string("LY-TN-RAS-JEDIR"))
        #expect(members["location"]?["borderCrossingPoint"] == .string("Ras Jedir"))
        #expect(members["details"]?["places"]?.arrayValue?.first?["country"] == .string("LY"))
        #expect(members["details"]?["people"]?.arrayValue?.first?["name"]?["arabic"] == .string("بن علي منصور"))
        #expect(members["details"]?["people"]?.arrayValue?.first?["role"] == .string("suspect"))
        #expect(members["details"]?["organisations"]?.arrayValue?.first?["name"] == .string("Réseau Zouara"))
        #expect(members["details"]?["phones"] == .array([.object(["number": .string("+218912345678")])]))
        let notes = draft.notMapped.map { "\($0.object) \($0.property ?? "") \($0.reason)" }
        #expect(notes.contains { $0.contains("PAP:AMBER") })
        #expect(notes.contains { $0.contains("contents.de") })
        #expect(notes.contains { $0.contains("last_seen") })
        #expect(notes.contains { $0.contains("extension-definition--ea279b3e") })
        #expect(notes.contains { $0.contains("relationship--1a2b3c4d") && $0.contains("located-at") })
        #expect(notes.contains { $0.contains("labels") && $0.contains("libye") })
        #expect(!draft.toComplete.contains { $0.hasPrefix("tlp") })
    }

    static func bundle(_ objects: [JSONValue]) -> [UInt8] {
        Array(JSONValue.object(["type": .string("bundle"), "id": .string("bundle--00000000-0000-4000-8000-000000000000"), "objects": .array(objects)]).description.utf8)
    }

    static func report(markings: [String], id: String = "report--00000000-0000-4000-8000-000000000001") -> JSONValue {
        .object([
            "type": .string("report"), "spec_version": .string("2.1"), "id": .string(id),
            "created": .string("2025-01-01T00:00:00.000Z"), "modified": .string("2025-01-01T00:00:00.000Z"),
            "name": .string("Un rapport"), "lang": .string("fr"), "published": .string("2025-01-01T00:00:00.000Z"),
            "object_refs": .array([.string("indicator--00000000-0000-4000-8000-00000000dead")]),
            "object_marking_refs": .array(markings.map { .string($0) }),
        ])
    }

    @Test(
        "TLP 1.0 ids, OpenCTI's AMBER+STRICT and TLP 2.0 ids each give their TLP",
        arguments: [
            ("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "CLEAR"),
            ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "GREEN"),
            ("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "AMBER"),
            ("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "RED"),
            ("marking-definition--826578e1-40ad-459f-bc73-ede076f81f37", "AMBER+STRICT"),
            ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "AMBER+STRICT"),
            ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "CLEAR"),
        ])
    func markings(id: String, tlp: String) throws {
        let result = try importer.importBundle(Self.bundle([Self.report(markings: [id])]))
        #expect(result.drafts.first?.members["tlp"] == .string(tlp))
    }

    @Test("no known marking: no TLP in the draft, and the officer is told to choose; two TLPs: the stricter")
    func unknownMarking() throws {
        let none = try importer.importBundle(Self.bundle([Self.report(markings: [])])).drafts[0]
        #expect(none.members["tlp"] == nil)
        #expect(none.toComplete.contains { $0.hasPrefix("tlp") })
        let two = try importer.importBundle(
            Self.bundle([
                Self.report(markings: [TLPMarking.green.id, "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"])
            ])
        ).drafts[0]
        #expect(two.members["tlp"] == .string("RED"))
        // A marking of another id, read by its content (OpenCTI style).
        let custom: JSONValue = .object([
            "type": .string("marking-definition"), "spec_version": .string("2.1"),
            "id": .string("marking-definition--11111111-2222-4333-8444-555555555555"),
            "created": .string("2025-01-01T00:00:00.000Z"), "definition_type": .string("statement"),
            "definition": .object(["statement": .string("custom")]),
            "x_opencti_definition_type": .string("TLP"), "x_opencti_definition": .string("TLP:AMBER+STRICT"),
        ])
        let byContent = try importer.importBundle(
            Self.bundle([Self.report(markings: ["marking-definition--11111111-2222-4333-8444-555555555555"]), custom])
        ).drafts[0]
        #expect(byContent.members["tlp"] == .string("AMBER+STRICT"))
    }

    @Test("a dangling reference and an element that is no STIX object are listed, not fatal")
    func danglingAndInvalid() throws {
        let result = try importer.importBundle(
            Self.bundle([Self.report(markings: []), .object(["type": .string("indicator")]), .integer(3)]))
        #expect(result.drafts.count == 1)
        #expect(result.drafts[0].notMapped.contains { $0.property == "object_refs" && $0.reason.contains("not in the bundle") })
        #expect(result.notMapped.filter { $0.object.hasPrefix("objects[") }.count == 2)
    }

    @Test("hostile files are refused whole with a reason")
    func refusals() throws {
        let small = STIXImporter(catalog: Repository.catalog, limits: STIXImportLimits(maximumBytes: 100, maximumObjects: 2))
        #expect(throws: STIXImportError.tooLarge(bytes: 200, limit: 100)) { try small.importBundle(Array(repeating: 0x20, count: 200)) }
        let three = Self.bundle([.integer(1), .integer(2), .integer(3)])
        let few = STIXImporter(catalog: Repository.catalog, limits: STIXImportLimits(maximumObjects: 2))
        #expect(throws: STIXImportError.tooManyObjects(count: 3, limit: 2)) { try few.importBundle(three) }
        let deep = Array(String(repeating: "[", count: 5_000).utf8) + Array(String(repeating: "]", count: 5_000).utf8)
        #expect(throws: STIXImportError.tooDeep(limit: STIXImportLimits.maximumDepth)) { try importer.importBundle(deep) }
        #expect(throws: STIXImportError.invalidUTF8(offset: 1)) { try importer.importBundle([0x7B, 0xFF, 0x7D]) }
        for text in [
            #"{"type": "bundle", "objects": [], "objects": []}"#, #"{"type": "bundle", "objects": [1e999999]}"#,
            #"{"type": "bundle", "objects": ["#, "",
        ] {
            #expect(throws: STIXImportError.self) { try importer.importBundle(Array(text.utf8)) }
        }
        #expect(throws: STIXImportError.notABundle(found: "no \"objects\" array")) {
            try importer.importBundle(Array(#"{"type": "bundle", "objects": {}}"#.utf8))
        }
        #expect(throws: STIXImportError.self) { try importer.importBundle(Array(#"[{"type": "bundle"}]"#.utf8)) }
        #expect(throws: STIXImportError.self) { try importer.importBundle(Array(#"{"type": "report"}"#.utf8)) }
    }

    @Test("wrong types and absurd values in objects never trap: they are listed")
    func wrongTypes() throws {
        let report: JSONValue = .object([
            "type": .string("report"), "spec_version": .integer(2), "id": .string("report--00000000-0000-4000-8000-000000000001"),
            "created": .integer(-1), "modified": .string("9999-99-99T99:99:99Z"), "name": .array([]), "lang": .integer(7),
            "published": .string("0000-01-01T00:00:00Z"), "description": .object([:]), "labels": .string("drug-trafficking"),
            "confidence": .decimal(1e300), "object_marking_refs": .string("x"),
            "object_refs": .array([.integer(1), .string("location--00000000-0000-4000-8000-000000000002"), .null]),
        ])
        let location: JSONValue = .object([
            "type": .string("location"), "id": .string("location--00000000-0000-4000-8000-000000000002"),
            "latitude": .decimal(1e308), "longitude": .string("east"), "precision": .decimal(-5), "country": .integer(12),
        ])
        let incident: JSONValue = .object([
            "type": .string("incident"), "id": .string("incident--00000000-0000-4000-8000-000000000003"),
            "first_seen": .bool(true), "severity": .array([]),
        ])
        let result = try importer.importBundle(Self.bundle([report, location, incident, report]))
        #expect(result.drafts.count == 2)  // the report, and the incident no report refers to
        #expect(result.drafts[0].members["incidentType"] == .string("drug-trafficking"))
        #expect(result.drafts[0].members["location"] == nil)
        #expect(result.drafts[0].notMapped.contains { $0.property == "confidence" })
    }

    @Test("a few thousand mutations of a real bundle never trap")
    func mutations() throws {
        let base = Array(try STIXBundle.bytes(of: Repository.workedExample("drug-trafficking"), mapper: Repository.mapper))
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]":,0123456789-.eE+ tfnaul\"#.utf8)
        for round in 0..<2_000 {
            var bytes = base
            for _ in 0..<(1 + round % 8) {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch round % 3 {
                case 0: bytes[at] = alphabet.randomElement(using: &generator) ?? 0x20
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet.randomElement(using: &generator) ?? 0x20, at: at)
                }
            }
            _ = try? importer.importBundle(bytes)
        }
    }

    @Test("a revoked report that is not a BorderNet withdrawal gives no draft and says why")
    func revoked() throws {
        let revoked = Self.report(markings: []).setting("revoked", .bool(true))
        let result = try importer.importBundle(Self.bundle([revoked]))
        #expect(result.drafts.isEmpty)
        #expect(result.notMapped.contains { $0.reason.contains("revoked") })
    }
}
