/// What a bulletin's body says that search, correlation and watch-lists can match: its text in
/// folded form, the identifiers it names, the persons, crossing points and places. Read once
/// from the body's JSON when the bulletin is indexed; bounded in what it keeps.
public struct BulletinObservables: Sendable, Hashable {
    /// The most identifiers, persons and crossing points kept from one body.
    public static let maximumItems = 256

    /// The title in every language, folded (``SearchFolding``).
    public var title: String
    /// The summary in every language, folded.
    public var summary: String
    /// Every other string of the body (details, location, agency), folded.
    public var details: String
    /// The identifiers named, without duplicates.
    public var identifiers: [ObservableIdentifier]
    /// The persons named.
    public var persons: [ObservedPerson]
    /// Crossing-point codes (reference/crossing-points.json) named anywhere in the body.
    public var crossingPoints: [String]
    /// When the incident happened (`occurredAt`), milliseconds since 1970, when given.
    public var occurredAtMilliseconds: Int64?

    /// Observables read from a bulletin's body (the JSON a node stores). A body that is not a JSON
    /// object gives empty observables; nothing traps.
    public init(body: [UInt8]) {
        // SKELETON: the Observables helper replaces this with the real reading.
        title = ""
        summary = ""
        details = ""
        identifiers = []
        persons = []
        crossingPoints = []
        occurredAtMilliseconds = nil
    }

    /// Observables given member by member (tests, generated bulletins).
    public init(
        title: String = "", summary: String = "", details: String = "", identifiers: [ObservableIdentifier] = [],
        persons: [ObservedPerson] = [], crossingPoints: [String] = [], occurredAtMilliseconds: Int64? = nil
    ) {
        self.title = title
        self.summary = summary
        self.details = details
        self.identifiers = identifiers
        self.persons = persons
        self.crossingPoints = crossingPoints
        self.occurredAtMilliseconds = occurredAtMilliseconds
    }
}
