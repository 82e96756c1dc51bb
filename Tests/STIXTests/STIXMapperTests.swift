import BulletinSchema
import Foundation
import STIX
import Testing

@Suite struct STIXMapperTests {
    let mapper = Repository.mapper

    func objects(_ name: String, lineage: STIXLineage? = nil) throws -> [STIXObject] {
        let bulletin = try #require(Repository.examplesByName[name])
        return try mapper.objects(for: bulletin, lineage: lineage)
    }

    func first(_ objects: [STIXObject], _ type: String) throws -> [String: JSONValue] {
        try #require(objects.first { $0.type == type }?.content.objectValue)
    }

    @Test func everyExampleMapsAndItsWorkedExampleIsCurrent() throws {
        let names = Repository.examplesByName.keys.sorted()
        #expect(names.count == 22)
        for name in names {
            let bytes = try STIXBundle.bytes(of: Repository.workedExample(name), mapper: mapper)
            let file = Repository.workedExamples.appendingPathComponent("\(name).json")
            let written = FileManager.default.contents(atPath: file.path).map { Array($0) }
            #expect(
                written == bytes,
                "docs/stix/\(name).json is not what the mapping gives now: run docs/stix/generate.sh and review the difference"
            )
        }
        // Every incident type has its worked example.
        for type in Repository.catalog.incidentTypes {
            #expect(
                FileManager.default.fileExists(
                    atPath: Repository.workedExamples.appendingPathComponent("\(type.id).json").path))
        }
    }

    @Test func theSameBulletinGivesTheSameBytes() throws {
        for (name, bulletin) in Repository.examplesByName {
            let once = try STIXBundle.bytes(of: [bulletin], mapper: mapper)
            let twice = try STIXBundle.bytes(
                of: [bulletin], mapper: STIXMapper(crossingPoints: Repository.catalog.crossingPoints))
            #expect(once == twice, "\(name)")
        }
    }

    @Test func idsAreUUIDv5OfTheBulletinAndThePlace() throws {
        let objects = try objects("drug-trafficking")
        // Computed independently: Python's uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL,
        // "https://bordernet.example/stix"), "DZ-01JFK6SY9541SJ3EQHB6GD1GHC/report").
        #expect(objects.contains { $0.id == "report--1d8b087d-9c87-50a9-864a-2869ef411736" })
        for object in objects where object.type != "marking-definition" {
            let text = Array(object.id.utf8.dropFirst(object.type.utf8.count + 2))
            #expect(text.count == 36, "\(object.id)")
            #expect(text[14] == UInt8(ascii: "5"), "\(object.id) is not a UUIDv5")
            #expect(
                [UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(text[19]),
                "\(object.id)")
        }
        #expect(Set(objects.map { $0.id + $0.modified }).count == objects.count, "ids are unique")
    }

    @Test func uuid5MatchesTheRFCExample() {
        // RFC 9562 Appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
        let dns: [UInt8] = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
        ]
        #expect(STIXIdentifier.uuid5(namespace: dns, name: "www.example.com") == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
    }

    @Test(arguments: TLPMarking.allCases)
    func everyObjectCarriesTheOfficialMarkingOfItsTLP(_ tlp: TLPMarking) throws {
        let bulletin = try #require(Repository.examplesByName["migrant-smuggling"]).setting(
            "tlp", .string(tlp.rawValue))
        let objects = try mapper.objects(for: bulletin)
        let markings = objects.filter { $0.type == "marking-definition" }
        #expect(markings.map(\.id) == [tlp.id])
        let marking = try #require(markings.first?.content)
        #expect(marking["name"]?.stringValue == "TLP:\(tlp.rawValue)")
        #expect(
            marking["extensions"]?[TLPMarking.extensionDefinitionID]?["tlp_2_0"]?.stringValue
                == tlp.rawValue.lowercased())
        #expect(marking["created"]?.stringValue == "2022-10-01T00:00:00.000Z")
        let marked = objects.filter {
            $0.content["created_by_ref"]?.stringValue != BorderNetExtension.creatorID
                && $0.content["object_marking_refs"] != nil
        }
        #expect(marked.count >= 5)
        for object in objects
        where !["marking-definition", "identity", "extension-definition"].contains(object.type)
            && !object.modified.hasPrefix("2025-01-01")
        {
            #expect(object.content["object_marking_refs"] == .array([.string(tlp.id)]), "\(object.id)")
        }
        let expected = [
            TLPMarking.clear: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
            .green: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
            .amber: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
            .amberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
            .red: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        ]
        #expect(tlp.id == expected[tlp])
    }

    @Test func aCorrectionIsANewVersionOfTheSameReportAndIncident() throws {
        let original = try objects("drug-trafficking")
        let pair = Repository.workedExample("drug-trafficking.correction")
        #expect(pair.count == 2)
        let lineage = STIXLineage.resolve(pair[1]) { id in pair.first { $0["id"]?.stringValue == id } }
        #expect(lineage?.rootID == "DZ-01JFK6SY9541SJ3EQHB6GD1GHC")
        let corrected = try mapper.objects(for: pair[1], lineage: lineage)
        for type in ["report", "incident"] {
            let before = try first(original, type)
            let after = try first(corrected, type)
            #expect(before["id"] == after["id"])
            #expect(before["created"] == after["created"])
            #expect(after["created"]?.stringValue == "2025-03-14T08:15:00.000Z")
            #expect(after["modified"]?.stringValue == "2025-03-15T09:00:00.000Z")
            #expect(after["revoked"] == nil)
        }
        // The objects of the same places keep their ids too.
        let originalIDs = Set(original.map(\.id))
        #expect(corrected.filter { originalIDs.contains($0.id) }.count == original.count)
        // Another agency of the same state may correct: the creator of every version stays the state.
        let byCustoms = try mapper.objects(
            for: pair[1].setting("reportingAgency", .string("Direction générale des douanes")), lineage: lineage)
        #expect(try first(byCustoms, "report")["created_by_ref"] == first(original, "report")["created_by_ref"])
        #expect(
            try first(byCustoms, "report")["created_by_ref"]?.stringValue == STIXMapper.originIdentityID(origin: "DZ"))
        // Without the first bulletin at hand, the ids are still the corrected bulletin's.
        let alone = try mapper.objects(for: pair[1])
        #expect(try first(alone, "report")["id"] == first(original, "report")["id"])
        #expect(try first(alone, "report")["created"]?.stringValue == "2025-03-15T09:00:00.000Z")
    }

    @Test func aCorrectionReportedNoLaterThanItsFirstVersionStillComesAfterIt() throws {
        let pair = Repository.workedExample("drug-trafficking.correction")
        let early = pair[1].setting("reportedAt", .string("2025-03-14T09:15:00+01:00"))
        let lineage = STIXLineage.resolve(early) { id in pair.first { $0["id"]?.stringValue == id } }
        let report = try first(mapper.objects(for: early, lineage: lineage), "report")
        #expect(report["created"]?.stringValue == "2025-03-14T08:15:00.000Z")
        #expect(report["modified"]?.stringValue == "2025-03-14T08:15:00.001Z")
    }

    @Test func aWithdrawalRevokesTheReportAndIncident() throws {
        let original = try objects("fuel-smuggling")
        let pair = Repository.workedExample("fuel-smuggling.withdrawal")
        let lineage = STIXLineage.resolve(pair[1]) { id in pair.first { $0["id"]?.stringValue == id } }
        let withdrawn = try mapper.objects(for: pair[1], lineage: lineage)
        for type in ["report", "incident"] {
            let before = try first(original, type)
            let after = try first(withdrawn, type)
            #expect(before["id"] == after["id"])
            #expect(after["revoked"] == .bool(true))
            #expect(before["created"] == after["created"])
            #expect(after["modified"]?.stringValue == "2025-05-19T08:00:00.000Z")
        }
        let refs = try #require(first(withdrawn, "report")["object_refs"]?.arrayValue)
        #expect(try refs.first == first(original, "incident")["id"])
    }

    /// The ids of the objects that belong to a bulletin (all but the shared ones).
    func own(_ objects: [STIXObject]) -> [STIXObject] {
        objects.filter { object in
            !["marking-definition", "extension-definition"].contains(object.type)
                && object.content["created_by_ref"] != nil && object.content["object_marking_refs"] != nil
        }
    }

    func revoked(_ objects: [STIXObject]) -> [String: [String: JSONValue]] {
        var out: [String: [String: JSONValue]] = [:]
        for object in objects where object.content["revoked"] == .bool(true) {
            out[object.id] = object.content.objectValue
        }
        return out
    }

    @Test func aWithdrawalRevokesEveryObjectOfTheBulletinButTheSharedOnes() throws {
        let pair = Repository.workedExample("fuel-smuggling.withdrawal")
        let original = try mapper.objects(for: pair[0])
        let lineage = STIXLineage.resolve(pair[1]) { id in pair.first { $0["id"]?.stringValue == id } }
        #expect(lineage?.versions == [pair[0]])
        let withdrawn = try mapper.objects(for: pair[1], lineage: lineage)
        let gone = revoked(withdrawn)
        let mine = own(original)
        #expect(mine.contains { $0.type == "threat-actor" } && mine.contains { $0.type == "location" })
        #expect(Set(gone.keys) == Set(mine.map(\.id)))
        for object in mine {
            let before = try #require(object.content.objectValue)
            let after = try #require(gone[object.id])
            for key in ["type", "id", "created", "created_by_ref", "object_marking_refs", "spec_version"] {
                #expect(after[key] == before[key], "\(object.id) \(key)")
            }
            #expect(after["modified"]?.stringValue == "2025-05-19T08:00:00.000Z")
            #expect(try #require(after["modified"]?.stringValue) > (before["modified"]?.stringValue ?? ""))
            switch object.type {
            case "relationship":
                for key in ["relationship_type", "source_ref", "target_ref"] { #expect(after[key] == before[key]) }
            case "location":
                #expect(after["country"] != nil || after["latitude"] != nil)
                #expect(after["latitude"] == before["latitude"] && after["country"] == before["country"])
            case "threat-actor", "identity", "infrastructure", "incident", "report": #expect(after["name"] != nil)
            case "language-content":
                #expect(after["object_ref"] == before["object_ref"] && after["contents"] == before["contents"])
            case "note": #expect(after["content"] == before["content"] && after["object_refs"] == before["object_refs"])
            default: break
            }
        }
        // Shared objects are written as they are, never revoked; every reference resolves.
        let ids = Set(withdrawn.map(\.id))
        for object in withdrawn where !mine.contains(where: { $0.id == object.id }) {
            #expect(object.content["revoked"] == nil, "\(object.id)")
        }
        for object in withdrawn {
            for key in ["source_ref", "target_ref", "object_ref", "created_by_ref"] {
                if let ref = object.content[key]?.stringValue { #expect(ids.contains(ref), "\(object.id) \(key)") }
            }
            for ref in (object.content["object_refs"]?.arrayValue ?? []).compactMap(\.stringValue) {
                #expect(ids.contains(ref), "\(object.id) object_refs \(ref)")
            }
        }
    }

    @Test func aWithdrawalOfANotesBulletinRevokesItsNotesAndPeople() throws {
        // document-fraud has a note (a document) and a threat actor; withdrawn by a bulletin of its state.
        let bulletin = try #require(Repository.examplesByName["document-fraud"])
        let id = try #require(bulletin["id"]?.stringValue)
        let withdrawal = try #require(Repository.examplesByName["fuel-smuggling.withdrawal"])
            .setting("id", .string(STIXLineage.origin(of: id) + "-01JWITHDRAWAL0000000000000"))
            .setting("withdraws", .string(id)).setting("reportedAt", .string("2030-01-01T00:00:00Z"))
        let lineage = STIXLineage.resolve(withdrawal) { $0 == id ? bulletin : nil }
        let gone = revoked(try mapper.objects(for: withdrawal, lineage: lineage))
        let mine = own(try mapper.objects(for: bulletin))
        #expect(mine.contains { $0.type == "note" } && mine.contains { $0.type == "threat-actor" })
        #expect(Set(gone.keys) == Set(mine.map(\.id)))
    }

    /// The correction of drug-trafficking without its second person (`AG ALHASSANE Ibrahim`).
    func correctionDroppingAPerson() throws -> (first: JSONValue, correction: JSONValue) {
        let pair = Repository.workedExample("drug-trafficking.correction")
        let people = try #require(pair[1]["details"]?["people"]?.arrayValue)
        #expect(people.count == 2)
        let details = try #require(pair[1]["details"]).setting("people", .array([people[0]]))
        return (pair[0], pair[1].setting("details", details))
    }

    @Test func aCorrectionRevokesThePersonItDropsAndItsRelationships() throws {
        let (firstVersion, correction) = try correctionDroppingAPerson()
        let root = try #require(firstVersion["id"]?.stringValue)
        let lineage = STIXLineage.resolve(correction) { $0 == root ? firstVersion : nil }
        let before = try mapper.objects(for: firstVersion)
        let after = try mapper.objects(for: correction, lineage: lineage)
        let person = STIXIdentifier.make(type: "threat-actor", name: "\(root)/person/1")
        let link = STIXIdentifier.make(type: "relationship", name: "\(root)/relationship/incident/person/1")
        #expect(before.contains { $0.id == person } && before.contains { $0.id == link })
        let gone = revoked(after)
        #expect(Set(gone.keys) == [person, link])
        #expect(gone[person]?["name"]?.stringValue == "AG ALHASSANE Ibrahim")
        #expect(gone[person]?["modified"]?.stringValue == "2025-03-15T09:00:00.000Z")
        #expect(gone[link]?["target_ref"]?.stringValue == person)
        // The others are replaced (a new version, not revoked); the report no longer refers to the person.
        let kept = STIXIdentifier.make(type: "threat-actor", name: "\(root)/person/0")
        #expect(after.first { $0.id == kept }?.content["revoked"] == nil)
        #expect(after.first { $0.id == kept }?.modified == "2025-03-15T09:00:00.000Z")
        let refs = try #require(first(after, "report")["object_refs"]?.arrayValue)
        #expect(!refs.contains(.string(person)) && !refs.contains(.string(link)))
        // Without the first version at hand, nothing is revoked.
        #expect(revoked(try mapper.objects(for: correction)).isEmpty)
    }

    @Test func aPlaceRevokedAndFilledAgainGetsANewIDAndVersionsAreOrdered() throws {
        let (firstVersion, dropped) = try correctionDroppingAPerson()
        let root = try #require(firstVersion["id"]?.stringValue)
        let droppedID = try #require(dropped["id"]?.stringValue)
        // A second correction, reported *before* the first one, gives the person back.
        let again = try #require(Repository.examplesByName["drug-trafficking.correction"])
            .setting("id", .string("DZ-01JFK6SY9541SJ3EQHB6GD1AGN")).setting("corrects", .string(droppedID))
            .setting("reportedAt", .string("2025-03-15T08:00:00Z"))
        let all = [firstVersion, dropped, again]
        let lineage = STIXLineage.resolve(again) { id in all.first { $0["id"]?.stringValue == id } }
        #expect(lineage?.rootID == root && lineage?.versions.count == 2)
        let objects = try mapper.objects(for: again, lineage: lineage)
        let person = STIXIdentifier.make(type: "threat-actor", name: "\(root)/person/1")
        let back = STIXIdentifier.make(type: "threat-actor", name: "\(root)/person/1/again/1")
        #expect(!objects.contains { $0.id == person })
        #expect(objects.first { $0.id == back }?.content["name"]?.stringValue == "AG ALHASSANE Ibrahim")
        #expect(revoked(objects).isEmpty)
        // Each version is newer than the one before, whatever the times written.
        let report = try first(objects, "report")
        #expect(report["modified"]?.stringValue == "2025-03-15T09:00:00.001Z")
        #expect(own(objects).allSatisfy { $0.modified == "2025-03-15T09:00:00.001Z" })
    }

    @Test func aBulletinCannotCorrectOrWithdrawAnotherStatesObjects() throws {
        let original = try objects("drug-trafficking")
        let pair = Repository.workedExample("drug-trafficking.correction")
        let foreignID = "TN-" + String(try #require(pair[1]["id"]?.stringValue).dropFirst(3))
        for member in ["corrects", "withdraws"] {
            var foreign = pair[1].setting("id", .string(foreignID))
            if member == "withdraws" { foreign = foreign.setting("corrects", nil).setting("withdraws", pair[0]["id"]) }
            let lookup: (String) -> JSONValue? = { id in pair.first { $0["id"]?.stringValue == id } }
            #expect(STIXLineage.resolve(foreign, lookup: lookup) == nil)
            let forged = STIXLineage(rootID: try #require(pair[0]["id"]?.stringValue), created: nil)
            for lineage in [nil, forged] {
                let mapped = try mapper.objects(for: foreign, lineage: lineage)
                #expect(
                    Set(mapped.map(\.id)).isDisjoint(
                        with: original.filter { $0.content["object_marking_refs"] != nil }.map(\.id)))
                #expect(try first(mapped, "report")["id"] != first(original, "report")["id"], "\(member)")
            }
        }
    }

    @Test func theChainIsFollowedToItsFirstBulletinAndBounded() {
        let a: JSONValue = .object(["id": .string("DZ-A"), "reportedAt": .string("2025-01-01T00:00:00Z")])
        let b: JSONValue = .object(["id": .string("DZ-B"), "corrects": .string("DZ-A")])
        let c: JSONValue = .object(["id": .string("DZ-C"), "corrects": .string("DZ-B")])
        let w: JSONValue = .object(["id": .string("DZ-W"), "withdraws": .string("DZ-C")])
        let all = [a, b, c, w]
        let lookup: (String) -> JSONValue? = { id in all.first { $0["id"]?.stringValue == id } }
        #expect(STIXLineage.resolve(a, lookup: lookup) == nil)
        #expect(
            STIXLineage.resolve(w, lookup: lookup)
                == STIXLineage(
                    rootID: "DZ-A", created: STIXTimestamp(rfc3339: "2025-01-01T00:00:00Z"), versions: [a, b, c]))
        // Without the first bulletin, the versions found on the way.
        let noRoot: (String) -> JSONValue? = { id in id == "DZ-A" ? nil : lookup(id) }
        #expect(STIXLineage.resolve(w, lookup: noRoot) == STIXLineage(rootID: "DZ-A", created: nil, versions: [b, c]))
        // A cycle ends; an endless chain is cut.
        let x: JSONValue = .object(["id": .string("DZ-X"), "corrects": .string("DZ-Y")])
        let y: JSONValue = .object(["id": .string("DZ-Y"), "corrects": .string("DZ-X")])
        #expect(STIXLineage.resolve(x) { $0 == "DZ-Y" ? y : x }?.rootID == "DZ-Y")
        var calls = 0
        let endless = STIXLineage.resolve(c) { id in
            calls += 1
            return .object(["id": .string(id), "corrects": .string(id + "x")])
        }
        #expect(endless != nil && calls <= STIXLineage.maximumChainLength)
        #expect((endless?.versions.count ?? 0) <= STIXLineage.maximumChainLength)
    }

    @Test func noTimestampCarriesAnOffset() throws {
        let pattern = try Regex(#"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#)
        let keys: Set<String> = [
            "created", "modified", "published", "object_modified", "occurred_at", "reported_at", "valid_until",
        ]
        for (name, _) in Repository.examplesByName {
            for bulletin in Repository.workedExample(name) {
                let lineage = STIXLineage.resolve(bulletin) { _ in nil }
                for object in try mapper.objects(for: bulletin, lineage: lineage) {
                    var checked = object.content.objectValue ?? [:]
                    if let own = object.content["extensions"]?[BorderNetExtension.id]?.objectValue {
                        checked.merge(own) { first, _ in first }
                    }
                    for (key, value) in checked where keys.contains(key) {
                        let text = try #require(value.stringValue)
                        #expect(text.wholeMatch(of: pattern) != nil, "\(name) \(object.id) \(key): \(text)")
                    }
                }
            }
        }
    }

    @Test func textsInTheOtherLanguagesAreLanguageContent() throws {
        let objects = try objects("drug-trafficking")
        let report = try first(objects, "report")
        #expect(report["lang"]?.stringValue == "fr")
        let contents = objects.filter { $0.type == "language-content" }
        #expect(contents.count == 2)
        let forReport = try #require(contents.first { $0.content["object_ref"] == report["id"] })
        #expect(forReport.content["object_modified"] == report["modified"])
        #expect(
            forReport.content["contents"]?["ar"]?["name"]?.stringValue == "حجز 1,2 طن من راتنج القنب قرب برج باجي مختار"
        )
        #expect(forReport.content["contents"]?["fr"] == nil)
    }

    @Test func theReportRefersToEveryObjectOfTheBulletin() throws {
        for (name, bulletin) in Repository.examplesByName where bulletin["withdraws"] == nil {
            let objects = try mapper.objects(for: bulletin)
            let report = try first(objects, "report")
            let refs = Set((report["object_refs"]?.arrayValue ?? []).compactMap(\.stringValue))
            for object in objects
            where !["report", "marking-definition", "extension-definition", "identity", "language-content"].contains(
                object.type)
            {
                #expect(refs.contains(object.id), "\(name): \(object.id) missing from object_refs")
            }
            let ids = Set(objects.map(\.id))
            for ref in refs { #expect(ids.contains(ref), "\(name): \(ref) is not in the bundle") }
            for relationship in objects where relationship.type == "relationship" {
                #expect(ids.contains(relationship.content["source_ref"]?.stringValue ?? ""))
                #expect(ids.contains(relationship.content["target_ref"]?.stringValue ?? ""))
            }
        }
    }

    @Test func personsByRoleAndLinksAsTheSpecificationNamesThem() throws {
        let objects = try objects("drug-trafficking")
        let actors = objects.filter { $0.type == "threat-actor" }
        #expect(actors.count == 2)
        #expect(
            actors.contains {
                $0.content["name"]?.stringValue == "BENAISSA Mohamed Lamine"
                    && $0.content["roles"] == .array([.string("director")])
            })
        let phone = try #require(
            objects.first { $0.type == "infrastructure" && $0.content["name"]?.stringValue == "+8821655512345" })
        // p1 linkedTo ph1 and ph1 linkedTo p1: one relationship, threat-actor uses infrastructure.
        let links = objects.filter { $0.content["relationship_type"]?.stringValue == "uses" }
        #expect(links.count == 1)
        #expect(links.first?.content["target_ref"]?.stringValue == phone.id)
    }

    @Test func anythingButABulletinIsRefused() throws {
        let bulletin = try #require(Repository.examplesByName["arms-cache"])
        #expect(throws: STIXMappingError.notAnObject) { try mapper.objects(for: .array([])) }
        #expect(throws: STIXMappingError.missingMember("id")) { try mapper.objects(for: bulletin.setting("id", nil)) }
        #expect(throws: STIXMappingError.invalidValue(member: "tlp", value: "WHITE")) {
            try mapper.objects(for: bulletin.setting("tlp", .string("WHITE")))
        }
        #expect(throws: STIXMappingError.invalidValue(member: "reportedAt", value: "yesterday")) {
            try mapper.objects(for: bulletin.setting("reportedAt", .string("yesterday")))
        }
        #expect(throws: STIXMappingError.missingMember("location")) {
            try mapper.objects(for: bulletin.setting("location", .string("x")))
        }
    }

    @Test func everyLocationHasACountryOrCoordinates() throws {
        let bulletin = try #require(Repository.examplesByName["drug-trafficking"])
        var details = bulletin["details"]?.objectValue ?? [:]
        details["places"] = .array([
            .object(["name": .string("somewhere")]), .object(["crossingPoint": .string("XX-YY-UNKNOWN")]),
            .object(["crossingPoint": .string("DZ-ML-BORDJ-BADJI-MOKHTAR")]),
        ])
        let locations = try mapper.objects(for: bulletin.setting("details", .object(details))).filter {
            $0.type == "location"
        }
        #expect(locations.count == 5)
        for location in locations {
            #expect(location.content["country"] != nil || location.content["latitude"] != nil, "\(location.content)")
        }
    }

    @Test func aBulletinGivingTooManyObjectsIsRefusedNotCut() throws {
        let bulletin = try #require(Repository.examplesByName["wanted-person"])
        let person: JSONValue = .object(["name": .object(["latin": .string("DOE John")]), "role": .string("suspect")])
        var details = bulletin["details"]?.objectValue ?? [:]
        details["people"] = .array(Array(repeating: person, count: STIXMapper.maximumObjectsPerBulletin / 2 + 1))
        #expect(throws: STIXMappingError.tooManyObjects(limit: STIXMapper.maximumObjectsPerBulletin)) {
            try mapper.objects(for: bulletin.setting("details", .object(details)))
        }
    }
}

