/// A count and its noun in Arabic, with the agreement Arabic grammar requires between them.
///
/// Arabic does not write "3 حرف" as English writes "3 character(s)": the noun takes the singular
/// after 1 («حرف واحد»), the dual alone for 2 («حرفان»), the plural genitive for 3–10 («3 أحرف»),
/// the singular accusative for 11–99 («11 حرفًا») and the singular genitive for hundreds and
/// thousands («100 حرف»). The rule follows the last two digits, as CLDR's Arabic plural
/// categories do (zero, one, two, few = n mod 100 in 3…10, many = n mod 100 in 11…99, other).
struct ArabicCount: Sendable {
    /// The noun after 1, and after 100, 1000… (singular, genitive): «حرف».
    let singular: String
    /// The dual, used alone for 2: «حرفان».
    let dual: String
    /// The plural after 3–10: «أحرف».
    let plural: String
    /// The singular accusative after 11–99: «حرفًا».
    let accusative: String
    /// «واحد» or «واحدة», after the noun for 1.
    let one: String

    static let characters = ArabicCount(singular: "حرف", dual: "حرفان", plural: "أحرف", accusative: "حرفًا", one: "واحد")
    static let elements = ArabicCount(singular: "عنصر", dual: "عنصران", plural: "عناصر", accusative: "عنصرًا", one: "واحد")
    static let fields = ArabicCount(singular: "حقل", dual: "حقلان", plural: "حقول", accusative: "حقلًا", one: "واحد")
    static let bytes = ArabicCount(singular: "بايت", dual: "بايتان", plural: "بايتات", accusative: "بايتًا", one: "واحد")
    static let alternatives = ArabicCount(singular: "بديل", dual: "بديلين", plural: "بدائل", accusative: "بديلًا", one: "واحد")

    /// `count` with its noun, digits in Western form as everywhere in the messages.
    func phrase(_ count: Int) -> String {
        let lastTwo = Int(count.magnitude % 100)
        switch count {
        case 1: return "\(singular) \(one)"
        case 2: return dual
        default:
            if (3...10).contains(lastTwo) { return "\(count) \(plural)" }
            if (11...99).contains(lastTwo) { return "\(count) \(accusative)" }
            return "\(count) \(singular)"
        }
    }
}
