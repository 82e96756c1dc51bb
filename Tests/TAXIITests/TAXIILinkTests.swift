import BulletinSchema
import Clearance
import Exchange
import Foundation
import STIX
import SearchIndex
import Store
import StoredSTIX
import TAXII
import Testing

/// A real search index read as `export stix` and the console read it, for the engine.
struct IndexLinks: CorrelationLinkSource {
    let path: String

    func earlierLinks(of bulletinID: String) throws -> CorrelationAnswer {
        guard FileManager.default.fileExists(atPath: path) else { return .noIndex }
        guard let links = try SearchReader(path: path).earlierLinks(of: try BulletinReference(bulletinID)) else {
            return .notIndexedYet
        }
        return .links(
            links.map {
                CorrelatedBulletin(
                    earlierID: $0.other.description, kind: $0.kind.storedName, reason: $0.reason, score: $0.score)
            })
    }
}

/// Correlation links as relationships in TAXII pages: a real store and a real search index.
@Suite("TAXII relationships of correlation links")
struct TAXIILinkTests {
    static let customs = AgencyGrant(workingGroups: [.customs], highestTLP: .amberStrict, agencyKind: .lawEnforcement)
    static let customsRed = AgencyGrant(workingGroups: [.customs], highestTLP: .red, agencyKind: .lawEnforcement)
    static let first = TestStore.id(1, origin: "TN")
    static let second = TestStore.id(2, origin: "TN")

    /// Two wanted-person bulletins (the same passport, DZA 196540312), the first with `firstTLP`,
    /// both stored and indexed; an engine with the index's links at `now`.
    static func linked(firstTLP: String = "AMBER") throws -> (TestStore, [StoredBulletin], SearchIndex, IndexLinks) {
        let store = try TestStore()
        let one = try store.receive(
            TestStore.bulletin("wanted-person", id: first, group: "customs", tlp: firstTLP), storedAt: 1_000)
        let two = try store.receive(
            TestStore.bulletin("wanted-person", id: second, group: "customs", tlp: "AMBER"), storedAt: 2_000)
        let path = store.folder.appendingPathComponent("search.sqlite").path
        let index = try SearchIndex(path: path)
        _ = try index.index([one, two], own: { _ in false })
        return (store, [one, two], index, IndexLinks(path: path))
    }

    static func engine(_ store: TestStore, links: IndexLinks?, now: UInt64 = 1_000_000) throws -> TAXIIObjectEngine {
        let reader = try BulletinReader(storeFile: store.folder.appendingPathComponent("store.sqlite"))
        return TAXIIObjectEngine(
            bodies: StoredBulletinBodies(reader: reader, catalog: Repository.catalog), mapper: Repository.mapper,
            links: links,
            now: { now })
    }

    static func objects(_ engine: TAXIIObjectEngine, grant: AgencyGrant) throws -> [STIXObject] {
        try TAXIIObjectEngineTests.allPages(engine, grant: grant, filter: TAXIIRequestFilter()).flatMap(\.versions).map(
            \.object)
    }

