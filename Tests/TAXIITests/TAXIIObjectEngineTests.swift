import BulletinSchema
import Clearance
import Exchange
import STIX
import Store
import StoredSTIX
import TAXII
import Testing

/// The objects engine over real stores: pages, scope, versions and filters.
@Suite("TAXII objects engine")
struct TAXIIObjectEngineTests {
    static let customs = AgencyGrant(workingGroups: [.customs], highestTLP: .amberStrict, agencyKind: .lawEnforcement)
    static let customsRed = AgencyGrant(workingGroups: [.customs], highestTLP: .red, agencyKind: .lawEnforcement)

    /// A mix of 48 bulletins: customs and security, GREEN, AMBER and RED, some with handling codes.
    static func mixedStore() throws -> (TestStore, [(id: String, group: String, tlp: String, handling: [String])]) {
        let store = try TestStore()
        var written: [(id: String, group: String, tlp: String, handling: [String])] = []
        for number in 0..<48 {
            let group = number % 3 == 0 ? "security" : "customs"
            let tlp = ["GREEN", "AMBER", "RED", "AMBER+STRICT"][number % 4]
            let handling = number % 5 == 0 ? ["no-further-dissemination"] : number % 7 == 0 ? ["law-enforcement-use-only"] : []
            let id = TestStore.id(number + 1, origin: "TN")
            let example = number % 2 == 0 ? "fuel-smuggling" : "goods-smuggling"
            try store.receive(TestStore.bulletin(example, id: id, group: group, tlp: tlp, handling: handling), storedAt: 1_000 + UInt64(number) * 10)
            written.append((id, group, tlp, handling))
        }
        return (store, written)
    }

    /// Every page of `grant`'s collection under `filter`, following `next`.
    static func allPages(_ engine: TAXIIObjectEngine, grant: AgencyGrant, filter: TAXIIRequestFilter) throws -> [TAXIIPage] {
        var pages: [TAXIIPage] = []
        var cursor: TAXIICursor?
        let fingerprint = filter.fingerprint(scope: "test")
        for _ in 0..<1_000 {
            let result = try engine.page(grant: grant, filter: filter, cursor: cursor, fingerprint: fingerprint)
            pages.append(result.page)
            guard let next = result.page.next else { return pages }
            // Through the text, as a client hands it back.
            cursor = try TAXIICursor(text: next.text, fingerprint: fingerprint)
        }
        Issue.record("more than 1,000 pages")
        return pages
    }

    /// Whether an object is a bulletin's own (it carries a marking) rather than shared.
    static func isBulletinObject(_ object: STIXObject) -> Bool { object.content["object_marking_refs"] != nil }

