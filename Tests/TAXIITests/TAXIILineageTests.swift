import BulletinSchema
import Clearance
import Exchange
import STIX
import Store
import StoredSTIX
import TAXII
import Testing

/// Correction chains over real stores: an agency receives nothing of an earlier version it may
/// not read, and no other state can keep an origin's correction or withdrawal from it.
@Suite("TAXII correction chains")
struct TAXIILineageTests {
    static let customs = AgencyGrant(workingGroups: [.customs], highestTLP: .amber, agencyKind: .lawEnforcement)
    static let securityRed = AgencyGrant(workingGroups: [.security], highestTLP: .red, agencyKind: .lawEnforcement)
    static let everyone = AgencyGrant(
        workingGroups: [.security, .customs], highestTLP: .red, agencyKind: .lawEnforcement)

    /// `bulletin` with the members given set (`nil` removes one).
    static func with(_ bulletin: JSONValue, _ changes: [String: JSONValue?]) -> JSONValue {
        guard case .object(var members) = bulletin else { return bulletin }
        for (name, value) in changes { members[name] = value }
        return .object(members)
    }

    /// The drug-trafficking example as TLP:RED security (naming BENAISSA Mohamed Lamine), and a
    /// correction as AMBER customs that no longer names him.
    static func redThenAmber() -> (original: JSONValue, correction: JSONValue) {
        let original = with(
            Repository.example("drug-trafficking"), ["tlp": .string("RED"), "workingGroup": .string("security")])
        var correction = with(
            Repository.example("drug-trafficking.correction"),
            ["tlp": .string("AMBER"), "workingGroup": .string("customs")])
        if case .object(var details) = correction["details"], case .array(let people) = details["people"] {
            details["people"] = .array(people.filter { $0["localId"]?.stringValue != "p1" })
            details["phones"] = nil
            correction = with(correction, ["details": .object(details)])
        }
        return (original, correction)
    }

    /// The canonical text of every object of `objects`.
    static func text(_ objects: [STIXObject]) -> String {
        objects.map { String(decoding: CanonicalJSON.bytes($0.content), as: UTF8.self) }.joined(separator: "\n")
    }

    @Test("a correction that lowers the TLP and changes working group reveals nothing of the earlier version")
    func loweredCorrection() throws {
        let (original, correction) = Self.redThenAmber()
        let store = try TestStore()
        try store.receive(original, storedAt: 1_000)
        try store.receive(correction, storedAt: 2_000)
        let engine = try store.engine
        var all = TAXIIRequestFilter()
        all.versions = [.all]
        let customs = try TAXIIObjectEngineTests.allPages(engine, grant: Self.customs, filter: all).flatMap(\.versions)
            .map(\.object)
        let text = Self.text(customs)
        #expect(!customs.isEmpty)
        #expect(!text.contains("BENAISSA") && !text.contains("محمد الأمين") && !text.contains("+8821655512345"))
        #expect(!text.contains(TLPMarking.red.id))
        #expect(customs.allSatisfy { $0.content["revoked"] == nil })
        // The ids stay the chain's first bulletin's.
        let originalID = try #require(original["id"]?.stringValue)
        let reportID = STIXIdentifier.make(type: "report", name: "\(originalID)/report")
        #expect(customs.contains { $0.id == reportID })
        // An agency that may read both receives the revocation of what the correction dropped.
        let both = try TAXIIObjectEngineTests.allPages(engine, grant: Self.everyone, filter: all).flatMap(\.versions)
            .map(\.object)
        // (Removing the first person makes the second person/0 and revokes person/1.)
        let revoked = both.filter { $0.content["revoked"] == .bool(true) }
        #expect(revoked.contains { $0.type == "threat-actor" } && Self.text(revoked).contains(TLPMarking.red.id))
        #expect(Self.text(both).contains("BENAISSA"))
    }

