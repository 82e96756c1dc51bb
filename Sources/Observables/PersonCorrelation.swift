import Names

/// Why two persons of two bulletins are taken to be one, and how strongly (0…1).
public struct PersonMatch: Sendable, Hashable {
    /// The combined score: the names' score (``NameMatcher``) raised or lowered by birth date,
    /// birth year and nationality when both bulletins give them.
    public var score: Double
    /// The reasons, in English words a person reads (`"name 0.95 (محمد بن يوسف ≈ Mohamed Ben Youssef)"`,
    /// `"full names"`, `"same birth date 1985-03-02"`, `"nationalities differ (MAR / DZA)"`).
    public var reasons: [String]

    /// A match with its score and reasons.
    public init(score: Double, reasons: [String]) {
        self.score = score
        self.reasons = reasons
    }
}

/// A person with their names prepared for the matcher once (an index compares one stored person
/// with many candidates: prepare each once, docs/NAMES.md "Speed").
public struct PreparedPerson: Sendable, Hashable {
    /// The person as read from the bulletin.
    public let person: ObservedPerson
    /// The name and the aliases that have at least one name unit, as written, in the same order
    /// as ``names``.
    public let spellings: [String]
    /// The prepared names.
    public let names: [PersonName]

    /// Prepares the name and the aliases of `person` (at most
    /// ``BulletinObservables/maximumNamesPerPerson``).
    public init(_ person: ObservedPerson) {
        self.init(person, prepare: PersonName.init)
    }

    /// Prepares the name and the aliases of `person` with `prepare` (a cache of prepared names
    /// gives the same result as ``PersonName/init(_:)``, once per spelling).
    public init(_ person: ObservedPerson, prepare: (String) -> PersonName) {
        self.person = person
        var spellings: [String] = []
        var names: [PersonName] = []
        for text in ([person.name] + person.aliases).prefix(BulletinObservables.maximumNamesPerPerson) {
            let name = prepare(text)
            guard !name.units.isEmpty else { continue }
            spellings.append(text)
            names.append(name)
        }
        self.spellings = spellings
        self.names = names
    }
}

/// Scores whether two persons named in two bulletins are the same person: the name matcher's
/// score over their names and aliases, combined with birth date or year and nationalities.
///
/// The combination (docs/SEARCH.md, "Person correlation"), starting from the best name score `s`
/// over every name × alias pair:
/// - `s` below ``minimumNameScore`` (0.6): no match, whatever else agrees;
/// - both names of the best pair have two units or more (full names): + ``fullNameBonus`` (0.05);
///   one of them is a single unit: − ``singleNamePenalty`` (0.2), and without the same birth date
///   or birth year the score is held at ``threshold`` − 0.05 (a single name is never linked alone);
/// - both give a full birth date: equal + ``sameBirthDateBonus`` (0.15); different: no match;
/// - otherwise both give a birth year (or a date's year): equal + ``sameBirthYearBonus`` (0.05);
///   one apart: unchanged; further apart: no match;
/// - both give nationalities: one shared + ``sharedNationalityBonus`` (0.03); none shared
///   − ``disjointNationalitiesPenalty`` (0.1);
/// - clamped to 0…1; linked at ``threshold`` (0.8) and above.
///
/// Why (docs/NAMES.md's figures): full names have almost no random false matches from 0.65 up
/// (≤ 0.003 %) and hard ones (a brother, one part replaced) of 0.65–1.45 % at 0.75, so two full
/// names link on their own from 0.75 (recall 0.95 Arabic↔Latin, 0.99 Latin↔Latin). A single name
/// at the matcher's threshold still has 0.1 % random and 17 % hard false matches (Ahmed / Hamid
/// 0.94), and a common given name is shared by many: alone it is never linked; it needs the same
/// birth date (a single name scoring 0.85 or more) or the same birth year (0.95 or more; 0.92 with
/// a shared nationality).
public enum PersonCorrelation {
    /// The combined score at and above which two persons are linked.
    public static let threshold = 0.8
    /// Below this name score no birth date or nationality makes a match.
    public static let minimumNameScore = 0.6
    /// Added when both names of the best pair are full names (two units or more).
    public static let fullNameBonus = 0.05
    /// Subtracted when one name of the best pair is a single unit.
    public static let singleNamePenalty = 0.2
    /// Added when both give the same full birth date.
    public static let sameBirthDateBonus = 0.15
    /// Added when both give the same birth year (and not both a full date).
    public static let sameBirthYearBonus = 0.05
    /// Added when both give nationalities and share one.
    public static let sharedNationalityBonus = 0.03
    /// Subtracted when both give nationalities and share none.
    public static let disjointNationalitiesPenalty = 0.1

