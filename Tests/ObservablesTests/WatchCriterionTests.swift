import Names
import Observables
import Testing

/// Watch criteria: normalisation, refusals, lookup keys against a bulletin's keys, matches.
@Suite("WatchCriterion")
struct WatchCriterionTests {
    func observables(_ example: String) throws -> BulletinObservables {
        BulletinObservables(body: try Examples.body(example))
    }

    /// The criterion matches and a store would find it: its lookup keys meet the bulletin's.
    func expectFound(_ criterion: WatchCriterion, _ observables: BulletinObservables, type: String = "x", sourceLocation: SourceLocation = #_sourceLocation) -> WatchMatch? {
        #expect(!criterion.lookupKeys.isDisjoint(with: observables.watchKeys(incidentType: type)), sourceLocation: sourceLocation)
        let match = criterion.match(observables, incidentType: type)
        #expect(match != nil, sourceLocation: sourceLocation)
        return match
    }

    @Test("a name in Latin letters matches a person written in Arabic")
    func latinMatchesArabic() throws {
        let criterion = try WatchCriterion(kind: .name, value: "  Mohamed Ben Youssef ")
        #expect(criterion.value == "Mohamed Ben Youssef")
        let bulletin = BulletinObservables(persons: [ObservedPerson(name: "محمد بن يوسف")])
        let match = expectFound(criterion, bulletin)
        #expect(match?.reason.contains("محمد بن يوسف") == true)
        #expect((match?.score ?? 0) >= NameMatcher.threshold)
        #expect(criterion.match(BulletinObservables(persons: [ObservedPerson(name: "Mohamed Ben Salah")]), incidentType: "x") == nil)
    }

    @Test("a name matches an alias; an example's person is found by its Latin spelling")
    func alias() throws {
        let wanted = try observables("wanted-person.json")
        _ = expectFound(try WatchCriterion(kind: .name, value: "Karim Bouzid"), wanted)
        let fighters = try observables("foreign-terrorist-fighters.json")
        _ = expectFound(try WatchCriterion(kind: .name, value: "Mahmoud Said El Shazly"), fighters)
    }

    @Test("a document without a state matches any state; with one, only that state")
    func documents() throws {
        let fraud = try observables("document-fraud.json")
        let any = try WatchCriterion(kind: .document, value: "bk-482915")
        #expect(any.normalizedValue == "BK482915")
        #expect(expectFound(any, fraud)?.reason == "document MAR:BK482915")
        _ = expectFound(try WatchCriterion(kind: .document, value: "mar:BK 482915"), fraud)
        #expect(try WatchCriterion(kind: .document, value: "DZA:BK482915").match(fraud, incidentType: "document-fraud") == nil)
        #expect(try WatchCriterion(kind: .document, value: "BK482916").match(fraud, incidentType: "document-fraud") == nil)
    }

    @Test("plates with or without country, Arabic plates")
    func plates() throws {
        _ = expectFound(try WatchCriterion(kind: .plate, value: "ML:AB-4417-KA"), try observables("goods-smuggling.json"))
        _ = expectFound(try WatchCriterion(kind: .plate, value: "AB 4417 KA"), try observables("goods-smuggling.json"))
        _ = expectFound(try WatchCriterion(kind: .plate, value: "ن ص ع ٤٧٢١"), try observables("migrant-smuggling.json"))
        #expect(try WatchCriterion(kind: .plate, value: "MR:AB4417KA").match(try observables("goods-smuggling.json"), incidentType: "x") == nil)
    }

    @Test("vessels by IMO, MMSI and name")
    func vessels() throws {
        let vessel = try observables("suspicious-vessel.json")
        let imo = try WatchCriterion(kind: .vessel, value: "IMO 9074729")
        #expect(imo.normalizedValue == "imo:9074729")
        #expect(expectFound(imo, vessel)?.reason == "vessel IMO 9074729")
        _ = expectFound(try WatchCriterion(kind: .vessel, value: "636017432"), vessel)
        #expect(expectFound(try WatchCriterion(kind: .vessel, value: "Sea Pearl"), vessel)?.score == 1)
        #expect(try WatchCriterion(kind: .vessel, value: "Ocean Star").match(vessel, incidentType: "x") == nil)
    }

