import Foundation
import Names

/// What a watch-list entry watches for (issue 18, item 4).
public enum WatchKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A person's name, matched across scripts and spellings (``NameMatcher``).
    case name
    /// A document number, with its issuing state when given (`MAR:AB123456` or `AB123456`).
    case document
    /// A registration plate, with its country when given.
    case plate
    /// A vessel: IMO number, MMSI or name.
    case vessel
    /// A phone number or IMEI.
    case phone
    /// An incident type of the schemas (`migrant-smuggling`).
    case incidentType = "incident-type"
    /// A crossing-point code.
    case crossingPoint = "crossing-point"
}

/// Why a bulletin matched a watch-list entry, and how strongly (1 for an exact identifier).
public struct WatchMatch: Sendable, Hashable {
    /// 0…1: 1 for an exact identifier, type or crossing point; the name score for a name.
    public var score: Double
    /// In English words a person reads (`"document MAR:AB123456"`, `"name 0.91 (محمد بن يوسف)"`).
    public var reason: String

    /// A match with its score and reason.
    public init(score: Double, reason: String) {
        self.score = score
        self.reason = reason
    }
}

/// Why a watch-list value is refused.
public enum WatchCriterionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The value is empty after normalisation, or too long.
    case invalidValue(kind: WatchKind, reason: String)

    public var description: String {
        switch self {
        case .invalidValue(let kind, let reason): "the \(kind.rawValue) value cannot be watched: \(reason)"
        }
    }
}


/// One thing to watch for: a kind and a value, normalised when made, with the lookup keys a
/// store finds candidate entries by and the exact test of a bulletin.
///
/// Values by kind (docs/SEARCH.md, "Watch criteria"):
/// - **name**: any text with at least one name unit in Arabic or Latin letters; matched with
///   ``NameMatcher`` against every person's name and aliases at ``NameMatcher/threshold``.
/// - **document**: `AB123456` (any issuing state) or `MAR:AB123456` (ISO 3166-1 alpha-3, as the
///   schemas' `issuingState`); the number normalised as ``ObservableIdentifier`` does.
/// - **plate**: `AB 4417 KA` (any country) or `ML:AB 4417 KA` (ISO 3166-1 alpha-2, as
///   `registrationCountry`).
/// - **vessel**: an IMO number (`IMO 9074729`, 7 digits with a valid check digit), an MMSI
///   (9 digits) or a vessel's name (matched by folded equality, or by ``NameMatcher`` at its
///   threshold).
/// - **phone**: a phone number (6–15 digits, `+` kept) or an IMEI (15 digits without `+`). A
///   number written without `+` also matches the international form that ends with it (at least
///   8 digits): `0661234567` matches `+212661234567`.
/// - **incident-type**: a slug (`migrant-smuggling`), lowercased.
/// - **crossing-point**: a code (`EG-LY-SALLOUM-MUSAID`), uppercased.
public struct WatchCriterion: Sendable, Hashable {
    /// The longest value accepted, in Unicode scalars.
    public static let maximumValueLength = 200
    /// The digits of a phone number that its lookup key keeps (the last ones).
    public static let phoneKeyDigits = 8

    /// What is watched.
    public let kind: WatchKind
    /// The value as the user gave it (trimmed).
    public let value: String
    /// The value normalised for its kind: a name folded (``SearchFolding``), an identifier's key
    /// (`MAR:AB123456`, `imo:9074729`, `mmsi:…`, `imei:…`, `+212661234567`, `vessel:<folded name>`),
    /// a slug or a code.
    public let normalizedValue: String
    /// The prepared name (kind name, or a vessel watched by name).
    let preparedName: PersonName?

