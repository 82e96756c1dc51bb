import Exchange
import Foundation
import GRDB
import Names
import Observables
import Store

/// Writes one bulletin's rows into `search.sqlite` inside the indexer's transaction, and links it
/// to the earlier bulletins that share an identifier or a person (correlation at arrival).
/// Every lookup is bounded and reads an index newest first (docs/SEARCH.md, "Correlation").
struct IndexWriter {
    /// A bulletin with what was read from its body before the transaction.
    struct Prepared {
        var bulletin: StoredBulletin
        var observables: BulletinObservables
        var own: Bool
    }

    /// The earlier bulletins read per identifier key, newest first.
    static let bulletinsPerIdentifier = 32
    /// The earlier persons read per blocking key, newest first.
    static let personsPerKey = 32
    /// The most candidate persons scored for one person of the new bulletin.
    static let candidatesPerPerson = 256
    /// The most aliases of one person whose keys are filed.
    static let aliasesKept = 8
    /// The most links one bulletin gets (the best kept).
    static let maximumLinks = 256

    let db: Database
    /// Names prepared once per spelling (the index's cache, kept across batches).
    let names: PersonNameCache
    let matcher = NameMatcher()

    /// The stored form of a link's kind: `identifier:<kind>` or `person`.
    static func kindText(_ kind: BulletinLink.Kind) -> String {
        switch kind {
        case .identifier(let identifier): "identifier:\(identifier.rawValue)"
        case .person: "person"
        }
    }

    /// A link kind read back, or `nil` for a value this version does not know.
    static func kind(_ text: String) -> BulletinLink.Kind? {
        if text == "person" { return .person }
        guard text.hasPrefix("identifier:"),
            let kind = IdentifierKind(rawValue: String(text.dropFirst("identifier:".count)))
        else {
            return nil
        }
        return .identifier(kind)
    }

