import Testing

@testable import Exchange

@Suite("Region geography: default neighbour links")
struct GeographyTests {
    let geography = RegionGeography.rabatDeclaration

    @Test("every member state has a neighbour, and no pair is listed twice")
    func table() {
        for state in geography.memberStates {
            #expect(!geography.neighbours(of: state).isEmpty, "\(state)")
        }
        let pairs = geography.neighbourhoods.map { [$0.first, $0.second].sorted() }
        #expect(Set(pairs).count == pairs.count)
        #expect(geography.neighbourhoods.allSatisfy { $0.first != $0.second })
        let known = Set(geography.memberStates + geography.partnerStates)
        #expect(geography.neighbourhoods.allSatisfy { known.contains($0.first) && known.contains($0.second) })
    }

    @Test("land neighbours are the real borders")
    func landBorders() {
        func land(_ text: String) -> [String] {
            geography.neighbourhoods.filter { $0.border == .land && $0.contains(state(text)) }
                .map { $0.first == state(text) ? $0.second.description : $0.first.description }.sorted()
        }
        #expect(land("DZ") == ["LY", "MA", "ML", "MR", "NE", "TN"])
        #expect(land("LY") == ["DZ", "EG", "NE", "SD", "TD", "TN"])
        #expect(land("NE") == ["DZ", "LY", "ML", "TD"])
        #expect(land("EG") == ["LY", "SD"])
        #expect(land("TN") == ["DZ", "LY"])
    }

    @Test("default links run both ways between member-role states only; partners get none")
    func defaultLinks() throws {
        let members = Fixtures.members  // MA, DZ, TN, MR members; ES partner; XS secretariat
        let links = geography.defaultLinks(for: members)
        let names = links.map(\.description)
        #expect(names == ["DZ→MA", "DZ→MR", "DZ→TN", "MA→DZ", "MA→MR", "MR→DZ", "MR→MA", "TN→DZ"])
        #expect(!links.contains { $0.origin == state("ES") || $0.recipient == state("ES") })
        #expect(geography.neighbours(of: state("MA")).contains(state("ES")))
    }
}
