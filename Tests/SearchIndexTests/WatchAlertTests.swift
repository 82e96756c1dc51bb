import Clearance
import Exchange
import Foundation
import GRDB
import Observables
import SearchIndex
import Store
import Testing

@Suite("Watch-lists: alerts raised over search.sqlite")
struct WatchAlertTests {
    /// An index with the rows of `bulletins` as the indexer writes them (facts only: the alert
    /// raiser reads TLP, working group, handling and the row number).
    struct Fixture {
        let folder: WatchTestFolder
        let index: SearchIndex
        let watchLists: WatchListStore

        init() throws {
            folder = try WatchTestFolder()
            index = try SearchIndex(path: folder.path("search.sqlite"))
            watchLists = try WatchListStore(path: folder.path("watchlists.sqlite"))
        }

        func indexed(
            _ observables: BulletinObservables, type: String = "migrant-smuggling", tlp: TLP = .amber, group: String? = "security",
            handling: [String] = []
        ) throws -> IndexedBulletin {
            let reference = BulletinReference(origin: try StateCode("DZ"), id: BulletinID.generate(at: .now))
            let queue = try DatabaseQueue(path: folder.path("search.sqlite"))
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO indexed_bulletin (id, origin, incident_type, tlp, working_group, own, stored_at)
                        VALUES (?, 'DZ', ?, ?, ?, 0, 1)
                        """,
                    arguments: [reference.description, type, tlp.label, group])
                let row = db.lastInsertedRowID
                for code in handling { try db.execute(sql: "INSERT INTO indexed_handling (code, bulletin) VALUES (?, ?)", arguments: [code, row]) }
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
        let alerts = try fixture.index.raiseAlerts(for: [bulletin, other], watchLists: fixture.watchLists, nowMilliseconds: 5)
        #expect(alerts.count == 1)
        #expect(alerts.first?.entry == entry.id)
        #expect(alerts.first?.bulletin == bulletin.reference)
        #expect(alerts.first?.owner == .user("amina"))
        #expect((alerts.first?.score ?? 0) >= 0.8)
        // Indexed again (a rebuild): no second alert.
        #expect(try fixture.index.raiseAlerts(for: [bulletin], watchLists: fixture.watchLists, nowMilliseconds: 6).isEmpty)
        let reader = try SearchReader(path: fixture.folder.path("search.sqlite"))
        let read = try reader.alerts(of: .user("amina"), scope: Self.securityReader)
        #expect(read == alerts)
        #expect(try reader.alerts(of: .user("someone"), scope: .everything).isEmpty)
        #expect(try reader.alerts(of: nil, scope: .everything, after: alerts[0].id).isEmpty)
    }

    @Test("an entry whose scope cannot read TLP:RED, or the bulletin's working group or handling, gets no alert; the operator's does")
    func scope() throws {
        let fixture = try Fixture()
        let criterion = try WatchCriterion(kind: .incidentType, value: "migrant-smuggling")
        let reader = try fixture.watchLists.add(owner: .user("amina"), criterion: criterion, label: nil, scope: Self.securityReader, nowMilliseconds: 1)
        let operatorEntry = try fixture.watchLists.add(owner: .operatorOfNode, criterion: criterion, label: nil, scope: .everything, nowMilliseconds: 1)
        let red = try fixture.indexed(BulletinObservables(), tlp: .red)
        let customs = try fixture.indexed(BulletinObservables(), group: "customs")
        let bureauOnly = try fixture.indexed(BulletinObservables(), handling: ["no-further-dissemination"])
        let alerts = try fixture.index.raiseAlerts(for: [red, customs, bureauOnly], watchLists: fixture.watchLists, nowMilliseconds: 2)
        #expect(alerts.map(\.entry) == [operatorEntry.id, operatorEntry.id, operatorEntry.id])
        #expect(!alerts.contains { $0.entry == reader.id })
        // Read within a reader's scope, the operator's alerts on those bulletins are not shown.
        let search = try SearchReader(path: fixture.folder.path("search.sqlite"))
        #expect(try search.alerts(of: nil, scope: Self.securityReader).isEmpty)
        #expect(try search.alerts(of: nil, scope: .everything).count == 3)
    }

    @Test("a document entry alerts on that document exactly, not on another number or state")
    func documentExactly() throws {
        let fixture = try Fixture()
        let entry = try fixture.watchLists.add(
            owner: .agency("douane"), criterion: try WatchCriterion(kind: .document, value: "MAR:AB123456"), label: "stolen", scope: .everything,
            nowMilliseconds: 1)
        func document(_ key: String) -> BulletinObservables {
            BulletinObservables(identifiers: [ObservableIdentifier(kind: .document, key: key, written: key)])
        }
        let same = try fixture.indexed(document("MAR:AB123456"))
        let otherNumber = try fixture.indexed(document("MAR:AB123457"))
        let otherState = try fixture.indexed(document("DZA:AB123456"))
        let alerts = try fixture.index.raiseAlerts(for: [same, otherNumber, otherState], watchLists: fixture.watchLists, nowMilliseconds: 2)
        #expect(alerts.map(\.bulletin) == [same.reference])
        #expect(alerts.first?.entry == entry.id)
        #expect(alerts.first?.score == 1)
    }

    @Test("a bulletin not in the index raises nothing; a missing index file is an error for the reader, not a trap")
    func missing() throws {
        let fixture = try Fixture()
        _ = try fixture.watchLists.add(
            owner: .operatorOfNode, criterion: try WatchCriterion(kind: .incidentType, value: "migrant-smuggling"), label: nil, scope: .everything,
            nowMilliseconds: 1)
        let ghost = IndexedBulletin(
            reference: BulletinReference(origin: try StateCode("DZ"), id: BulletinID.generate(at: .now)), incidentType: "migrant-smuggling",
            observables: BulletinObservables(), links: [])
        #expect(try fixture.index.raiseAlerts(for: [ghost], watchLists: fixture.watchLists, nowMilliseconds: 2).isEmpty)
        let reader = try SearchReader(path: fixture.folder.path("nothing-here.sqlite"))
        #expect(throws: StoreError.self) { try reader.alerts(of: nil, scope: .everything) }
    }
}