@Suite struct STIXTimestampTests {
    @Test func offsetsBecomeUTCWithMilliseconds() {
        #expect(STIXTimestamp(rfc3339: "2025-03-14T02:40:00+01:00")?.description == "2025-03-14T01:40:00.000Z")
        #expect(STIXTimestamp(rfc3339: "2025-03-14T23:40:00-02:30")?.description == "2025-03-15T02:10:00.000Z")
        // Offsets that carry the instant out of four-digit years in UTC have no STIX form.
        #expect(STIXTimestamp(rfc3339: "9999-12-31T23:59:59-01:00") == nil)
        #expect(STIXTimestamp(rfc3339: "0001-01-01T00:00:00+01:00") == nil)
        #expect(STIXTimestamp(rfc3339: "9999-12-31T23:59:59Z")?.description == "9999-12-31T23:59:59.000Z")
        #expect(STIXTimestamp(rfc3339: "0001-01-01T00:00:00Z")?.description == "0001-01-01T00:00:00.000Z")
        #expect(STIXTimestamp(rfc3339: "2024-02-29T12:00:00.1234567Z")?.description == "2024-02-29T12:00:00.123Z")
        #expect(STIXTimestamp(rfc3339: "2025-01-01t00:00:00.5z")?.description == "2025-01-01T00:00:00.500Z")
        #expect(STIXTimestamp(rfc3339: "1970-01-01T00:30:00+01:00")?.description == "1969-12-31T23:30:00.000Z")
        #expect(STIXTimestamp(rfc3339: "2016-12-31T23:59:60Z")?.description == "2016-12-31T23:59:59.999Z")
    }