    /// A criterion, refused when the value is empty, too long or not of its kind.
    public init(kind: WatchKind, value: String) throws(WatchCriterionError) {
        let trimmed = value.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= Self.maximumValueLength else {
            throw .invalidValue(kind: kind, reason: "give 1 to \(Self.maximumValueLength) characters")
        }
        self.kind = kind
        self.value = trimmed
        var prepared: PersonName?
        switch kind {
        case .name:
            let name = PersonName(trimmed)
            guard !name.units.isEmpty else {
                throw .invalidValue(kind: kind, reason: "give a person's name in Arabic or Latin letters")
            }
            prepared = name
            normalizedValue = SearchFolding.fold(trimmed)
        case .document, .plate:
            let identifierKind: IdentifierKind = kind == .document ? .document : .plate
            let (country, number) = Self.splitCountry(trimmed)
            if let country {
                let expected = kind == .document ? 3 : 2
                guard ObservableIdentifier.countryCode(country)?.utf8.count == expected else {
                    throw .invalidValue(
                        kind: kind,
                        reason: kind == .document
                            ? "write the issuing state as ISO 3166-1 alpha-3 before a colon (MAR:AB123456), or the number alone"
                            : "write the country as ISO 3166-1 alpha-2 before a colon (ML:AB 4417 KA), or the plate alone")
                }
            }
            guard let key = ObservableIdentifier.normalizedKey(kind: identifierKind, value: number, country: country) else {
                throw .invalidValue(
                    kind: kind,
                    reason: kind == .document
                        ? "a document number is 1 to \(ObservableIdentifier.maximumNumberLength) Latin letters and digits"
                        : "a plate is 1 to \(ObservableIdentifier.maximumNumberLength) letters and digits")
            }
            normalizedValue = key
        case .vessel:
            var digitsText = trimmed.uppercased()
            if digitsText.hasPrefix("IMO") { digitsText = String(digitsText.dropFirst(3)) }
            if let digits = ObservableIdentifier.digitsOnly(digitsText.trimmingSpaces, allowingSeparators: true) {
                if digits.count == 7 {
                    guard ObservableIdentifier.imoCheckDigitIsValid(digits) else {
                        throw .invalidValue(kind: kind, reason: "\(digits) is not an IMO number: its check digit is wrong")
                    }
                    normalizedValue = "imo:" + digits
                } else if digits.count == 9 {
                    normalizedValue = "mmsi:" + digits
                } else {
                    throw .invalidValue(kind: kind, reason: "give an IMO number (7 digits), an MMSI (9 digits) or the vessel's name")
                }
            } else {
                let folded = SearchFolding.fold(trimmed)
                guard !folded.isEmpty else {
                    throw .invalidValue(kind: kind, reason: "give an IMO number (7 digits), an MMSI (9 digits) or the vessel's name")
                }
                normalizedValue = "vessel:" + folded
                let name = PersonName(trimmed)
                prepared = name.units.isEmpty ? nil : name
            }
        case .phone:
            let international = trimmed.hasPrefix("+")
            if !international, let digits = ObservableIdentifier.digitsOnly(trimmed, allowingSeparators: true), digits.count == 15 {
                normalizedValue = "imei:" + digits
            } else if let key = ObservableIdentifier.phoneKey(trimmed) {
                normalizedValue = key
            } else {
                throw .invalidValue(kind: kind, reason: "give a phone number (6 to 15 digits, + for the international form) or an IMEI (15 digits)")
            }
        case .incidentType:
            let slug = trimmed.lowercased()
            guard Self.isCode(slug, lowercase: true) else {
                throw .invalidValue(kind: kind, reason: "give an incident type's slug: lowercase letters, digits and hyphens (migrant-smuggling)")
            }
            normalizedValue = slug
        case .crossingPoint:
            let code = trimmed.uppercased()
            guard Self.isCode(code, lowercase: false) else {
                throw .invalidValue(kind: kind, reason: "give a crossing-point code: letters, digits and hyphens (EG-LY-SALLOUM-MUSAID)")
            }
            normalizedValue = code
        }
        preparedName = prepared
    }

