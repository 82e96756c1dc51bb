import Clearance
import Exchange
import Foundation
import Observables
import SearchIndex
import Store
import Testing

@Suite struct SearchIndexTests {
    typealias F = IndexFixture

    func ids(_ page: SearchPage) -> [BulletinReference] { page.hits.map(\.reference) }

    @Test func findsFoldedWordsAllRequired() throws {
        let fixture = try F()
        try fixture.add([
            (F.bulletin(1), F.titled("Passeurs arrêtés à la frontière")),
            (F.bulletin(2), F.titled("Passeurs en fuite")),
        ])
        let reader = try fixture.reader()
        #expect(ids(try reader.search(SearchQuery(scope: .everything, text: "passeurs"))) == [F.reference(2), F.reference(1)])
        #expect(ids(try reader.search(SearchQuery(scope: .everything, text: "PASSEURS arretes"))) == [F.reference(1)])
        #expect(ids(try reader.search(SearchQuery(scope: .everything, text: "passeurs absent"))).isEmpty)
        #expect(try reader.search(SearchQuery(scope: .everything, text: "fuite")).hits.first?.reasons == ["text"])
    }

    @Test func foldsArabicBothWays() throws {
        let fixture = try F()
        try fixture.add([(F.bulletin(1), F.titled("تهريب المهاجرين عبر الحدود"))])
        let reader = try fixture.reader()
        // With harakat and another alef form in the query, without them in the bulletin.
        #expect(ids(try reader.search(SearchQuery(scope: .everything, text: "تَهْرِيب"))) == [F.reference(1)])
        let fixture2 = try F()
        try fixture2.add([(F.bulletin(1), F.titled("تَهْرِيبُ المُهاجِرين"))])
        #expect(ids(try fixture2.reader().search(SearchQuery(scope: .everything, text: "تهريب"))) == [F.reference(1)])
    }

    @Test func findsANameAcrossScripts() throws {
        let fixture = try F()
        try fixture.add([
            (F.bulletin(1), F.titled("عبور غير نظامي", persons: [ObservedPerson(name: "محمد بن يوسف")])),
            (F.bulletin(2), F.titled("Other", persons: [ObservedPerson(name: "Karim Haddad")])),
            (F.bulletin(3), F.titled("Crossing", persons: [ObservedPerson(name: "Mohamed Ben Youssef")])),
        ])
        let reader = try fixture.reader()
        let page = try reader.search(SearchQuery(scope: .everything, text: "Mohamed Ben Youssef"))
        #expect(ids(page) == [F.reference(3), F.reference(1)])
        #expect(page.hits.last?.reasons.first?.hasPrefix("name ") == true)
        #expect(page.hits.last?.reasons.first?.hasSuffix("محمد بن يوسف") == true)
        let arabic = try reader.search(SearchQuery(scope: .everything, text: "محمد بن يوسف"))
        #expect(ids(arabic) == [F.reference(3), F.reference(1)])
    }

    @Test func appliesEveryFilter() throws {
        let fixture = try F()
        let document = ObservableIdentifier(kind: .document, key: "MA:AB123456", written: "AB 123456")
        try fixture.add([
            (F.bulletin(1, origin: "MA", type: "drug-trafficking", tlp: .amber, workingGroup: "customs"), F.titled("port", occurredAt: 500)),
            (F.bulletin(2, origin: "DZ", type: "migrant-smuggling", tlp: .green), F.titled("port", identifiers: [document], crossingPoints: ["dz-ma-01"])),
            (F.bulletin(3, origin: "TN", type: "migrant-smuggling", tlp: .red, workingGroup: "intelligence"), F.titled("port")),
        ])
        let reader = try fixture.reader()
        func run(_ change: (inout SearchQuery) -> Void) throws -> [BulletinReference] {
            var query = SearchQuery(scope: .everything, text: "port")
            change(&query)
            return ids(try reader.search(query))
        }
        #expect(try run { $0.incidentType = "drug-trafficking" } == [F.reference(1)])
        #expect(try run { $0.origin = F.state("DZ") } == [F.reference(2, origin: "DZ")])
        #expect(try run { $0.tlps = [.red, .amber] } == [F.reference(3, origin: "TN"), F.reference(1)])
        #expect(try run { $0.tlps = [] }.isEmpty)
        #expect(try run { $0.workingGroups = ["customs"] } == [F.reference(1)])
        // occurred_at (0.5 s) before stored_at where the bulletin gives it.
        #expect(try run { $0.until = 1_000 } == [F.reference(1)])
        #expect(try run { $0.since = 2_000 } == [F.reference(3, origin: "TN"), F.reference(2, origin: "DZ")])
        #expect(try run { $0.crossingPoint = "DZ-MA-01" } == [F.reference(2, origin: "DZ")])
        #expect(try run { $0.identifierKind = "document"; $0.identifierValue = "MA:AB123456" } == [F.reference(2, origin: "DZ")])
        #expect(try run { $0.identifierKind = "document"; $0.identifierValue = "MA:ZZ000000" }.isEmpty)
        // Without its state, by the number alone; written with spaces and lower case.
        #expect(try run { $0.identifierKind = "document"; $0.identifierValue = "ab 123456" } == [F.reference(2, origin: "DZ")])
        #expect(try run { $0.identifierKind = "document"; $0.identifierValue = "DZ:AB123456" }.isEmpty)
        #expect(try run { $0.identifierKind = "no-such-kind"; $0.identifierValue = "1" }.isEmpty)
        // Filters alone, without text.
        var byDocument = SearchQuery(scope: .everything)
        byDocument.identifierKind = "document"
        byDocument.identifierValue = "MA:AB123456"
        let hit = try #require(try reader.search(byDocument).hits.first)
        #expect(hit.reference == F.reference(2, origin: "DZ"))
        #expect(hit.reasons == ["document MA:AB123456"])
        #expect(hit.incidentType == "migrant-smuggling" && hit.tlp == .green && hit.storedAtMilliseconds == 2_000)
    }

