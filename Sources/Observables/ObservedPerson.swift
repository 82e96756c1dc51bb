/// A person a bulletin names (schema 1.1's `people` items and the person fields of incident
/// types): what correlation compares.
public struct ObservedPerson: Sendable, Hashable, Codable {
    /// The name as written (Arabic or Latin letters).
    public var name: String
    /// Other names the bulletin gives for the person.
    public var aliases: [String]
    /// The birth date, `YYYY-MM-DD`, when given.
    public var birthDate: String?
    /// The birth year, when given (or taken from the birth date).
    public var birthYear: Int?
    /// Nationalities as the bulletin gives them, uppercased (ISO 3166-1 alpha-3 in schema 1.1).
    public var nationalities: [String]

    /// A person with what a bulletin gives of them.
    public init(name: String, aliases: [String] = [], birthDate: String? = nil, birthYear: Int? = nil, nationalities: [String] = []) {
        self.name = name
        self.aliases = aliases
        self.birthDate = birthDate
        self.birthYear = birthYear
        self.nationalities = nationalities
    }
}