    /// Keys under which a store files this criterion; a bulletin is tested against the entries
    /// that share one of its ``BulletinObservables/watchKeys(incidentType:)``.
    ///
    /// The namespace: `name:<blocking key>` (``PersonName/blockingKeys``), `doc:<number>`,
    /// `plate:<plate>`, `imo:<7 digits>`, `mmsi:<9 digits>`, `vessel:<blocking key>` and
    /// `vname:<folded name>`, `phone:<last 8 digits>`, `imei:<15 digits>`, `type:<slug>`,
    /// `cp:<code>` (and `vin:`, `aircraft:` on the bulletin's side only).
    public var lookupKeys: Set<String> {
        switch kind {
        case .name:
            return Set((preparedName?.blockingKeys ?? []).map { "name:" + $0 })
        case .document:
            return ["doc:" + Self.numberPart(normalizedValue)]
        case .plate:
            return ["plate:" + Self.numberPart(normalizedValue)]
        case .vessel:
            if normalizedValue.hasPrefix("imo:") || normalizedValue.hasPrefix("mmsi:") { return [normalizedValue] }
            var keys: Set<String> = ["vname:" + String(normalizedValue.dropFirst("vessel:".count))]
            for key in preparedName?.blockingKeys ?? [] { keys.insert("vessel:" + key) }
            return keys
        case .phone:
            if normalizedValue.hasPrefix("imei:") { return [normalizedValue] }
            return ["phone:" + Self.phoneTail(normalizedValue)]
        case .incidentType:
            return ["type:" + normalizedValue]
        case .crossingPoint:
            return ["cp:" + normalizedValue]
        }
    }

    /// Whether a bulletin of `incidentType` with `observables` matches, and why.
    public func match(_ observables: BulletinObservables, incidentType: String, matcher: NameMatcher = NameMatcher()) -> WatchMatch? {
        switch kind {
        case .name:
            guard let preparedName else { return nil }
            var best: (score: Double, spelling: String)?
            for person in observables.persons.prefix(BulletinObservables.maximumItems) {
                for spelling in ([person.name] + person.aliases).prefix(BulletinObservables.maximumNamesPerPerson) {
                    let score = matcher.score(preparedName, PersonName(spelling))
                    if score >= NameMatcher.threshold, score > best?.score ?? 0 { best = (score, spelling) }
                }
            }
            return best.map { WatchMatch(score: $0.score, reason: "name \(PersonCorrelation.formatted($0.score)) (\($0.spelling))") }
        case .document, .plate:
            let identifierKind: IdentifierKind = kind == .document ? .document : .plate
            let wantedCountry = Self.countryPart(normalizedValue)
            let wantedNumber = Self.numberPart(normalizedValue)
            for identifier in observables.identifiers where identifier.kind == identifierKind && identifier.number == wantedNumber {
                if let wantedCountry, identifier.country != wantedCountry { continue }
                return WatchMatch(score: 1, reason: "\(kind.rawValue) \(identifier.key)")
            }
            return nil
        case .vessel:
            if normalizedValue.hasPrefix("imo:") || normalizedValue.hasPrefix("mmsi:") {
                let identifierKind: IdentifierKind = normalizedValue.hasPrefix("imo:") ? .imo : .mmsi
                let wanted = Self.numberPart(normalizedValue)
                guard observables.identifiers.contains(where: { $0.kind == identifierKind && $0.key == wanted }) else { return nil }
                return WatchMatch(score: 1, reason: "vessel \(identifierKind == .imo ? "IMO" : "MMSI") \(wanted)")
            }
            let wantedName = String(normalizedValue.dropFirst("vessel:".count))
            var best: (score: Double, name: String)?
            for name in observables.vesselNames.prefix(BulletinObservables.maximumItems) {
                if SearchFolding.fold(name) == wantedName { return WatchMatch(score: 1, reason: "vessel \(name)") }
                guard let preparedName else { continue }
                let score = matcher.score(preparedName, PersonName(name))
                if score >= NameMatcher.threshold, score > best?.score ?? 0 { best = (score, name) }
            }
            return best.map { WatchMatch(score: $0.score, reason: "vessel name \(PersonCorrelation.formatted($0.score)) (\($0.name))") }
        case .phone:
            if normalizedValue.hasPrefix("imei:") {
                let wanted = Self.numberPart(normalizedValue)
                guard observables.identifiers.contains(where: { $0.kind == .imei && $0.key == wanted }) else { return nil }
                return WatchMatch(score: 1, reason: "IMEI \(wanted)")
            }
            for identifier in observables.identifiers where identifier.kind == .phone {
                if Self.phonesMatch(normalizedValue, identifier.key) { return WatchMatch(score: 1, reason: "phone \(identifier.key)") }
            }
            return nil
        case .incidentType:
            guard incidentType.lowercased() == normalizedValue else { return nil }
            return WatchMatch(score: 1, reason: "incident type \(normalizedValue)")
        case .crossingPoint:
            guard observables.crossingPoints.contains(normalizedValue) else { return nil }
            return WatchMatch(score: 1, reason: "crossing point \(normalizedValue)")
        }
    }

