import BulletinSchema
import Foundation
import Testing

@Suite("bulletin drafts")
struct BulletinDraftTests {
    /// 2025-03-14T09:00:00Z.
    static let reported = Date(timeIntervalSince1970: 1_741_942_800)

    static func seizure(details: [String: JSONValue] = [:], occurredAt: String? = nil) -> BulletinDraft {
        BulletinDraft(
            schemaVersion: SchemaVersion(major: 1, minor: 0, patch: 0), incidentType: "migrant-smuggling",
            language: .fr,
            title: "Interception près d'Oujda", summary: "23 personnes, deux passeurs.", occurredAt: occurredAt,
            reportedAt: reported, location: BulletinDraft.Location(country: "MA", region: "Oriental"), severity: "high",
            tlp: "AMBER", sourceReliability: "F", informationCredibility: 6, workingGroup: "security", details: details)
    }

    @Test(
        "a draft from fields is one compact object, members sorted, the report time for the occurrence when none is given"
    )
    func fieldsBytes() {
        let draft = Self.seizure(details: ["persons": .integer(23), "smugglersArrested": .integer(2)])
        let expected =
            #"{"details":{"persons":23,"smugglersArrested":2},"incidentType":"migrant-smuggling","#
            + #""informationCredibility":6,"location":{"country":"MA","region":"Oriental"},"occurredAt":"2025-03-14T09:00:00Z","#
            + #""reportedAt":"2025-03-14T09:00:00Z","schemaVersion":"1.0.0","severity":"high","sourceReliability":"F","#
            + #""summary":{"fr":"23 personnes, deux passeurs."},"title":{"fr":"Interception près d'Oujda"},"tlp":"AMBER","#
            + #""workingGroup":"security"}"#
        #expect(String(decoding: draft.jsonBytes, as: UTF8.self) == expected)
        #expect(
            Self.seizure(occurredAt: "2025-03-13T22:40:00+01:00").members["occurredAt"]
                == .string("2025-03-13T22:40:00+01:00"))
        #expect(Self.seizure().members["details"] == .object([:]))
    }

    @Test("the location carries only the parts given")
    func location() {
        let draft = BulletinDraft(
            schemaVersion: SchemaVersion(major: 1, minor: 0, patch: 0), incidentType: "border-incident", language: .ar,
            title: "ع",
            summary: "ع", reportedAt: Self.reported,
            location: BulletinDraft.Location(country: "DZ", borderCrossingPoint: "Zouj Beghal"),
            severity: "low", tlp: "RED", sourceReliability: "A", informationCredibility: 1, workingGroup: "customs")
        #expect(
            draft.members["location"]
                == .object(["country": .string("DZ"), "borderCrossingPoint": .string("Zouj Beghal")]))
        #expect(draft.members["title"] == .object(["ar": .string("ع")]))
    }

    @Test("a correction names the bulletin it corrects; a withdrawal names its bulletin and drops the details")
    func correctionAndWithdrawal() {
        var correction = Self.seizure(details: ["persons": .integer(23)])
        correction.correct("MA-01JFK6SY9541SJ3EQHB6GD1GHC")
        #expect(correction.members["corrects"] == .string("MA-01JFK6SY9541SJ3EQHB6GD1GHC"))
        #expect(correction.members["details"] == .object(["persons": .integer(23)]))

        var withdrawal = Self.seizure(details: ["persons": .integer(23)])
        withdrawal.withdraw("MA-01JFK6SY9541SJ3EQHB6GD1GHC")
        #expect(withdrawal.members["withdraws"] == .string("MA-01JFK6SY9541SJ3EQHB6GD1GHC"))
        #expect(withdrawal.members["details"] == nil)
        #expect(!String(decoding: withdrawal.jsonBytes, as: UTF8.self).contains("details"))
    }

    @Test("a draft from fields passes the schemas as a draft (stage draft)")
    func validates() throws {
        let catalog = try Repository.loadedCatalog()
        let draft = BulletinDraft(
            schemaVersion: catalog.version, incidentType: "migrant-smuggling", language: .fr, title: "Interception",
            summary: "Un groupe de 23 personnes.", reportedAt: Self.reported,
            location: BulletinDraft.Location(country: "MA"),
            severity: "high", tlp: "AMBER+STRICT", sourceReliability: "F", informationCredibility: 6,
            workingGroup: "security",
            details: ["persons": .integer(23), "smugglersArrested": .integer(2)])
        let failures = catalog.failures(in: draft.jsonBytes, stage: .draft)
        #expect(failures.isEmpty, "\(failures.map(\.description))")
    }

    @Test(
        "every example, as a draft read from a file, is written back with the same members and still passes",
        arguments: ExampleTests.valid)
    func examplesRoundTrip(_ file: URL) throws {
        let catalog = try Repository.loadedCatalog()
        var members = try JSONObjectInput.parse(Array(try Data(contentsOf: file)), source: file.path)
        members["id"] = nil
        let bytes = BulletinDraft(members: members).jsonBytes
        #expect(try JSONParser().parse(bytes) == .object(members))
        let failures = catalog.failures(in: bytes, stage: .draft)
        #expect(failures.isEmpty, "\(file.lastPathComponent): \(failures.map(\.description))")
    }

    /// `post` encoded drafts with JSONSerialization (sorted keys, slashes unescaped) before the
    /// draft had its own writer; the bytes may differ in spelling, never in members or values.
    @Test("the bytes hold the same members and values as JSONSerialization wrote for the same draft")
    func sameContentAsJSONSerialization() throws {
        let samples = [
            #"{"a":"x/y \"q\" \\ é رأس جدير 😀","b":[1,-2,0.5,1e-7,1.5e300,2.0,-0.0,12345678901234567],"c":{"d":true,"e":false,"f":null}}"#,
            "{\"t\":\"tab\\tline\\nreturn\\r\\u0001\\u001f\",\"n\":{\"m\":[[],{}]}}",
            #"{"seizures":[{"substance":"cannabis-resin","quantity":{"value":300,"unit":"kg"}}],"weight":0.1}"#,
        ]
        for sample in samples {
            let members = try JSONObjectInput.parse(Array(sample.utf8), source: "sample")
            let ours = BulletinDraft(members: members).jsonBytes
            let object = try JSONSerialization.jsonObject(with: Data(sample.utf8))
            let theirs = try JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            #expect(try JSONParser().parse(ours) == JSONParser().parse(Array(theirs)), "\(sample)")
            #expect(try JSONParser().parse(ours) == .object(members))
        }
    }

    @Test("strings are escaped where JSON requires it and nowhere else")
    func escaping() {
        let draft = BulletinDraft(members: ["s": .string("a\"b\\c/d\n\t\r\u{01}é")])
        #expect(String(decoding: draft.jsonBytes, as: UTF8.self) == #"{"s":"a\"b\\c/d\n\t\r\u0001é"}"#)
    }
}
