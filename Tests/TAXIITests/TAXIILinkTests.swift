import BulletinSchema
import Clearance
import Exchange
import Foundation
import STIX
import SearchIndex
import Store
@testable import StoredSTIX
import Synchronization
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

/// A link source that answers as scripted (else as `fallback`, else no links), throws for the
/// bulletins of `failing`, and counts its queries.
final class ScriptedLinks: CorrelationLinkSource, Sendable {
    let fallback: IndexLinks?
    let answers: [String: CorrelationAnswer]
    let failing: Set<String>
    private let count = Mutex(0)

    struct Unreadable: Error {}

    init(fallback: IndexLinks? = nil, answers: [String: CorrelationAnswer] = [:], failing: Set<String> = []) {
        self.fallback = fallback
        self.answers = answers
        self.failing = failing
    }

    var queries: Int { count.withLock { $0 } }

    func earlierLinks(of bulletinID: String) throws -> CorrelationAnswer {
        count.withLock { $0 += 1 }
        if failing.contains(bulletinID) { throw Unreadable() }
        if let answer = answers[bulletinID] { return answer }
        return try fallback?.earlierLinks(of: bulletinID) ?? .links([])
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let value: Mutex<UInt64>

    init(_ start: UInt64) { value = Mutex(start) }

    var now: UInt64 {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
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

    /// What the pages give until the last, or until a bulletin held back (``pages(_:grant:filter:from:)``).
    static func objects(_ engine: TAXIIObjectEngine, grant: AgencyGrant) throws -> [STIXObject] {
        try pages(engine, grant: grant).results.flatMap(\.page.versions).map(\.object)
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

    /// The pages of `filter` from `cursor` until the last, or until a page ends where it began
    /// (a bulletin held back at the start of a page: `more`, and a `next` at the same place).
    static func pages(
        _ engine: TAXIIObjectEngine, grant: AgencyGrant, filter: TAXIIRequestFilter = TAXIIRequestFilter(),
        from start: TAXIICursor? = nil
    ) throws -> (results: [TAXIIObjectEngine.Result], stuck: TAXIICursor?) {
        var results: [TAXIIObjectEngine.Result] = []
        var cursor = start
        let fingerprint = filter.fingerprint(scope: "test")
        for _ in 0..<1_000 {
            let result = try engine.page(grant: grant, filter: filter, cursor: cursor, fingerprint: fingerprint)
            results.append(result)
            guard let next = result.page.next else { return (results, nil) }
            if let cursor, next.text == cursor.text { return (results, next) }
            cursor = try TAXIICursor(text: next.text, fingerprint: fingerprint)
        }
        Issue.record("more than 1,000 pages")
        return (results, nil)
    }

    static func linkRelationships(_ objects: [STIXObject]) -> [STIXObject] {
        objects.filter { $0.type == "relationship" && $0.content["confidence"] != nil }
    }

    @Test("a bulletin the index has not reached is held back: next starts at it (more), then it comes with its links")
    func heldBack() throws {
        let (store, stored, index, links) = try Self.linked()
        let third = TestStore.id(3, origin: "TN")
        let fourth = TestStore.id(4, origin: "TN")
        let three = try store.receive(
            TestStore.bulletin("wanted-person", id: third, group: "customs", tlp: "AMBER"), storedAt: 3_000)
        let four = try store.receive(
            TestStore.bulletin("wanted-person", id: fourth, group: "customs", tlp: "AMBER"), storedAt: 4_000)
        let engine = try Self.engine(store, links: links, now: 3_500)
        let (soon, stuck) = try Self.pages(engine, grant: Self.customs)
        let served = soon.flatMap(\.page.versions).map(\.object)
        #expect(!served.contains { $0.id == STIXMapper.reportID(chainRoot: third) })
        #expect(served.contains { $0.id == STIXMapper.reportID(chainRoot: Self.second) })
        // The page before it says more, with a next at the held-back bulletin (a client paging
        // by next alone comes back for it); from there, while it is held, an empty page.
        let at = try #require(stuck)
        #expect(at.bulletinID == third && at.objectIndex == 0)
        #expect(soon.last?.page.versions.isEmpty == true)
        // Indexed: the same next gives it, with its links, and the bulletin after it.
        _ = try index.index([three, four], own: { _ in false })
        let (later, end) = try Self.pages(engine, grant: Self.customs, from: at)
        #expect(end == nil)
        let rest = later.flatMap(\.page.versions).map(\.object)
        #expect(rest.contains { $0.id == STIXMapper.reportID(chainRoot: third) })
        #expect(rest.contains { $0.id == STIXMapper.reportID(chainRoot: fourth) })
        // Third links to the first two, fourth to the first three.
        #expect(Self.linkRelationships(rest).count == 5)
        #expect(Self.linkRelationships(served).count == 1)
        _ = stored
    }

    @Test("past the hold-back, a bulletin the index has not reached is served without links")
    func heldBackEnds() throws {
        let (store, _, _, links) = try Self.linked()
        let third = TestStore.id(3, origin: "TN")
        try store.receive(
            TestStore.bulletin("wanted-person", id: third, group: "customs", tlp: "AMBER"), storedAt: 3_000)
        let late = try Self.objects(
            try Self.engine(store, links: links, now: 3_000 + TAXIIObjectEngine.linkHoldBackMilliseconds),
            grant: Self.customs)
        #expect(late.contains { $0.id == STIXMapper.reportID(chainRoot: third) })
        #expect(Self.linkRelationships(late).count == 1)
    }

    @Test("a wall clock stepped back (stored ahead of now) holds a bulletin back 30 s of this process's clock, no more")
    func clockSteppedBack() throws {
        let (store, _, _, links) = try Self.linked()
        let third = TestStore.id(3, origin: "TN")
        // Stored an hour ahead of the wall clock now.
        try store.receive(
            TestStore.bulletin("wanted-person", id: third, group: "customs", tlp: "AMBER"), storedAt: 3_600_000)
        let monotonic = TestClock(500)
        let reader = try BulletinReader(storeFile: store.folder.appendingPathComponent("store.sqlite"))
        let engine = TAXIIObjectEngine(
            bodies: StoredBulletinBodies(reader: reader, catalog: Repository.catalog), mapper: Repository.mapper,
            links: links, now: { 2_500 }, monotonicNow: { monotonic.now })
        let report = STIXMapper.reportID(chainRoot: third)
        #expect(!(try Self.objects(engine, grant: Self.customs)).contains { $0.id == report })
        monotonic.now = 500 + TAXIIObjectEngine.linkHoldBackMilliseconds - 1
        #expect(!(try Self.objects(engine, grant: Self.customs)).contains { $0.id == report })
        monotonic.now = 500 + TAXIIObjectEngine.linkHoldBackMilliseconds
        #expect(try Self.objects(engine, grant: Self.customs).contains { $0.id == report })
    }

    @Test("links that cannot be read (the source throws) hold the bulletin back, never serve it without them")
    func unreadableLinksHoldBack() throws {
        let (store, _, _, links) = try Self.linked()
        let failing = ScriptedLinks(fallback: links, failing: [Self.second])
        let engine = try Self.engine(store, links: nil)
        let withFailing = TAXIIObjectEngine(bodies: engine.bodies, mapper: engine.mapper, links: failing, now: { 2_500 })
        let (results, stuck) = try Self.pages(withFailing, grant: Self.customs)
        #expect(stuck?.bulletinID == Self.second)
        let served = results.flatMap(\.page.versions).map(\.object)
        #expect(!served.contains { $0.id == STIXMapper.reportID(chainRoot: Self.second) })
        #expect(served.contains { $0.id == STIXMapper.reportID(chainRoot: Self.first) })

        // An old bulletin (stored an hour before now) met while the index cannot be read is held
        // back too, for 30 s of this process's clock from the failure, then served.
        let monotonic = TestClock(1_000)
        let late = TAXIIObjectEngine(
            bodies: engine.bodies, mapper: engine.mapper, links: failing, now: { 3_600_000 }, monotonicNow: { monotonic.now })
        #expect(try Self.pages(late, grant: Self.customs).stuck?.bulletinID == Self.second)
        monotonic.now = 1_000 + TAXIIObjectEngine.linkHoldBackMilliseconds - 1
        #expect(try Self.pages(late, grant: Self.customs).stuck?.bulletinID == Self.second)
        monotonic.now = 1_000 + TAXIIObjectEngine.linkHoldBackMilliseconds
        #expect(try Self.pages(late, grant: Self.customs).stuck == nil)
    }

    @Test("the hold-back's memory is bounded and never holds a bulletin without the monotonic bound")
    func holdBackMemoryBound() {
        let holdBack = LinkHoldBack()
        let limit = TAXIIObjectEngine.linkHoldBackMilliseconds
        // The wall clock stepped back an hour: every bulletin's storedAt is in the future.
        let future: UInt64 = 10_000_000
        for index in 0..<LinkHoldBack.maximumHeld {
            #expect(holdBack.holds("b\(index)", storedAt: future, now: 1_000, monotonic: 0, limit: limit))
        }
        // Full of bulletins still held by both clocks: a new one is not held at all.
        #expect(!holdBack.holds("new", storedAt: future, now: 1_000, monotonic: 1, limit: limit))
        // Once the monotonic bound has passed for the others, they are forgotten and a new one is held.
        #expect(holdBack.holds("newer", storedAt: future, now: 1_000, monotonic: limit, limit: limit))
        // And the one remembered is released by the monotonic clock, whatever the wall clock says.
        #expect(!holdBack.holds("newer", storedAt: future, now: 1_000, monotonic: 2 * limit, limit: limit))
    }

    @Test("match[type] without relationship reads no link and holds nothing back")
    func typeFilterSkipsLinks() throws {
        let (store, _, _, links) = try Self.linked()
        let third = TestStore.id(3, origin: "TN")
        try store.receive(
            TestStore.bulletin("wanted-person", id: third, group: "customs", tlp: "AMBER"), storedAt: 3_000)
        let counting = ScriptedLinks(fallback: links)
        let base = try Self.engine(store, links: nil)
        let engine = TAXIIObjectEngine(bodies: base.bodies, mapper: base.mapper, links: counting, now: { 3_500 })
        var filter = TAXIIRequestFilter()
        filter.types = ["report", "incident"]
        let (results, stuck) = try Self.pages(engine, grant: Self.customs, filter: filter)
        #expect(stuck == nil && counting.queries == 0 && results.allSatisfy { $0.linkReads == 0 })
        #expect(results.flatMap(\.page.versions).contains { $0.object.id == STIXMapper.reportID(chainRoot: third) })
        // With relationship among the types, the links are read.
        filter.types = ["report", "relationship"]
        _ = try Self.pages(engine, grant: Self.customs, filter: filter)
        #expect(counting.queries > 0)
    }

    @Test("a target whose chain was withdrawn is not linked")
    func withdrawnTarget() throws {
        let (store, _, _, links) = try Self.linked()
        try store.receive(
            TestStore.bulletin(
                "fuel-smuggling.withdrawal", id: TestStore.id(9, origin: "TN"), group: "customs", tlp: "AMBER",
                withdraws: Self.first),
            storedAt: 3_000)
        // The withdrawal is not in the index: no links of its own (the index's answer for it).
        let scripted = ScriptedLinks(fallback: links, answers: [TestStore.id(9, origin: "TN"): .links([])])
        let base = try Self.engine(store, links: nil)
        let engine = TAXIIObjectEngine(bodies: base.bodies, mapper: base.mapper, links: scripted, now: { 3_500 })
        #expect(Self.linkRelationships(try Self.objects(engine, grant: Self.customs)).isEmpty)
    }

    @Test("many links per bulletin: each earlier bulletin read once per request, and a request's link reads bounded")
    func linkWorkIsBounded() throws {
        let store = try TestStore()
        // One earlier bulletin every later one links to, and 45 later bulletins each with 99
        // more links to bulletins this node does not hold (each a store read of its own). The
        // example with the fewest objects, so that the bound, not the page's limit, ends pages.
        let earlier = TestStore.id(1, origin: "TN")
        try store.receive(
            TestStore.bulletin("wanted-person", id: earlier, group: "customs", tlp: "AMBER"), storedAt: 1_000)
        var answers: [String: CorrelationAnswer] = [earlier: .links([])]
        var later: [String] = []
        for number in 0..<45 {
            let id = TestStore.id(100 + number, origin: "TN")
            later.append(id)
            try store.receive(
                TestStore.bulletin("document-fraud", id: id, group: "customs", tlp: "AMBER"),
                storedAt: 2_000 + UInt64(number))
            let absent = (0..<99).map {
                CorrelatedBulletin(
                    earlierID: TestStore.id(10_000 + number * 100 + $0, origin: "TN"), kind: "identifier:passport",
                    reason: "passport DZA:196540312", score: 1)
            }
            answers[id] = .links(
                [CorrelatedBulletin(earlierID: earlier, kind: "identifier:passport", reason: "passport DZA:196540312", score: 1)]
                    + absent)
        }
        let source = ScriptedLinks(answers: answers)
        let base = try Self.engine(store, links: nil)
        let engine = TAXIIObjectEngine(bodies: base.bodies, mapper: base.mapper, links: source, now: { 10_000 })
        var filter = TAXIIRequestFilter()
        filter.types = ["relationship"]
        let (results, stuck) = try Self.pages(engine, grant: Self.customs, filter: filter)
        #expect(stuck == nil)
        // Every page within the bound: the reads it made before its last bulletin stay under
        // the constant, and one bulletin costs 1 + 100 + 2 reads at most here (its links, each
        // earlier bulletin's summary; the one held also its withdrawal search, once).
        #expect(results.count > 1)
        #expect(results.dropLast().allSatisfy { $0.linkReads >= TAXIIObjectEngine.maximumLinkReadsPerRequest })
        for result in results {
            #expect(result.linkReads < TAXIIObjectEngine.maximumLinkReadsPerRequest + 103)
        }
        // Every index query once (a page ends before a bulletin's links are read, never after).
        #expect(source.queries == 46)
        // Each later bulletin served with its relationship, once, whichever page it fell in.
        let relationships = Self.linkRelationships(results.flatMap(\.page.versions).map(\.object))
        #expect(relationships.count == later.count)
        #expect(Set(relationships.compactMap { $0.content["source_ref"]?.stringValue }).count == later.count)
        // A page that ended on the bound has a next at a bulletin it did not serve.
        for (index, result) in results.dropLast().enumerated() {
            let next = try #require(result.page.next)
            #expect(next.objectIndex == 0)
            let source = STIXMapper.reportID(chainRoot: next.bulletinID)
            #expect(!result.page.versions.contains { $0.object.content["source_ref"]?.stringValue == source })
            #expect(results[index + 1].page.versions.contains { $0.object.content["source_ref"]?.stringValue == source })
        }
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