    /// The match of `a` and `b`, or `nil` below ``threshold``.
    public static func match(_ a: ObservedPerson, _ b: ObservedPerson, matcher: NameMatcher = NameMatcher()) -> PersonMatch? {
        match(PreparedPerson(a), PreparedPerson(b), matcher: matcher)
    }

    /// The match of two prepared persons, or `nil` below ``threshold``.
    public static func match(_ a: PreparedPerson, _ b: PreparedPerson, matcher: NameMatcher = NameMatcher()) -> PersonMatch? {
        guard let evaluation = evaluate(a, b, matcher: matcher), evaluation.score >= threshold else { return nil }
        return evaluation
    }

    /// The combined score and reasons whatever the threshold, or nil when a fact refuses the pair
    /// (different birth dates, birth years more than one apart, names below ``minimumNameScore``).
    public static func evaluate(_ a: PreparedPerson, _ b: PreparedPerson, matcher: NameMatcher = NameMatcher()) -> PersonMatch? {
        var best: (score: Double, left: Int, right: Int)?
        for (i, left) in a.names.enumerated() {
            for (j, right) in b.names.enumerated() {
                let score = matcher.score(left, right)
                if best == nil || score > best?.score ?? 0 { best = (score, i, j) }
            }
        }
        guard let best, best.score >= minimumNameScore else { return nil }
        var score = best.score
        var reasons = ["name \(formatted(best.score)) (\(a.spellings[best.left]) ≈ \(b.spellings[best.right]))"]
        let single = min(a.names[best.left].units.count, b.names[best.right].units.count) < 2
        var corroborated = false
        if !single {
            score += fullNameBonus
            reasons.append("full names")
        } else {
            score -= singleNamePenalty
            reasons.append("a single name, weak alone")
        }

        if let dateA = a.person.birthDate, let dateB = b.person.birthDate {
            guard dateA == dateB else { return nil }
            score += sameBirthDateBonus
            corroborated = true
            reasons.append("same birth date \(dateA)")
        } else if let yearA = a.person.birthYear ?? a.person.birthDate.flatMap({ Int($0.prefix(4)) }),
            let yearB = b.person.birthYear ?? b.person.birthDate.flatMap({ Int($0.prefix(4)) })
        {
            let gap = abs(yearA - yearB)
            guard gap <= 1 else { return nil }
            if gap == 0 {
                score += sameBirthYearBonus
                corroborated = true
                reasons.append("same birth year \(yearA)")
            } else {
                reasons.append("birth years \(min(yearA, yearB)) and \(max(yearA, yearB)), one apart")
            }
        }

        let nationalitiesA = Set(a.person.nationalities.map { $0.uppercased() })
        let nationalitiesB = Set(b.person.nationalities.map { $0.uppercased() })
        if !nationalitiesA.isEmpty, !nationalitiesB.isEmpty {
            let shared = nationalitiesA.intersection(nationalitiesB).sorted()
            if shared.isEmpty {
                score -= disjointNationalitiesPenalty
                reasons.append("nationalities differ (\(nationalitiesA.sorted().joined(separator: ", ")) / \(nationalitiesB.sorted().joined(separator: ", ")))")
            } else {
                score += sharedNationalityBonus
                reasons.append("same nationality \(shared.joined(separator: ", "))")
            }
        }
        if single, !corroborated {
            // A single name with no birth date or year in common is never linked (Ahmed / Ahmed).
            score = min(score, threshold - 0.05)
            reasons.append("no birth date or year in common")
        }
        return PersonMatch(score: min(1, max(0, score)), reasons: reasons)
    }

    /// A score with two decimals (`0.93`).
    static func formatted(_ score: Double) -> String {
        let hundredths = Int((min(1, max(0, score)) * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