    @Test("phones: international form, without +, IMEI")
    func phones() throws {
        let migrants = try observables("migrant-smuggling.json")
        _ = expectFound(try WatchCriterion(kind: .phone, value: "+218 91 345 6789"), migrants)
        _ = expectFound(try WatchCriterion(kind: .phone, value: "091 345 6789"), migrants)
        #expect(try WatchCriterion(kind: .phone, value: "+219913456789").match(migrants, incidentType: "x") == nil)
        let threat = try observables("terrorist-threat.json")
        let imei = try WatchCriterion(kind: .phone, value: "356938035643809")
        #expect(imei.normalizedValue == "imei:356938035643809")
        _ = expectFound(imei, threat)
    }

    @Test("incident type and crossing point")
    func typeAndCrossingPoint() throws {
        let migrants = try observables("migrant-smuggling.json")
        _ = expectFound(try WatchCriterion(kind: .incidentType, value: "Migrant-Smuggling"), migrants, type: "migrant-smuggling")
        #expect(try WatchCriterion(kind: .incidentType, value: "drug-trafficking").match(migrants, incidentType: "migrant-smuggling") == nil)
        _ = expectFound(try WatchCriterion(kind: .crossingPoint, value: "eg-ly-salloum-musaid"), migrants)
        #expect(try WatchCriterion(kind: .crossingPoint, value: "MR-SN-ROSSO").match(migrants, incidentType: "x") == nil)
    }

    @Test("every identifier of every example is found by a criterion made from it")
    func everyExampleIdentifier() throws {
        for name in try Examples.names() {
            let observables = try observables(name)
            for identifier in observables.identifiers {
                let kind: WatchKind
                switch identifier.kind {
                case .document: kind = .document
                case .plate: kind = .plate
                case .imo, .mmsi: kind = .vessel
                case .phone, .imei: kind = .phone
                case .vin, .aircraft: continue
                }
                _ = expectFound(try WatchCriterion(kind: kind, value: identifier.written), observables)
            }
            for person in observables.persons {
                _ = expectFound(try WatchCriterion(kind: .name, value: person.name), observables)
            }
            for code in observables.crossingPoints {
                _ = expectFound(try WatchCriterion(kind: .crossingPoint, value: code), observables)
            }
        }
    }

    @Test("refusals say what to give")
    func refusals() {
        let refused: [(WatchKind, String)] = [
            (.name, ""), (.name, "   "), (.name, "123 !!!"), (.name, String(repeating: "a", count: 201)),
            (.document, "MA:AB123456"), (.document, "ب١٢٣"), (.document, "--"),
            (.plate, "MAR:AB4417KA"), (.plate, "!!"),
            (.vessel, "IMO 9074728"), (.vessel, "12345"), (.vessel, "!!!"),
            (.phone, "call me"), (.phone, "123"),
            (.incidentType, "migrant smuggling"), (.incidentType, "-x"), (.incidentType, "a--b"),
            (.crossingPoint, "EG LY"), (.crossingPoint, "é"),
        ]
        for (kind, value) in refused {
            #expect(throws: WatchCriterionError.self, "\(kind) \(value)") { try WatchCriterion(kind: kind, value: value) }
        }
        do {
            _ = try WatchCriterion(kind: .document, value: "MA:AB123456")
        } catch {
            #expect(error.description.contains("alpha-3"))
        }
    }

    @Test("hostile values and bulletins: no trap")
    func hostile() {
        for kind in WatchKind.allCases {
            _ = try? WatchCriterion(kind: kind, value: String(repeating: "😀", count: 200))
            _ = try? WatchCriterion(kind: kind, value: String(repeating: "\u{064E}", count: 200))
        }
        let many = BulletinObservables(persons: (0..<256).map { ObservedPerson(name: "Person \($0)", aliases: ["Alias \($0)"]) })
        if let criterion = try? WatchCriterion(kind: .name, value: "Mohamed") {
            _ = criterion.match(many, incidentType: "")
        }
        #expect(many.watchKeys(incidentType: "NOT A SLUG !").allSatisfy { !$0.hasPrefix("type:") })
    }
}