    @Test("two bulletins with the same passport: one related-to from the later report to the earlier, confidence 100")
    func samePassport() throws {
        let (store, _, _, links) = try Self.linked()
        let served = try Self.objects(try Self.engine(store, links: links), grant: Self.customs)
        let relationships = served.filter { $0.type == "relationship" && $0.content["confidence"] != nil }
        #expect(relationships.count == 1)
        let relationship = try #require(relationships.first)
        #expect(relationship.content["relationship_type"] == .string("related-to"))
        #expect(relationship.content["source_ref"] == .string(STIXMapper.reportID(chainRoot: Self.second)))
        #expect(relationship.content["target_ref"] == .string(STIXMapper.reportID(chainRoot: Self.first)))
        #expect(relationship.content["confidence"] == .integer(100))
        let reason = try #require(relationship.content["description"]?.stringValue)
        let stored = try #require(
            try SearchReader(path: links.path).earlierLinks(of: try BulletinReference(Self.second))?.first)
        #expect(reason == stored.reason && reason.contains("196540312"))
        let confidence = try #require(STIXMapper.linkConfidence(score: stored.score))
        #expect(
            relationship.id
                == STIXMapper.linkRelationshipID(
                    later: Self.second, earlier: Self.first, kind: stored.kind.storedName, confidence: confidence,
                    reason: stored.reason))
        // Both ends are in the collection.
        #expect(served.contains { $0.id == STIXMapper.reportID(chainRoot: Self.first) })
        // Without the index: the same objects but the relationship.
        let without = try Self.objects(try Self.engine(store, links: nil), grant: Self.customs)
        #expect(without.map(\.id) == served.map(\.id).filter { $0 != relationship.id })
    }

    @Test("an agency that may not read the earlier bulletin gets no relationship, nor its id")
    func earlierNotReadable() throws {
        let (store, _, _, links) = try Self.linked(firstTLP: "RED")
        let engine = try Self.engine(store, links: links)
        let served = try Self.objects(engine, grant: Self.customs)
        #expect(!served.contains { $0.type == "relationship" && $0.content["confidence"] != nil })
        let text = served.map { String(decoding: CanonicalJSON.bytes($0.content), as: UTF8.self) }.joined()
        #expect(!text.contains(Self.first) && !text.contains(STIXMapper.reportID(chainRoot: Self.first)))
        // An agency that may read TLP:RED gets it, marked RED (the more restrictive).
        let red = try Self.objects(engine, grant: Self.customsRed).filter {
            $0.type == "relationship" && $0.content["confidence"] != nil
        }
        #expect(red.count == 1 && red.first?.content["object_marking_refs"] == .array([.string(TLPMarking.red.id)]))
    }

    @Test("a bulletin the index has not reached is held back, then served without links after the hold-back")
    func heldBack() throws {
        let (store, _, _, links) = try Self.linked()
        let third = TestStore.id(3, origin: "TN")
        try store.receive(
            TestStore.bulletin("wanted-person", id: third, group: "customs", tlp: "AMBER"), storedAt: 3_000)
        let soon = try Self.objects(try Self.engine(store, links: links, now: 3_500), grant: Self.customs)
        #expect(!soon.contains { $0.id == STIXMapper.reportID(chainRoot: third) })
        #expect(soon.contains { $0.id == STIXMapper.reportID(chainRoot: Self.second) })
        let late = try Self.objects(
            try Self.engine(store, links: links, now: 3_000 + TAXIIObjectEngine.linkHoldBackMilliseconds),
            grant: Self.customs)
        #expect(late.contains { $0.id == STIXMapper.reportID(chainRoot: third) })
        #expect(late.filter { $0.type == "relationship" && $0.content["confidence"] != nil }.count == 1)
    }

    @Test("the object index finds a relationship's bulletin; the engine serves it by id")
    func objectIndex() throws {
        let (store, _, _, links) = try Self.linked()
        let engine = try Self.engine(store, links: links)
        let index = STIXObjectIndex(engine: engine)
        #expect(try index.catchUp(budget: 100))
        let kind = try #require(
            try SearchReader(path: links.path).earlierLinks(of: try BulletinReference(Self.second))?.first
        ).kind
        let stored = try #require(
            try SearchReader(path: links.path).earlierLinks(of: try BulletinReference(Self.second))?.first)
        let id = STIXMapper.linkRelationshipID(
            later: Self.second, earlier: Self.first, kind: kind.storedName,
            confidence: try #require(STIXMapper.linkConfidence(score: stored.score)), reason: stored.reason)
        let candidates = index.candidates(for: [id])
        #expect(candidates.contains(Self.second))
        var filter = TAXIIRequestFilter()
        filter.ids = [id]
        let result = try engine.page(
            grant: Self.customs, filter: filter, cursor: nil, fingerprint: 1, candidates: candidates)
        #expect(result.page.versions.map(\.object.id) == [id])
    }
}