    /// Whether two phone keys name one number: equal, or one written without `+` is the end of
    /// the other and has at least ``phoneKeyDigits`` digits.
    static func phonesMatch(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let aInternational = a.hasPrefix("+")
        let bInternational = b.hasPrefix("+")
        if aInternational && bInternational { return false }
        var digitsA = aInternational ? String(a.dropFirst()) : a
        var digitsB = bInternational ? String(b.dropFirst()) : b
        // A national trunk prefix 0 is not part of the international form.
        if !aInternational, digitsA.hasPrefix("0") { digitsA.removeFirst() }
        if !bInternational, digitsB.hasPrefix("0") { digitsB.removeFirst() }
        let shorter = digitsA.count <= digitsB.count ? digitsA : digitsB
        let longer = digitsA.count <= digitsB.count ? digitsB : digitsA
        return shorter.count >= phoneKeyDigits && longer.hasSuffix(shorter)
    }

    /// The last ``phoneKeyDigits`` digits of a phone key (all of them when fewer).
    static func phoneTail(_ key: String) -> String {
        String(key.filter(\.isASCII).filter { $0 != "+" }.suffix(phoneKeyDigits))
    }

    /// `MAR:AB123456` → (`MAR`, `AB123456`); a value without a colon has no country.
    static func splitCountry(_ text: String) -> (country: String?, number: String) {
        guard let colon = text.firstIndex(of: ":") else { return (nil, text) }
        return (String(text[..<colon]).trimmingSpaces, String(text[text.index(after: colon)...]))
    }

    static func numberPart(_ key: String) -> String {
        guard let colon = key.firstIndex(of: ":") else { return key }
        return String(key[key.index(after: colon)...])
    }

    static func countryPart(_ key: String) -> String? {
        guard let colon = key.firstIndex(of: ":") else { return nil }
        return String(key[..<colon])
    }

    /// A slug or code: 1–64 ASCII letters (of one case), digits and single hyphens between them.
    static func isCode(_ text: String, lowercase: Bool) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else { return false }
        var previousHyphen = false
        for byte in bytes {
            let letter = lowercase ? (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) : (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if byte == UInt8(ascii: "-") {
                if previousHyphen { return false }
                previousHyphen = true
            } else if letter || digit {
                previousHyphen = false
            } else {
                return false
            }
        }
        return true
    }
}

extension BulletinObservables {
    /// The keys a bulletin is looked up under to find candidate watch-list entries (the same
    /// namespace as ``WatchCriterion/lookupKeys``).
    public func watchKeys(incidentType: String) -> Set<String> {
        var keys = Set<String>()
        let type = incidentType.lowercased()
        if WatchCriterion.isCode(type, lowercase: true) { keys.insert("type:" + type) }
        for code in crossingPoints { keys.insert("cp:" + code) }
        for identifier in identifiers {
            switch identifier.kind {
            case .document: keys.insert("doc:" + identifier.number)
            case .plate: keys.insert("plate:" + identifier.number)
            case .imo: keys.insert("imo:" + identifier.key)
            case .mmsi: keys.insert("mmsi:" + identifier.key)
            case .imei: keys.insert("imei:" + identifier.key)
            case .phone: keys.insert("phone:" + WatchCriterion.phoneTail(identifier.key))
            case .vin: keys.insert("vin:" + identifier.key)
            case .aircraft: keys.insert("aircraft:" + identifier.key)
            }
        }
        for person in persons {
            for spelling in ([person.name] + person.aliases).prefix(BulletinObservables.maximumNamesPerPerson) {
                for key in PersonName(spelling).blockingKeys { keys.insert("name:" + key) }
            }
        }
        for name in vesselNames {
            keys.insert("vname:" + SearchFolding.fold(name))
            for key in PersonName(name).blockingKeys { keys.insert("vessel:" + key) }
        }
        return keys
    }
}
