import Foundation

/// The bulletin every benchmark posts: a real migrant-smuggling draft from `Schemas/examples`,
/// its summary extended so that the JSON is about 1 KiB like the reference peers' bulletins.
enum BenchDraft {
    /// The observables schema 1.1 added to every type (`vehicles` existed before).
    static let observables = ["people", "documents", "vessels", "aircraft", "phones", "organisations", "places"]

    /// The draft. Without `keepingObservables`, what schema 1.1 added to the example (observables,
    /// report kind, handling codes, crossing-point code) is left out, so the draft every exchange
    /// benchmark posts is the one it posted before 1.1 and figures compare across versions; with it, the whole example (for the validator's
    /// cost on a bulletin that names people, documents and places).
    static func make(schemas: URL, keepingObservables: Bool = false) throws -> String {
        let example = schemas.appendingPathComponent("examples/migrant-smuggling.json")
        guard var object = try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any] else {
            throw BenchError("cannot read \(example.path)")
        }
        object["id"] = nil
        if !keepingObservables {
            // Also the other members 1.1 added, so the draft is byte for byte the 1.0 one.
            for name in ["reportKind", "handling", "validUntil"] { object[name] = nil }
            if var location = object["location"] as? [String: Any] {
                location["crossingPoint"] = nil
                object["location"] = location
            }
            if var details = object["details"] as? [String: Any] {
                for name in observables { details[name] = nil }
                object["details"] = details
            }
        }
        var draft = try encode(object)
        var summary = (object["summary"] as? [String: String]) ?? [:]
        var french = summary["fr"] ?? ""
        while draft.utf8.count < 1_000 {
            french += " Patrouille mixte maintenue sur la piste."
            summary["fr"] = french
            object["summary"] = summary
            draft = try encode(object)
        }
        return draft
    }

    /// The markings the console benchmark's store mixes, in turn: every working group and TLP,
    /// handling codes on some (a reader's clearance filters on all three, docs/CONSOLE.md).
    static let markings: [(workingGroup: String, tlp: String, handling: [String])] = [
        ("security", "AMBER", []), ("customs", "GREEN", []), ("intelligence", "AMBER", []), ("justice", "CLEAR", []),
        ("security", "RED", []), ("customs", "AMBER", ["law-enforcement-use-only"]), ("security", "GREEN", ["no-further-dissemination"]),
        ("customs", "AMBER+STRICT", []),
    ]

    /// `draft` once for each of ``markings``: the same bulletin, its working group, TLP and
    /// handling codes changed.
    static func mix(of draft: String) throws -> [String] {
        guard let object = try JSONSerialization.jsonObject(with: Data(draft.utf8)) as? [String: Any] else {
            throw BenchError("the bench draft is not a JSON object")
        }
        return try markings.map { marking in
            var variant = object
            variant["workingGroup"] = marking.workingGroup
            variant["tlp"] = marking.tlp
            variant["handling"] = marking.handling.isEmpty ? nil : marking.handling
            return try encode(variant)
        }
    }

    /// `count` variants of the whole example (``make(schemas:keepingObservables:)`` with
    /// observables), each naming two persons of ``GeneratedBulletins`` (in Arabic, Latin or both,
    /// with birth dates and nationalities): what the search benchmark's exchange posts, so that
    /// the indexer indexes persons and correlation compares them.
    static func withPersons(schemas: URL, count: Int) throws -> [String] {
        let whole = try make(schemas: schemas, keepingObservables: true)
        guard let object = try JSONSerialization.jsonObject(with: Data(whole.utf8)) as? [String: Any],
            var details = object["details"] as? [String: Any], let people = details["people"] as? [[String: Any]]
        else { throw BenchError("the example migrant-smuggling bulletin has no people") }
        var generator = try GeneratedBulletins(schemas: schemas, seed: 0x0B5E_4AB1)
        var variants: [String] = []
        for _ in 0..<count {
            var variant = object
            details["people"] = people.map { original in
                var person = original
                let made = generator.person()
                person["name"] = ["arabic": made.arabic, "latin": made.latin]
                person["birthDate"] = made.birthDate
                return person
            }
            variant["details"] = details
            variants.append(try encode(variant))
        }
        return variants
    }

    private static func encode(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
