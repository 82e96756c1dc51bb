import FuzzSupport
import Names
import Observables

// What search, correlation and watch-lists read of a bulletin (docs/SEARCH.md): the bounded JSON
// reader and `BulletinObservables(body:)` over every body a node indexes (its own posts and what
// its neighbours send), then each watch criterion made from the body's text and tested against
// the observables, and two persons of the body compared by `PersonCorrelation`.
//
// Input: the body bytes.
// Invariants: the documented bounds of what one body yields (items, text); a person has a name;
// an identifier has a key; a match's score is within 0…1.
// Seeds: Schemas/examples (valid and invalid bulletins).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzObservables(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let body = input.bytes
    let observables = BulletinObservables(body: body)
    let limit = BulletinObservables.maximumItems
    fuzzRequire(observables.identifiers.count <= limit, "\(observables.identifiers.count) identifiers")
    fuzzRequire(observables.persons.count <= limit, "\(observables.persons.count) persons")
    fuzzRequire(observables.crossingPoints.count <= limit, "\(observables.crossingPoints.count) crossing points")
    fuzzRequire(
        observables.details.unicodeScalars.count <= BulletinObservables.maximumDetailsScalars + 1,
        "details of \(observables.details.unicodeScalars.count) scalars")
    fuzzRequire(observables.identifiers.allSatisfy { !$0.key.isEmpty }, "an identifier without a key")
    fuzzRequire(observables.persons.allSatisfy { !$0.name.isEmpty }, "a person without a name")

    let text = String(decoding: body.prefix(WatchCriterion.maximumValueLength * 4), as: UTF8.self)
    for kind in WatchKind.allCases {
        guard let criterion = try? WatchCriterion(kind: kind, value: text) else { continue }
        _ = criterion.lookupKeys
        if let match = criterion.match(observables, incidentType: "migrant-smuggling") {
            fuzzRequire(match.score >= 0 && match.score <= 1, "watch score \(match.score)")
        }
    }
    _ = observables.watchKeys(incidentType: "migrant-smuggling")
    if observables.persons.count >= 2 {
        let a = PreparedPerson(observables.persons[0])
        let b = PreparedPerson(observables.persons[1])
        if let match = PersonCorrelation.evaluate(a, b) {
            fuzzRequire(match.score >= 0 && match.score <= 1, "correlation score \(match.score)")
        }
    }
    _ = SearchFolding.fold(text)
    return 0
}
