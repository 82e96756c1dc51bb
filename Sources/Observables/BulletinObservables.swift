/// What a bulletin's body says that search, correlation and watch-lists can match: its text in
/// folded form, the identifiers it names, the persons, crossing points and places. Read once
/// from the body's JSON when the bulletin is indexed; bounded in what it keeps.
///
/// What is read, and from where, is described in docs/SEARCH.md, "What is read from a bulletin".
public struct BulletinObservables: Sendable, Hashable {
    /// The most identifiers, persons, vessel names and crossing points kept from one body (each).
    public static let maximumItems = 256
    /// The most scalars of ``details`` (the folded text of the body's other strings).
    public static let maximumDetailsScalars = 16_384
    /// The most scalars of ``title`` and of ``summary`` (every language together).
    public static let maximumTitleAndSummaryScalars = 8_192
    /// The most names (name and aliases) kept of one person.
    public static let maximumNamesPerPerson = 32

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
    /// Vessels' names as written (`vessels` items, and a vessel type's own `name`), without
    /// duplicates; matched by watch-list entries of kind vessel.
    public var vesselNames: [String]

    /// Observables read from a bulletin's body (the JSON a node stores). A body that is not a JSON
    /// object gives empty observables; nothing traps.
    public init(body: [UInt8]) {
        self.init()
        guard let root = BoundedJSON.parse(body), case .object(let members) = root else { return }
        var reader = ObservableReader()
        for (key, value) in members {
            switch key {
            case "title": title = reader.foldedLocalized(value)
            case "summary": summary = reader.foldedLocalized(value)
            case "occurredAt": occurredAtMilliseconds = value.string.flatMap(RFC3339.milliseconds)
            default: break
            }
        }
        reader.walk(root, key: nil, depth: 0, topLevel: true)
        details = String(reader.details)
        identifiers = reader.identifiers
        persons = reader.persons
        crossingPoints = reader.crossingPoints
        vesselNames = reader.vesselNames
    }

    /// Observables given member by member (tests, generated bulletins).
    public init(
        title: String = "", summary: String = "", details: String = "", identifiers: [ObservableIdentifier] = [],
        persons: [ObservedPerson] = [], crossingPoints: [String] = [], occurredAtMilliseconds: Int64? = nil,
        vesselNames: [String] = []
    ) {
        self.title = title
        self.summary = summary
        self.details = details
        self.identifiers = identifiers
        self.persons = persons
        self.crossingPoints = crossingPoints
        self.occurredAtMilliseconds = occurredAtMilliseconds
        self.vesselNames = vesselNames
    }
}

/// The walk over a parsed body that collects observables, bounded by ``BulletinObservables``'s limits.
struct ObservableReader {
    var details = String.UnicodeScalarView()
    var detailsCount = 0
    var identifiers: [ObservableIdentifier] = []
    var identifierKeys = Set<String>()
    var persons: [ObservedPerson] = []
    var crossingPoints: [String] = []
    var vesselNames: [String] = []

    /// Top-level members that are not read as text: the bulletin's id and schema version, and
    /// title and summary (kept apart).
    static let skippedTopLevelKeys: Set<String> = ["id", "schemaVersion", "title", "summary"]

    /// A title or summary: every language's value folded, in the order written.
    func foldedLocalized(_ value: JSONValue) -> String {
        var output = String.UnicodeScalarView()
        var budget = BulletinObservables.maximumTitleAndSummaryScalars
        func add(_ text: String) {
            guard budget > 0 else { return }
            let before = output.count
            SearchFolding.fold(text, into: &output, maximumScalars: budget)
            budget -= output.count - before
        }
        switch value {
        case .string(let text): add(text)
        case .object(let members): for member in members { if let text = member.value.string { add(text) } }
        default: break
        }
        return String(output)
    }

    mutating func walk(_ value: JSONValue, key: String?, depth: Int, topLevel: Bool = false) {
        guard depth <= BoundedJSON.maximumDepth else { return }
        switch value {
        case .object(let members):
            inspect(value, key: key)
            for member in members {
                if topLevel, Self.skippedTopLevelKeys.contains(member.key) { continue }
                walk(member.value, key: member.key, depth: depth + 1)
            }
        case .array(let items):
            for item in items { walk(item, key: key, depth: depth + 1) }
        case .string(let text):
            addDetail(text)
            if key == "crossingPoint" { addCrossingPoint(text) }
        default:
            break
        }
    }

    mutating func addDetail(_ text: String) {
        let remaining = BulletinObservables.maximumDetailsScalars - detailsCount
        guard remaining > 0 else { return }
        var folded = String.UnicodeScalarView()
        SearchFolding.fold(text, into: &folded, maximumScalars: remaining)
        guard !folded.isEmpty else { return }
        let separator = details.isEmpty ? 0 : 1
        let room = remaining - separator
        guard room > 0 else {
            detailsCount = BulletinObservables.maximumDetailsScalars
            return
        }
        if separator == 1 { details.append(" ") }
        let kept = folded.prefix(room)
        details.append(contentsOf: kept)
        detailsCount += separator + kept.count
    }