    @Test func anythingElseIsRefused() {
        for text in [
            "", "2025-03-14", "2025-03-14T02:40:00", "2025-02-29T00:00:00Z", "2025-13-01T00:00:00Z",
            "2025-03-14T24:00:00Z",
            "2025-03-14T02:40:00+0100", "2025-03-14T02:40:00.Z", "0000-01-01T00:00:00Z", "2025-03-14T02:40:00Z ",
            "２０２５-03-14T02:40:00Z",
        ] {
            #expect(STIXTimestamp(rfc3339: text) == nil, "\(text)")
        }
    }
}

@Suite struct STIXBundleWriterTests {
    @Test func sharedObjectsAreWrittenOnceAndAnEmptyBundleHasNoObjects() throws {
        var writer = STIXBundleWriter()
        let begin = writer.begin(id: "bundle--x")
        let marking = TLPMarking.red.object
        let first = writer.add([marking, BorderNetExtension.definition])
        let second = writer.add([marking, BorderNetExtension.definition])
        #expect(second.isEmpty)
        #expect(writer.objectCount == 2)
        let text = String(decoding: begin + first + writer.end(), as: UTF8.self)
        let parsed = try JSONParser().parse(Array(text.utf8))
        #expect(parsed["objects"]?.arrayValue?.count == 2)
        #expect(parsed["type"]?.stringValue == "bundle")
        let empty = STIXBundleWriter()
        let emptyText = empty.begin(id: "bundle--y") + empty.end()
        #expect(try JSONParser().parse(emptyText)["objects"] == nil)
    }