    @Test("pages of 7 deliver every object of the scope once, nothing outside it, in date_added order")
    func paginationAndScope() throws {
        let (store, written) = try Self.mixedStore()
        let engine = try store.engine
        var filter = TAXIIRequestFilter()
        filter.limit = 7
        let pages = try Self.allPages(engine, grant: Self.customs, filter: filter)
        // What the grant admits, decided by the policy alone, mapped directly.
        var expected: [String] = []
        for bulletin in written {
            let facts = BulletinAccessFacts(
                tlp: try TLP(label: bulletin.tlp), workingGroup: WorkingGroup(rawValue: bulletin.group), handling: Set(bulletin.handling),
                origin: "TN", isOwn: false)
            guard ClearancePolicy.decide(agency: Self.customs, for: facts).isAllowed else { continue }
            let json = try #require(try engine.bodies.bulletin(bulletin.id))
            expected += try Repository.mapper.objects(for: json).filter(Self.isBulletinObject).map { $0.id + " " + $0.modified }
        }
        #expect(expected.count > 100)
        var seen: [String] = []
        var lastAdded: STIXTimestamp?
        for page in pages {
            #expect(page.versions.count <= 7)
            var inPage: Set<String> = []
            for version in page.versions {
                #expect(inPage.insert(version.object.id + " " + version.object.modified).inserted, "repeated within a page")
                if let lastAdded { #expect(lastAdded <= version.dateAdded) }
                lastAdded = version.dateAdded
                #expect(version.object.id != TLPMarking.red.id)
                if Self.isBulletinObject(version.object) { seen.append(version.object.id + " " + version.object.modified) }
            }
        }
        #expect(seen.count == Set(seen).count, "an object repeated across pages")
        #expect(Set(seen) == Set(expected))
        #expect(pages.dropLast().allSatisfy { $0.versions.count == 7 })
    }

    @Test("a grant named for RED receives the RED bulletins of its working groups, and only those")
    func redNamed() throws {
        let (store, written) = try Self.mixedStore()
        let engine = try store.engine
        let pages = try Self.allPages(engine, grant: Self.customsRed, filter: TAXIIRequestFilter())
        let reports = pages.flatMap(\.versions).map(\.object).filter { $0.type == "report" }
        let bulletinIDs = Set(reports.compactMap { $0.content["extensions"]?[BorderNetExtension.id]?["bulletin_id"]?.stringValue })
        let redCustoms = written.filter { $0.tlp == "RED" && $0.group == "customs" && $0.handling.isEmpty }.map(\.id)
        #expect(!redCustoms.isEmpty)
        #expect(Set(redCustoms).isSubset(of: bulletinIDs))
        #expect(bulletinIDs.allSatisfy { id in written.first { $0.id == id }?.group == "customs" })
        // The customs grant without RED never gets one of them.
        let plain = try Self.allPages(engine, grant: Self.customs, filter: TAXIIRequestFilter()).flatMap(\.versions)
        #expect(!plain.contains { $0.object.id == TLPMarking.red.id })
    }

    @Test("added_after is strictly after; match[type] selects types")
    func addedAfterAndType() throws {
        let (store, _) = try Self.mixedStore()
        let engine = try store.engine
        var filter = TAXIIRequestFilter()
        // Bulletin 40 was stored at 1,390 ms: strictly after it, bulletins 41…47.
        filter.addedAfter = STIXTimestamp(millisecondsSinceEpoch: 1_390)
        let versions = try Self.allPages(engine, grant: Self.customsRed, filter: filter).flatMap(\.versions)
        #expect(!versions.isEmpty)
        #expect(versions.allSatisfy { $0.dateAdded.millisecondsSinceEpoch > 1_390 })
        filter.addedAfter = nil
        filter.types = ["report"]
        let reports = try Self.allPages(engine, grant: Self.customsRed, filter: filter).flatMap(\.versions)
        #expect(!reports.isEmpty && reports.allSatisfy { $0.object.type == "report" })
        #expect(reports.count == Set(reports.map(\.object.id)).count)
    }

    @Test("a correction: last by default, first and all when asked; a withdrawal revokes")
    func versions() throws {
        let store = try TestStore()
        let original = Repository.example("drug-trafficking")
        let correction = Repository.example("drug-trafficking.correction")
        try store.receive(original, storedAt: 1_000)
        try store.receive(correction, storedAt: 2_000)
        let engine = try store.engine
        let security = AgencyGrant(workingGroups: [.security], highestTLP: .amber, agencyKind: .lawEnforcement)
        func reports(_ versions: [TAXIIRequestFilter.Version]) throws -> [TAXIIObjectVersion] {
            var filter = TAXIIRequestFilter()
            filter.types = ["report"]
            filter.versions = versions
            return try Self.allPages(engine, grant: security, filter: filter).flatMap(\.versions)
        }
        let last = try reports([.last])
        #expect(last.count == 1)
        #expect(last.first?.dateAdded.millisecondsSinceEpoch == 2_000)
        let all = try reports([.all])
        #expect(all.count == 2 && Set(all.map(\.object.id)).count == 1)
        let first = try reports([.first])
        #expect(first.count == 1 && first.first?.dateAdded.millisecondsSinceEpoch == 1_000)
        // Objects the correction no longer has keep their earlier version: still the last.
        let everything = try Self.allPages(engine, grant: security, filter: TAXIIRequestFilter()).flatMap(\.versions)
        #expect(everything.map(\.object.id).count == Set(everything.map(\.object.id)).count)
        // A grant that may not see the correction (customs) sees neither.
        let customs = try Self.allPages(engine, grant: Self.customsRed, filter: TAXIIRequestFilter()).flatMap(\.versions)
        #expect(customs.isEmpty)

        let withdrawnStore = try TestStore()
        try withdrawnStore.receive(Repository.example("fuel-smuggling"), storedAt: 1_000)
        try withdrawnStore.receive(Repository.example("fuel-smuggling.withdrawal"), storedAt: 2_000)
        var filter = TAXIIRequestFilter()
        filter.types = ["report", "incident"]
        let revoked = try Self.allPages(try withdrawnStore.engine, grant: Self.customs, filter: filter).flatMap(\.versions)
        #expect(revoked.count == 2 && revoked.allSatisfy { $0.object.content["revoked"] == .bool(true) })
    }

    @Test("a crafted cursor only skips: it never reaches outside the grant")
    func craftedCursor() throws {
        let (store, written) = try Self.mixedStore()
        let engine = try store.engine
        let filter = TAXIIRequestFilter()
        let fingerprint = filter.fingerprint(scope: "test")
        // Point at a security bulletin, at its first object.
        let index = try #require(written.firstIndex { $0.group == "security" && $0.tlp == "GREEN" })
        let cursor = TAXIICursor(
            storedAt: 1_000 + UInt64(index) * 10, bulletinID: written[index].id, objectIndex: 0, fingerprint: fingerprint)
        let result = try engine.page(grant: Self.customs, filter: filter, cursor: cursor, fingerprint: fingerprint)
        #expect(!result.bulletins.contains(written[index].id))
        #expect(result.bulletins.allSatisfy { id in written.first { $0.id == id }?.group == "customs" })
        #expect(result.page.versions.allSatisfy { $0.dateAdded.millisecondsSinceEpoch > 1_000 + UInt64(index) * 10 })
    }

    @Test("the object index finds the bulletins of an id; the engine returns the object and its versions")
    func objectIndex() throws {
        let store = try TestStore()
        try store.receive(Repository.example("drug-trafficking"), storedAt: 1_000)
        try store.receive(Repository.example("drug-trafficking.correction"), storedAt: 2_000)
        try store.receive(TestStore.bulletin("fuel-smuggling", id: TestStore.id(9, origin: "TN"), group: "customs", tlp: "GREEN"), storedAt: 3_000)
        let engine = try store.engine
        let index = STIXObjectIndex(engine: engine)
        #expect(try index.catchUp(budget: 1_000))
        #expect(index.count == 3)
        let reportID = STIXIdentifier.make(type: "report", name: "DZ-01JFK6SY9541SJ3EQHB6GD1GHC/report")
        let candidates = index.candidates(for: [reportID])
        #expect(candidates.count == 2)
        var filter = TAXIIRequestFilter()
        filter.ids = [reportID]
        filter.versions = [.all]
        let security = AgencyGrant(workingGroups: [.security], highestTLP: .amber, agencyKind: .lawEnforcement)
        let result = try engine.page(grant: security, filter: filter, cursor: nil, fingerprint: 1, candidates: candidates)
        #expect(result.page.versions.map(\.object.id) == [reportID, reportID])
        // Another agency's grant: nothing, as for an id that does not exist.
        let none = try engine.page(grant: Self.customs, filter: filter, cursor: nil, fingerprint: 1, candidates: candidates)
        #expect(none.page.versions.isEmpty)
        #expect(index.candidates(for: ["report--00000000-0000-5000-8000-000000000000"]).isEmpty)
    }
}