    mutating func addCrossingPoint(_ text: String) {
        let code = text.trimmingSpaces.uppercased()
        guard crossingPoints.count < BulletinObservables.maximumItems, (1...64).contains(code.utf8.count),
            code.utf8.allSatisfy({ ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") }),
            !crossingPoints.contains(code)
        else { return }
        crossingPoints.append(code)
    }

    mutating func addIdentifier(_ kind: IdentifierKind, _ value: JSONValue?, country: JSONValue? = nil) {
        guard let text = value?.string, identifiers.count < BulletinObservables.maximumItems,
            let identifier = ObservableIdentifier(kind: kind, value: text, country: country?.string),
            identifierKeys.insert(kind.rawValue + "\u{0}" + identifier.key).inserted
        else { return }
        identifiers.append(identifier)
    }

    /// The identifiers, persons and vessel names an object carries, by its property names
    /// (Schemas/observables.schema.json and the incident types) and by the list it is an item of.
    mutating func inspect(_ object: JSONValue, key: String?) {
        if object["documentNumber"] != nil { addIdentifier(.document, object["documentNumber"], country: object["issuingState"]) }
        addIdentifier(.vin, object["vin"])
        addIdentifier(.vin, object["chassisNumber"])  // kept only when it is a 17-character VIN
        addIdentifier(.imo, object["imoNumber"])
        addIdentifier(.mmsi, object["mmsi"])
        addIdentifier(.imei, object["imei"])
        addIdentifier(.aircraft, object["registration"])
        if object["registrationPlate"] != nil { addIdentifier(.plate, object["registrationPlate"], country: object["registrationCountry"]) }
        if let plates = object["registrationPlates"]?.array {
            for plate in plates { addIdentifier(.plate, plate["plate"], country: plate["country"] ?? object["registrationCountry"]) }
        }
        for phoneKey in ["phone", "phoneNumber"] { addIdentifier(.phone, object[phoneKey]) }
        if key == "phones" { addIdentifier(.phone, object["number"]) }

        if key == "vessels" || object["imoNumber"] != nil || object["mmsi"] != nil || object["callSign"] != nil,
            let name = object["name"]?.string
        {
            addVesselName(name)
        }

        if key == "people", let names = object["name"].map(Self.personNames), !names.isEmpty {
            let aliases = (object["aliases"]?.array ?? []).flatMap(Self.personNames)
            addPerson(names: names + aliases, in: object, nationalitiesKey: "nationalities")
        } else if let list = object["names"]?.array {
            let names = list.flatMap(Self.personNames) + (object["aliases"]?.array ?? []).flatMap(Self.personNames)
            addPerson(names: names, in: object, nationalitiesKey: "nationalities")
        }
        if let holder = object["holderName"].map(Self.personNames), !holder.isEmpty {
            addPerson(names: holder, in: nil, nationalities: object["holderNationality"].map { [$0] } ?? [])
        }
    }

    mutating func addVesselName(_ name: String) {
        let trimmed = String(name.trimmingSpaces.unicodeScalars.prefix(ObservableIdentifier.maximumWrittenLength * 2))
        guard !trimmed.isEmpty, vesselNames.count < BulletinObservables.maximumItems, !vesselNames.contains(trimmed) else { return }
        vesselNames.append(trimmed)
    }

    mutating func addPerson(names: [String], in object: JSONValue?, nationalitiesKey: String) {
        addPerson(names: names, in: object, nationalities: object?[nationalitiesKey]?.array ?? [])
    }

    mutating func addPerson(names: [String], in object: JSONValue?, nationalities: [JSONValue]) {
        var unique: [String] = []
        for name in names where !unique.contains(name) && unique.count < BulletinObservables.maximumNamesPerPerson {
            unique.append(name)
        }
        guard let first = unique.first, persons.count < BulletinObservables.maximumItems else { return }
        let birthDate = object?["birthDate"]?.string.flatMap { RFC3339.isDate($0) ? $0 : nil }
        var birthYear: Int?
        if case .number(let text) = object?["birthYear"], let year = Int(text), (1000...2999).contains(year) { birthYear = year }
        if birthYear == nil, let birthDate { birthYear = Int(birthDate.prefix(4)) }
        var codes: [String] = []
        for value in nationalities.prefix(16) {
            if let code = ObservableIdentifier.countryCode(value.string), !codes.contains(code) { codes.append(code) }
        }
        let person = ObservedPerson(name: first, aliases: Array(unique.dropFirst()), birthDate: birthDate, birthYear: birthYear, nationalities: codes)
        if !persons.contains(person) { persons.append(person) }
    }

    /// The spellings of a schema `personName` (`{"arabic": …, "latin": …}`, Arabic first) or of a
    /// plain string, trimmed, at most 256 scalars each.
    static func personNames(_ value: JSONValue) -> [String] {
        func clean(_ text: String?) -> String? {
            guard let text else { return nil }
            let trimmed = String(text.trimmingSpaces.unicodeScalars.prefix(256))
            return trimmed.isEmpty ? nil : trimmed
        }
        switch value {
        case .string(let text): return clean(text).map { [$0] } ?? []
        case .object: return [clean(value["arabic"]?.string), clean(value["latin"]?.string)].compactMap { $0 }
        default: return []
        }
    }
}
