import Clearance
import Exchange
import Observables
import SearchIndex
import Store
import Testing

/// The search index applies a reader's scope in SQL (`SearchFilter`); the console and the TAXII
/// server decide each bulletin with `ClearancePolicy.decide`. The two must agree on every
/// combination, or a search would show what a bulletin page refuses (or hide what it shows).
@Suite struct SearchScopeAgreementTests {
    static let workingGroups: [String?] = [nil, "security", "intelligence", "customs", "justice", "unknown-group"]
    static let handlingSets: [[String]] =
        [[]] + HandlingCode.allCases.map { [$0.rawValue] } + [["unknown-code"], ["law-enforcement-use-only", "not-for-third-states"]]

    /// Every working group × TLP × handling set once, all received.
    static func markings() -> [(StoredBulletin, BulletinAccessFacts)] {
        var made: [(StoredBulletin, BulletinAccessFacts)] = []
        for group in workingGroups {
            for tlp in TLP.allCases {
                for handling in handlingSets {
                    let bulletin = IndexFixture.bulletin(made.count + 1, tlp: tlp, workingGroup: group, handling: handling)
                    let facts = BulletinAccessFacts(
                        tlp: tlp, workingGroup: group.flatMap(WorkingGroup.init(rawValue:)), handling: Set(handling), origin: "MA",
                        isOwn: false)
                    made.append((bulletin, facts))
                }
            }
        }
        return made
    }

    /// Every bulletin `scope` lets a filter-only search return, paging to the end.
    static func found(_ reader: SearchReader, scope: ReadableScope) throws -> Set<BulletinReference> {
        var found = Set<BulletinReference>()
        var query = SearchQuery(scope: scope, limit: SearchQuery.maximumLimit)
        for _ in 0..<100 {
            let page = try reader.search(query)
            found.formUnion(page.hits.map(\.reference))
            guard let next = page.next else { break }
            query.after = next
        }
        return found
    }

    static let groupSets: [Set<WorkingGroup>] = [Set(WorkingGroup.allCases), [.security], [.customs, .justice], []]

    @Test("every console clearance: the index's scope returns exactly the bulletins ClearancePolicy allows")
    func consoleClearances() throws {
        let fixture = try IndexFixture()
        let markings = Self.markings()
        try fixture.add(markings.map { ($0.0, BulletinObservables()) })
        let reader = try fixture.reader()
        var checked = 0
        for role in ConsoleRole.allCases {
            for groups in Self.groupSets {
                for highest in TLP.allCases {
                    for kind in AgencyKind.allCases {
                        let clearance = Clearance(role: role, workingGroups: groups, highestTLP: highest, agencyKind: kind)
                        let allowed = Set(markings.filter { ClearancePolicy.decide(clearance, for: $0.1) == .allowed }.map(\.0.reference))
                        let found = try Self.found(reader, scope: ClearancePolicy.readableScope(clearance))
                        #expect(found == allowed, "\(clearance)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == ConsoleRole.allCases.count * Self.groupSets.count * TLP.allCases.count * AgencyKind.allCases.count)
    }

    @Test("every agency grant: the index's scope returns exactly the bulletins ClearancePolicy allows the agency")
    func agencyGrants() throws {
        let fixture = try IndexFixture()
        let markings = Self.markings()
        try fixture.add(markings.map { ($0.0, BulletinObservables()) })
        let reader = try fixture.reader()
        for groups in Self.groupSets {
            for highest in TLP.allCases {
                for kind in AgencyKind.allCases {
                    let grant = AgencyGrant(workingGroups: groups, highestTLP: highest, agencyKind: kind)
                    let allowed = Set(markings.filter { ClearancePolicy.decide(agency: grant, for: $0.1) == .allowed }.map(\.0.reference))
                    let found = try Self.found(reader, scope: ClearancePolicy.readableScope(agency: grant))
                    #expect(found == allowed, "\(grant)")
                }
            }
        }
    }
}
