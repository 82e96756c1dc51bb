import Names

/// Why two persons of two bulletins are taken to be one, and how strongly (0…1).
public struct PersonMatch: Sendable, Hashable {
    /// The combined score: the names' score (``NameMatcher``) raised or lowered by birth date,
    /// birth year and nationality when both bulletins give them.
    public var score: Double
    /// The reasons, in English words a person reads (`"name 0.93 (Mohamed Ben Youssef ≈ محمد بن يوسف)"`,
    /// `"same birth date"`, `"nationality differs"`).
    public var reasons: [String]

    /// A match with its score and reasons.
    public init(score: Double, reasons: [String]) {
        self.score = score
        self.reasons = reasons
    }
}

/// Scores whether two persons named in two bulletins are the same person: the name matcher's
/// score over their names and aliases, combined with birth date or year and nationalities.
public enum PersonCorrelation {
    /// The combined score at and above which two persons are linked.
    public static let threshold = 0.8

    /// The match of `a` and `b`, or `nil` below ``threshold``.
    public static func match(_ a: ObservedPerson, _ b: ObservedPerson, matcher: NameMatcher = NameMatcher()) -> PersonMatch? {
        // SKELETON: the Observables helper replaces this with the real combination.
        let score = matcher.score(a.name, b.name)
        return score >= threshold ? PersonMatch(score: score, reasons: ["name \(score)"]) : nil
    }
}