    /// Inserts `item` and its links; `nil` when the bulletin is indexed already.
    mutating func insert(_ item: Prepared) throws -> IndexedBulletin? {
        let bulletin = item.bulletin
        let id = bulletin.reference.description
        if try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT rowid FROM indexed_bulletin WHERE id = ?"), arguments: [id]) != nil
        {
            return nil
        }
        let fields = bulletin.indexFields ?? Self.indexFields(of: bulletin.body)
        let observables = item.observables
        try db.cachedStatement(
            sql: """
                INSERT INTO indexed_bulletin(id, origin, incident_type, tlp, working_group, own, stored_at, occurred_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            id, bulletin.reference.origin.description, bulletin.incidentType, bulletin.tlp.label, fields.workingGroup,
            item.own ? 1 : 0, Int64(clamping: bulletin.storedAt.millisecondsSinceEpoch),
            observables.occurredAtMilliseconds,
        ])
        let row = db.lastInsertedRowID
        for code in Set(fields.handling) {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO indexed_handling(code, bulletin) VALUES (?, ?)").execute(
                arguments: [code, row])
        }
        try db.cachedStatement(sql: "INSERT INTO bulletin_text(rowid, title, summary, details) VALUES (?, ?, ?, ?)")
            .execute(arguments: [row, observables.title, observables.summary, observables.details])

        // Correlation first, so that this bulletin's own rows are not their own candidates.
        var links: [Int64: (link: BulletinLink, kind: String)] = [:]
        func keep(_ earlier: Int64, _ link: BulletinLink) {
            let key = earlier
            if let existing = links[key], existing.link.score >= link.score { return }
            if links[key] == nil, links.count >= Self.maximumLinks { return }
            links[key] = (link, Self.kindText(link.kind))
        }
        for identifier in observables.identifiers.prefix(BulletinObservables.maximumItems) {
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT o.bulletin, b.id FROM observable o JOIN indexed_bulletin b ON b.rowid = o.bulletin
                        WHERE o.kind = ? AND o.key = ? ORDER BY o.bulletin DESC LIMIT ?
                        """),
                arguments: [identifier.kind.rawValue, identifier.key, Self.bulletinsPerIdentifier])
            for candidate in rows {
                guard let other = try? BulletinReference(candidate["id"] as String) else { continue }
                keep(
                    candidate["bulletin"],
                    BulletinLink(
                        other: other, kind: .identifier(identifier.kind),
                        reason: "\(identifier.kind.rawValue) \(identifier.key)", score: 1))
            }
        }
        let persons = observables.persons.prefix(BulletinObservables.maximumItems).map {
            PreparedPerson($0, prepare: names.name)
        }
        let personKeys = persons.map(Self.filedKeys)
        for (person, keys) in zip(persons, personKeys) {
            for (earlier, match, other) in try candidates(for: person, keys: keys) {
                // An identifier link says more than a person's: a person link does not replace it.
                if let existing = links[earlier], case .identifier = existing.link.kind { continue }
                keep(
                    earlier,
                    BulletinLink(
                        other: other, kind: .person, reason: match.reasons.joined(separator: ", "), score: match.score))
            }
        }
        for (earlier, entry) in links {
            try db.cachedStatement(
                sql:
                    "INSERT OR IGNORE INTO bulletin_link(bulletin, earlier, kind, reason, score) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [row, earlier, entry.kind, entry.link.reason, entry.link.score])
        }

        for identifier in observables.identifiers.prefix(BulletinObservables.maximumItems) {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO observable(kind, key, bulletin) VALUES (?, ?, ?)")
                .execute(arguments: [identifier.kind.rawValue, identifier.key, row])
            // A document or plate is also filed by its number alone, for a search that does not
            // know the issuing state (never for correlation: the state tells two numbers apart).
            if let numberKind = IdentifierLookup.numberKind(identifier.kind) {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO observable(kind, key, bulletin) VALUES (?, ?, ?)")
                    .execute(arguments: [numberKind, identifier.number, row])
            }
        }
        for point in observables.crossingPoints.prefix(BulletinObservables.maximumItems) {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO observable(kind, key, bulletin) VALUES (?, ?, ?)")
                .execute(arguments: [SearchReader.crossingPointKind, SearchReader.crossingPointKey(point), row])
        }
        for (prepared, keys) in zip(persons, personKeys) {
            let person = prepared.person
            try db.cachedStatement(
                sql:
                    "INSERT INTO person(bulletin, name, aliases, birth_date, birth_year, nationalities) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [
                row, person.name, Self.json(Array(person.aliases.prefix(Self.aliasesKept))), person.birthDate,
                person.birthYear,
                Self.json(person.nationalities),
            ])
            let personRow = db.lastInsertedRowID
            for key in keys.units.union(keys.pairs) {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO person_key(key, person) VALUES (?, ?)").execute(
                    arguments: [key, personRow])
            }
        }
        let sorted = links.values.map(\.link).sorted {
            ($0.score, $0.other.description) > ($1.score, $1.other.description)
        }
        return IndexedBulletin(
            reference: bulletin.reference, incidentType: bulletin.incidentType, observables: observables, links: sorted)
    }

    /// The keys a person is filed under in `person_key`: each unit's blocking keys
    /// (`PersonName.blockingKeys`) and each pair of units' (`PersonName.pairBlockingKeys`,
    /// prefixed ``pairKeyPrefix``), over the name and its aliases.
    static func filedKeys(_ person: PreparedPerson) -> (units: Set<String>, pairs: Set<String>) {
        var units = Set<String>()
        var pairs = Set<String>()
        for name in person.names.prefix(1 + aliasesKept) {
            units.formUnion(name.blockingKeys)
            for key in name.pairBlockingKeys { pairs.insert(pairKeyPrefix + key) }
        }
        return (units, pairs)
    }

    /// The prefix of a pair key in `person_key` (a unit key is three letters, never with `+`).
    static let pairKeyPrefix = "2:"

    /// The earlier persons that ``PersonCorrelation`` takes for `person`: their bulletin's row,
    /// the match and the bulletin's id. Candidates, newest first and bounded:
    /// - a person with a name of two units or more: the persons filed under one of its pair keys
    ///   (two units in common, in any order), ``personsPerKey`` per key;
    /// - a person known only by one-unit names, with a birth date or year: the persons under one
    ///   of its unit keys whose birth date or year agrees, among the ``personsPerKey`` × 4 newest
    ///   of each key (a single name is never linked without one: ``PersonCorrelation``); without
    ///   a birth date or year, none.
    /// A candidate whose birth date or year refuses the pair is dropped before its names are
    /// prepared, and at most ``candidatesPerPerson`` are scored.
    private func candidates(for person: PreparedPerson, keys: (units: Set<String>, pairs: Set<String>)) throws -> [(
        Int64, PersonMatch, BulletinReference
    )] {
        // The birth facts that refuse a pair are tested inside SQLite, over the newest rows of
        // each bucket, so that a refused candidate costs no row decoded and no name prepared.
        let birthYear = person.person.birthYear ?? person.person.birthDate.flatMap { Int($0.prefix(4)) }
        let birth: [String: (any DatabaseValueConvertible)?] = ["date": person.person.birthDate, "year": birthYear]
        let agreeing = try db.cachedStatement(
            sql: """
                SELECT p.rowid FROM (SELECT person FROM person_key WHERE key = :key ORDER BY person DESC LIMIT :newest) k
                JOIN person p ON p.rowid = k.person
                WHERE (:date IS NULL OR p.birth_date IS NULL OR p.birth_date = :date)
                  AND (:year IS NULL OR (
                      (p.birth_year IS NULL OR p.birth_year BETWEEN :year - 1 AND :year + 1)
                      AND (p.birth_date IS NULL OR CAST(substr(p.birth_date, 1, 4) AS INTEGER) BETWEEN :year - 1 AND :year + 1)))
                  AND (:unitsOnly = 0 OR p.birth_year IS NOT NULL OR p.birth_date IS NOT NULL)
                """)
        var rows = Set<Int64>()
        func take(_ key: String, newest: Int, unitsOnly: Bool) throws {
            var arguments = birth
            arguments["key"] = key
            arguments["newest"] = newest
            arguments["unitsOnly"] = unitsOnly ? 1 : 0
            for row in try Int64.fetchAll(agreeing, arguments: StatementArguments(arguments)) where rows.count < Self.candidatesPerPerson {
                rows.insert(row)
            }
        }
        for key in keys.pairs.sorted() where rows.count < Self.candidatesPerPerson {
            try take(key, newest: Self.personsPerKey, unitsOnly: false)
        }
        // A person known only by one-unit names has no pair key: its candidates are the persons
        // under its unit keys born within a year of it (a single name is never linked otherwise).
        if birthYear != nil, keys.pairs.isEmpty {
            for key in keys.units.sorted() where rows.count < Self.candidatesPerPerson {
                try take(key, newest: Self.personsPerKey * 4, unitsOnly: true)
            }
        }
        guard !rows.isEmpty else { return [] }
        var result: [(Int64, PersonMatch, BulletinReference)] = []
        let lookup = try db.cachedStatement(
            sql: """
                SELECT p.bulletin, p.name, p.aliases, p.birth_date, p.birth_year, p.nationalities, b.id
                FROM person p JOIN indexed_bulletin b ON b.rowid = p.bulletin WHERE p.rowid = ?
                """)
        for row in rows.sorted() {
            guard let candidate = try Row.fetchOne(lookup, arguments: [row]) else { continue }
            let birthDate: String? = candidate["birth_date"]
            let candidateYear: Int? = candidate["birth_year"] ?? birthDate.flatMap { Int($0.prefix(4)) }
            // The facts that refuse a pair, read before any name is prepared.
            if let mine = person.person.birthDate, let theirs = birthDate, mine != theirs { continue }
            if let birthYear, let candidateYear, abs(birthYear - candidateYear) > 1 { continue }
            guard let other = try? BulletinReference(candidate["id"] as String) else { continue }
            let earlier = ObservedPerson(
                name: candidate["name"], aliases: Self.strings(candidate["aliases"]), birthDate: birthDate,
                birthYear: candidate["birth_year"], nationalities: Self.strings(candidate["nationalities"]))
            if let match = PersonCorrelation.match(
                person, PreparedPerson(earlier, prepare: names.name), matcher: matcher)
            {
                result.append((candidate["bulletin"], match, other))
            }
        }
        return result
    }

    /// `values` as a JSON array of strings.
    static func json(_ values: [String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: values) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A JSON array of strings read back; anything else is none.
    static func strings(_ text: String?) -> [String] {
        guard let text, let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else {
            return []
        }
        return array.compactMap { $0 as? String }
    }

    /// The working group and handling codes of a body, when the caller did not pass them.
    static func indexFields(of body: [UInt8]) -> BulletinIndexFields {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        return BulletinIndexFields(
            workingGroup: object?["workingGroup"] as? String,
            handling: (object?["handling"] as? [Any])?.compactMap { $0 as? String } ?? [], corrects: nil, withdraws: nil
        )
    }
}