    @Test func aReaderSeesOnlyItsScope() throws {
        let fixture = try F()
        try fixture.add([
            (F.bulletin(1, tlp: .green, workingGroup: "security"), F.titled("convoy", persons: [ObservedPerson(name: "Mohamed Ben Youssef")])),
            (F.bulletin(2, tlp: .red, workingGroup: "security"), F.titled("convoy")),
            (F.bulletin(3, tlp: .green, workingGroup: "intelligence"), F.titled("convoy")),
            (F.bulletin(4, tlp: .green, workingGroup: "security", handling: ["no-customs"]), F.titled("convoy")),
        ])
        let reader = try fixture.reader()
        #expect(try reader.search(SearchQuery(scope: .nothing, text: "convoy")).hits.isEmpty)
        #expect(try reader.search(SearchQuery(scope: .nothing, text: "Mohamed Ben Youssef")).hits.isEmpty)
        let noClearance = ReadableScope.restricted(workingGroups: [], tlps: [.green], permittedHandling: [])
        #expect(try reader.search(SearchQuery(scope: noClearance, text: "convoy")).hits.isEmpty)
        let security = ReadableScope.restricted(workingGroups: [.security], tlps: [.clear, .green], permittedHandling: [])
        #expect(ids(try reader.search(SearchQuery(scope: security, text: "convoy"))) == [F.reference(1)])
        let permitted = ReadableScope.restricted(workingGroups: [.security], tlps: [.clear, .green], permittedHandling: ["no-customs"])
        #expect(ids(try reader.search(SearchQuery(scope: permitted, text: "convoy"))) == [F.reference(4), F.reference(1)])
        #expect(ids(try reader.search(SearchQuery(scope: .everything, text: "convoy"))).count == 4)
    }

    @Test func pagesNewestFirstWithACursor() throws {
        let fixture = try F()
        try fixture.add((1...25).map { (F.bulletin($0), F.titled("patrol \($0)", persons: $0 % 2 == 0 ? [ObservedPerson(name: "Youssef Amrani")] : [])) })
        let reader = try fixture.reader()
        for text in ["patrol", "Youssef Amrani"] {
            var seen: [BulletinReference] = []
            var query = SearchQuery(scope: .everything, text: text, limit: 10)
            for _ in 0..<10 {
                let page = try reader.search(query)
                seen += ids(page)
                guard let next = page.next else { break }
                query.after = next
            }
            let expected = text == "patrol" ? (1...25).reversed().map { F.reference($0) } : stride(from: 24, through: 2, by: -2).map { F.reference($0) }
            #expect(seen == expected, "\(text)")
        }
    }