    @Test("a withdrawal of a version the agency may not read revokes only its own report and incident")
    func withdrawalOfUnreadable() throws {
        let store = try TestStore()
        let original = Self.with(
            Repository.example("fuel-smuggling"), ["tlp": .string("RED"), "workingGroup": .string("security")])
        let withdrawal = Self.with(
            Repository.example("fuel-smuggling.withdrawal"),
            ["tlp": .string("GREEN"), "workingGroup": .string("customs")])
        try store.receive(original, storedAt: 1_000)
        try store.receive(withdrawal, storedAt: 2_000)
        let engine = try store.engine
        let objects = try TAXIIObjectEngineTests.allPages(engine, grant: Self.customs, filter: TAXIIRequestFilter())
            .flatMap(\.versions).map(\.object)
        let originalObjects = try Repository.mapper.objects(for: original).filter(
            TAXIIObjectEngineTests.isBulletinObject)
        let own = Set(
            try Repository.mapper.objects(for: withdrawal, lineage: STIXLineage.resolve(withdrawal) { _ in nil }).map(
                \.id))
        // Nothing of the original but the ids the withdrawal itself gives (its report and incident).
        let leaked = objects.filter { object in
            originalObjects.contains { $0.id == object.id } && !own.contains(object.id)
        }
        #expect(leaked.isEmpty)
        #expect(!Self.text(objects).contains(TLPMarking.red.id))
    }

    @Test("another state's bulletins naming an origin's bulletin do not hide the origin's withdrawal")
    func hostileChain() throws {
        let store = try TestStore()
        let root = TestStore.id(1, origin: "MA")
        try store.receive(
            TestStore.bulletin(
                "fuel-smuggling", id: root, group: "customs", tlp: "GREEN", reportedAt: "2026-01-01T00:00:00Z"),
            storedAt: 1_000)
        for number in 0..<63 {
            try store.receive(
                TestStore.bulletin(
                    "goods-smuggling", id: TestStore.id(number + 2, origin: "DZ"), group: "customs", tlp: "GREEN",
                    corrects: root,
                    reportedAt: "2026-01-02T00:00:00Z"),
                storedAt: 2_000 + UInt64(number))
        }
        try store.receive(
            TestStore.bulletin(
                "fuel-smuggling.withdrawal", id: TestStore.id(99, origin: "MA"), group: "customs", tlp: "GREEN",
                withdraws: root,
                reportedAt: "2026-01-03T00:00:00Z"),
            storedAt: 5_000)
        let reportID = STIXIdentifier.make(type: "report", name: "\(root)/report")
        var filter = TAXIIRequestFilter()
        filter.types = ["report", "incident"]
        let objects = try TAXIIObjectEngineTests.allPages(try store.engine, grant: Self.customs, filter: filter)
            .flatMap(\.versions).map(\.object)
        let reports = objects.filter { $0.id == reportID }
        #expect(reports.count == 1 && reports.first?.content["revoked"] == .bool(true))
    }

    @Test("of a chain longer than the bound, the newest versions count: the last is the newest")
    func longChain() throws {
        let store = try TestStore()
        let root = TestStore.id(1, origin: "MA")
        try store.receive(
            TestStore.bulletin(
                "fuel-smuggling", id: root, group: "customs", tlp: "GREEN", reportedAt: "2026-01-01T00:00:00Z"),
            storedAt: 1_000)
        let count = TAXIIObjectEngine.maximumChainMembers + 6
        for number in 0..<count {
            try store.receive(
                TestStore.bulletin(
                    "fuel-smuggling", id: TestStore.id(number + 2, origin: "MA"), group: "customs", tlp: "GREEN",
                    corrects: root,
                    reportedAt: "2026-01-02T\(10 + number / 50):\(10 + number % 50):00Z"),
                storedAt: 2_000 + UInt64(number))
        }
        try store.receive(
            TestStore.bulletin(
                "fuel-smuggling.withdrawal", id: TestStore.id(count + 2, origin: "MA"), group: "customs", tlp: "GREEN",
                withdraws: root, reportedAt: "2026-01-03T00:00:00Z"),
            storedAt: 9_000)
        let reportID = STIXIdentifier.make(type: "report", name: "\(root)/report")
        var filter = TAXIIRequestFilter()
        filter.ids = [reportID]
        let reports = try TAXIIObjectEngineTests.allPages(try store.engine, grant: Self.customs, filter: filter)
            .flatMap(\.versions)
        #expect(reports.count == 1)
        #expect(reports.first?.object.content["revoked"] == .bool(true))
    }
}