    @Test func theBundleIDDependsOnTheSelectionOnly() {
        #expect(
            STIXBundleWriter.bundleID(bulletinIDs: ["DZ-B", "DZ-A"])
                == STIXBundleWriter.bundleID(bulletinIDs: ["DZ-A", "DZ-B"]))
        #expect(
            STIXBundleWriter.bundleID(bulletinIDs: ["DZ-A"])
                != STIXBundleWriter.bundleID(bulletinIDs: ["DZ-A", "DZ-B"]))
    }

    @Test func keysAreSortedAndTextIsKeptAsIs() {
        let value: JSONValue = .object([
            "b": .integer(1), "a": .array([.string("é\"\n"), .decimal(21.6135), .decimal(33)]),
        ])
        let text = String(decoding: CanonicalJSON.bytes(value), as: UTF8.self)
        #expect(text == "{\n  \"a\": [\n    \"é\\\"\\n\",\n    21.6135,\n    33\n  ],\n  \"b\": 1\n}")
    }
}

@Suite struct STIXProfileTests {
    @Test func theMISPProfileLeavesOutOnlyWhatMISPCannotLoadAndEveryReferenceResolves() throws {
        for name in Repository.examplesByName.keys.sorted() {
            let bulletins = Repository.workedExample(name)
            var byID: [String: JSONValue] = [:]
            for bulletin in bulletins { byID[bulletin["id"]?.stringValue ?? ""] = bulletin }
            let last = try #require(bulletins.last)
            let standard = try Repository.mapper.objects(
                for: last, lineage: STIXLineage.resolve(last) { byID[$0] })
            let misp = STIXProfile.misp.apply(standard)
            #expect(STIXProfile.standard.apply(standard) == standard)
            let ids = Set(misp.map(\.id))
            #expect(!misp.contains { ["incident", "infrastructure", "language-content"].contains($0.type) }, "\(name)")
            for object in misp {
                for key in ["source_ref", "target_ref", "created_by_ref"] {
                    if let ref = object.content[key]?.stringValue { #expect(ids.contains(ref), "\(name) \(object.id)") }
                }
                for ref in (object.content["object_refs"]?.arrayValue ?? []).compactMap(\.stringValue) {
                    #expect(ids.contains(ref), "\(name) \(object.id) \(ref)")
                }
                if object.content["revoked"] == .bool(true) {
                    #expect(object.type == "report")
                    #expect(object.content["labels"]?.arrayValue?.contains(.string(STIXProfile.withdrawnLabel)) == true)
                }
            }
            // Each means is a note of the same UUID; threat actors, places and documents are kept.
            for object in standard where object.content["revoked"] == nil {
                switch object.type {
                case "infrastructure": #expect(ids.contains("note--" + object.id.dropFirst("infrastructure--".count)))
                case "threat-actor", "location", "note": #expect(ids.contains(object.id), "\(name) \(object.id)")
                default: break
                }
            }
        }
    }
}