    @Test func hostileTextNeverErrors() throws {
        let fixture = try F()
        try fixture.add([(F.bulletin(1), F.titled("near or and not"))])
        let reader = try fixture.reader()
        let texts = [
            "\"", "\"\"", "*", "a*", "NEAR(a b)", "NEAR(", "a OR b", "-x", "- -", "(", ")", "^near", "title:near", "{title}: x",
            "AND", "NOT", "\u{0}", "'; DROP TABLE indexed_bulletin; --", String(repeating: "ب", count: 10_000),
            String(repeating: "x ", count: 5_000), "%_", "near\"or", "\u{202E}", "🙂", "   ",
        ]
        for text in texts {
            _ = try reader.search(SearchQuery(scope: .everything, text: text))
        }
        // Operators are words: "or" is found as the word it is, and NEAR( does not group.
        #expect(ids(try reader.search(SearchQuery(scope: .everything, text: "near OR"))) == [F.reference(1)])
        #expect(ids(try reader.search(SearchQuery(scope: .everything, text: "absent OR near"))).isEmpty)
        #expect(try fixture.index.position()?.id == F.reference(1).description)
    }

    @Test func linksBulletinsThatShareAnIdentifierOrAPerson() throws {
        let fixture = try F()
        let passport = ObservableIdentifier(kind: .document, key: "MA:AB123456", written: "AB123456")
        let first = try fixture.add([
            (F.bulletin(1), F.titled("first", persons: [ObservedPerson(name: "محمد بن يوسف", birthYear: 1990)], identifiers: [passport])),
            (F.bulletin(2), F.titled("unrelated", persons: [ObservedPerson(name: "Karim Haddad")])),
        ])
        #expect(first.map(\.links.count) == [0, 0])
        let later = try fixture.add([
            (F.bulletin(3), F.titled("second", identifiers: [passport])),
            (F.bulletin(4, tlp: .red), F.titled("third", persons: [ObservedPerson(name: "Mohamed Ben Youssef", birthYear: 1990)])),
        ])
        #expect(later[0].links.map(\.other) == [F.reference(1)])
        #expect(later[0].links.first?.kind == .identifier(.document))
        #expect(later[0].links.first?.score == 1)
        #expect(later[1].links.map(\.other) == [F.reference(1)])
        #expect(later[1].links.first?.kind == .person)
        let reader = try fixture.reader()
        let links = try reader.links(of: F.reference(1), scope: .everything)
        #expect(Set(links.map(\.other)) == [F.reference(3), F.reference(4)])
        #expect(try reader.links(of: F.reference(3), scope: .everything).map(\.other) == [F.reference(1)])
        let green = ReadableScope.restricted(workingGroups: [.security], tlps: [.green], permittedHandling: [])
        #expect(try reader.links(of: F.reference(1), scope: green).map(\.other) == [F.reference(3)])
        #expect(try reader.links(of: F.reference(4), scope: green).isEmpty)
        #expect(try reader.links(of: F.reference(1), scope: .nothing).isEmpty)
    }

    @Test func earlierLinksAreThoseTheArrivalMadeAndNilBeforeIndexing() throws {
        let fixture = try F()
        let passport = ObservableIdentifier(kind: .document, key: "MA:AB123456", written: "AB123456")
        try fixture.add([(F.bulletin(1), F.titled("first", identifiers: [passport]))])
        try fixture.add([(F.bulletin(2, tlp: .red), F.titled("second", identifiers: [passport]))])
        let reader = try fixture.reader()
        // The later bulletin's, whatever the scope (the caller decides); none for the earlier one.
        let links = try #require(try reader.earlierLinks(of: F.reference(2)))
        #expect(links.map(\.other) == [F.reference(1)])
        #expect(links.first?.reason == "document MA:AB123456" && links.first?.score == 1)
        #expect(links.first?.kind.storedName == "identifier:document")
        #expect(try reader.earlierLinks(of: F.reference(1)) == [])
        #expect(try reader.earlierLinks(of: F.reference(3)) == nil)
    }

    @Test func skipsWhatIsIndexedAndRebuildsARemovedFile() throws {
        let fixture = try F()
        let items = (1...5).map { (F.bulletin($0), F.titled("checkpoint \($0)")) }
        #expect(try fixture.add(items).count == 5)
        #expect(try fixture.add(Array(items.suffix(2))).isEmpty)
        #expect(try fixture.index.position() == IndexPosition(storedAtMilliseconds: 5_000, id: F.reference(5).description))
        #expect(try fixture.reader().search(SearchQuery(scope: .everything, text: "checkpoint")).hits.count == 5)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: fixture.path + suffix) }
        #expect(throws: StoreError.self) { try SearchReader(path: fixture.path) }
        let rebuilt = try SearchIndex(path: fixture.path)
        #expect(try rebuilt.position() == nil)
        _ = try rebuilt.index(items.map(\.0), own: { _ in true }) { bulletin in items.first { $0.0 == bulletin }?.1 ?? BulletinObservables() }
        #expect(try SearchReader(path: fixture.path).search(SearchQuery(scope: .everything, text: "checkpoint")).hits.count == 5)
    }
}
