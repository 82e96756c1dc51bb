import Clearance
import Exchange
import Foundation
import GRDB
import Observables
import SearchIndex
import Store
import Testing

@Suite("Watch-lists: alerts raised over search.sqlite, kept in watchlists.sqlite")
struct WatchAlertTests {
    /// An index with the rows of `bulletins` as the indexer writes them (facts only: the alert
    /// raiser reads TLP, working group, handling and the row number).
    struct Fixture {
        let folder: WatchTestFolder
        var index: SearchIndex
        let watchLists: WatchListStore

        init() throws {
            folder = try WatchTestFolder()
            index = try SearchIndex(path: folder.path("search.sqlite"))
            watchLists = try WatchListStore(path: folder.path("watchlists.sqlite"))
        }

        func indexed(
            _ observables: BulletinObservables, type: String = "migrant-smuggling", tlp: TLP = .amber,
            group: String? = "security",
            handling: [String] = [], storedAt: Int64 = 1, reference given: BulletinReference? = nil
        ) throws -> IndexedBulletin {
            let reference =
                try given ?? BulletinReference(origin: try StateCode("DZ"), id: BulletinID.generate(at: .now))
            let queue = try DatabaseQueue(path: folder.path("search.sqlite"))
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO indexed_bulletin (id, origin, incident_type, tlp, working_group, own, stored_at)
                        VALUES (?, 'DZ', ?, ?, ?, 0, ?)
                        """,
                    arguments: [reference.description, type, tlp.label, group, storedAt])
                let row = db.lastInsertedRowID
                for code in handling {
                    try db.execute(
                        sql: "INSERT INTO indexed_handling (code, bulletin) VALUES (?, ?)", arguments: [code, row])
                }
            }
            try queue.close()
            return IndexedBulletin(reference: reference, incidentType: type, observables: observables, links: [])
        }
    }

    static let securityReader = ClearancePolicy.readableScope(
        Clearance(role: .reader, workingGroups: [.security], highestTLP: .amberStrict, agencyKind: .lawEnforcement))

    @Test("an entry in Latin letters, Mohamed Ben Youssef, alerts on a bulletin naming محمد بن يوسف, once")
    func nameAcrossScripts() throws {
        let fixture = try Fixture()
        let entry = try fixture.watchLists.add(
            owner: .user("amina"), criterion: try WatchCriterion(kind: .name, value: "Mohamed Ben Youssef"), label: nil,
            scope: Self.securityReader, nowMilliseconds: 1)
        let bulletin = try fixture.indexed(BulletinObservables(persons: [ObservedPerson(name: "محمد بن يوسف")]))
        let other = try fixture.indexed(BulletinObservables(persons: [ObservedPerson(name: "Karim Haddad")]))
        let alerts = try fixture.index.raiseAlerts(
            for: [bulletin, other], watchLists: fixture.watchLists, nowMilliseconds: 5)
        #expect(alerts.count == 1)
        #expect(alerts.first?.entry == entry.id)
        #expect(alerts.first?.bulletin == bulletin.reference)
        #expect(alerts.first?.owner == .user("amina"))
        #expect((alerts.first?.score ?? 0) >= 0.8)
        // Indexed again (a rebuild): no second alert.
        #expect(
            try fixture.index.raiseAlerts(for: [bulletin], watchLists: fixture.watchLists, nowMilliseconds: 6).isEmpty)
        let reader = try WatchAlertReader(path: fixture.folder.path("watchlists.sqlite"))
        let read = try reader.alerts(of: .user("amina"), scope: Self.securityReader)
        #expect(read == alerts)
        #expect(try reader.alerts(of: .user("someone"), scope: .everything).isEmpty)
        #expect(try reader.alerts(of: nil, scope: .everything, after: alerts[0].id).isEmpty)
    }

    @Test("a batch longer than one lookup group raises the alert of every matching bulletin, in every group, in order")
    func batchAcrossLookupGroups() throws {
        let fixture = try Fixture()
        let entry = try fixture.watchLists.add(
            owner: .user("amina"), criterion: try WatchCriterion(kind: .incidentType, value: "arms-trafficking"),
            label: nil, scope: .everything, nowMilliseconds: 1)
        let matching: Set<Int> = [0, 3, 15, 16, 17, 31, 32, 39]
        let bulletins = try (0..<40).map { index in
            try fixture.indexed(
                BulletinObservables(), type: matching.contains(index) ? "arms-trafficking" : "migrant-smuggling")
        }
        let alerts = try fixture.index.raiseAlerts(for: bulletins, watchLists: fixture.watchLists, nowMilliseconds: 2)
        #expect(alerts.map(\.bulletin) == matching.sorted().map { bulletins[$0].reference })
        #expect(alerts.allSatisfy { $0.entry == entry.id })
    }

    @Test(
        "an entry whose scope cannot read TLP:RED, or the bulletin's working group or handling, gets no alert; the operator's does"
    )
    func scope() throws {
        let fixture = try Fixture()
        let criterion = try WatchCriterion(kind: .incidentType, value: "migrant-smuggling")
        let reader = try fixture.watchLists.add(
            owner: .user("amina"), criterion: criterion, label: nil, scope: Self.securityReader, nowMilliseconds: 1)
        let operatorEntry = try fixture.watchLists.add(
            owner: .operatorOfNode, criterion: criterion, label: nil, scope: .everything, nowMilliseconds: 1)
        let red = try fixture.indexed(BulletinObservables(), tlp: .red)
        let customs = try fixture.indexed(BulletinObservables(), group: "customs")
        let bureauOnly = try fixture.indexed(BulletinObservables(), handling: ["no-further-dissemination"])
        let alerts = try fixture.index.raiseAlerts(
            for: [red, customs, bureauOnly], watchLists: fixture.watchLists, nowMilliseconds: 2)
        #expect(alerts.map(\.entry) == [operatorEntry.id, operatorEntry.id, operatorEntry.id])
        #expect(!alerts.contains { $0.entry == reader.id })
        // Read within a reader's scope, the operator's alerts on those bulletins are not shown.
        let search = try WatchAlertReader(path: fixture.folder.path("watchlists.sqlite"))
        #expect(try search.alerts(of: nil, scope: Self.securityReader).isEmpty)
        #expect(try search.alerts(of: nil, scope: .everything).count == 3)
    }

    @Test("a document entry alerts on that document exactly, not on another number or state")
    func documentExactly() throws {
        let fixture = try Fixture()
        let entry = try fixture.watchLists.add(
            owner: .agency("douane"), criterion: try WatchCriterion(kind: .document, value: "MAR:AB123456"),
            label: "stolen", scope: .everything,
            nowMilliseconds: 1)
        func document(_ key: String) -> BulletinObservables {
            BulletinObservables(identifiers: [ObservableIdentifier(kind: .document, key: key, written: key)])
        }
        let same = try fixture.indexed(document("MAR:AB123456"))
        let otherNumber = try fixture.indexed(document("MAR:AB123457"))
        let otherState = try fixture.indexed(document("DZA:AB123456"))
        let alerts = try fixture.index.raiseAlerts(
            for: [same, otherNumber, otherState], watchLists: fixture.watchLists, nowMilliseconds: 2)
        #expect(alerts.map(\.bulletin) == [same.reference])
        #expect(alerts.first?.entry == entry.id)
        #expect(alerts.first?.score == 1)
    }

    @Test("a bulletin not in the index raises nothing; a missing index file is an error for the reader, not a trap")
    func missing() throws {
        let fixture = try Fixture()
        _ = try fixture.watchLists.add(
            owner: .operatorOfNode, criterion: try WatchCriterion(kind: .incidentType, value: "migrant-smuggling"),
            label: nil, scope: .everything,
            nowMilliseconds: 1)
        let ghost = IndexedBulletin(
            reference: BulletinReference(origin: try StateCode("DZ"), id: BulletinID.generate(at: .now)),
            incidentType: "migrant-smuggling",
            observables: BulletinObservables(), links: [])
        #expect(try fixture.index.raiseAlerts(for: [ghost], watchLists: fixture.watchLists, nowMilliseconds: 2).isEmpty)
        #expect(throws: StoreError.self) { try SearchReader(path: fixture.folder.path("nothing-here.sqlite")) }
    }

    @Test("search.sqlite rebuilt: the same bulletins raise no alert again, and new alerts get greater numbers")
    func rebuild() throws {
        var fixture = try Fixture()
        let criterion = try WatchCriterion(kind: .incidentType, value: "migrant-smuggling")
        _ = try fixture.watchLists.add(
            owner: .operatorOfNode, criterion: criterion, label: nil, scope: .everything, nowMilliseconds: 1)
        let first = try fixture.indexed(BulletinObservables())
        let raised = try fixture.index.raiseAlerts(
            for: [first], through: IndexPosition(storedAtMilliseconds: 1, id: first.reference.description),
            watchLists: fixture.watchLists, nowMilliseconds: 2)
        #expect(raised.alerts.count == 1)
        #expect(
            try fixture.watchLists.alertedThrough()
                == IndexPosition(storedAtMilliseconds: 1, id: first.reference.description))
        // The index file removed and made again from the store.
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: fixture.folder.path("search.sqlite" + suffix))
        }
        fixture.index = try SearchIndex(path: fixture.folder.path("search.sqlite"))
        let again = try fixture.indexed(BulletinObservables(), reference: first.reference)
        #expect(try fixture.index.raiseAlerts(for: [again], watchLists: fixture.watchLists, nowMilliseconds: 3).isEmpty)
        let second = try fixture.indexed(BulletinObservables(), storedAt: 2)
        let next = try fixture.index.raiseAlerts(for: [second], watchLists: fixture.watchLists, nowMilliseconds: 4)
        #expect(next.count == 1)
        #expect((next.first?.id ?? 0) > (raised.alerts.first?.id ?? .max))
        #expect(
            try fixture.watchLists.alerts(after: 0, limit: 10).map(\.bulletin) == [first.reference, second.reference])
    }

    @Test("an entry alerts only on bulletins stored at or after it was made")
    func onlyLaterBulletins() throws {
        let fixture = try Fixture()
        _ = try fixture.watchLists.add(
            owner: .operatorOfNode, criterion: try WatchCriterion(kind: .incidentType, value: "migrant-smuggling"),
            label: nil, scope: .everything, nowMilliseconds: 1_000)
        let older = try fixture.indexed(BulletinObservables(), storedAt: 999)
        let newer = try fixture.indexed(BulletinObservables(), storedAt: 1_000)
        let alerts = try fixture.index.raiseAlerts(
            for: [older, newer], watchLists: fixture.watchLists, nowMilliseconds: 2_000)
        #expect(alerts.map(\.bulletin) == [newer.reference])
    }

    @Test(
        "a hostile bulletin (256 persons × 32 names) against many name entries: the comparisons are bounded and the rest counted"
    )
    func boundedNameWork() throws {
        let fixture = try Fixture()
        let owners = 20
        for index in 0..<owners {
            _ = try fixture.watchLists.add(
                owner: .user("user\(index)"), criterion: try WatchCriterion(kind: .name, value: "Mohamed Ben Youssef"),
                label: nil, scope: .everything, nowMilliseconds: 1)
        }
        let persons = (0..<BulletinObservables.maximumItems).map { index in
            ObservedPerson(
                name: "Karim Haddad",
                aliases: (0..<(BulletinObservables.maximumNamesPerPerson - 1)).map {
                    "Mohamed Ben Youssef \($0 % 2 == 0 ? "Ali" : "Omar")"
                })
        }
        let bulletin = try fixture.indexed(BulletinObservables(persons: persons))
        let outcome = try fixture.index.raiseAlerts(
            for: [bulletin], through: nil, watchLists: fixture.watchLists, nowMilliseconds: 2)
        let names = bulletin.observables.persons.reduce(0) {
            $0 + 1 + min($1.aliases.count, BulletinObservables.maximumNamesPerPerson - 1)
        }
        let tested = SearchIndex.maximumNameComparisonsPerBulletin / max(1, names)
        #expect(outcome.heldBackEntries == owners - tested)
        #expect(outcome.alerts.count <= tested)
    }
}
