import STIX

/// The query parameters of a TAXII objects, manifest or versions request (TAXII 2.1 §3.4):
/// `added_after`, `limit`, `next` and `match[id|type|version|spec_version]`, read strictly and
/// bounded. An unknown parameter is refused (400) rather than ignored, so that a filter a client
/// believes applied is never silently dropped.
public struct TAXIIRequestFilter: Sendable, Hashable {
    /// Which versions of an object (`match[version]`).
    public enum Version: Sendable, Hashable {
        /// The latest version this agency may receive (the default).
        case last
        /// The earliest.
        case first
        /// Every version.
        case all
        /// The version whose `modified` (or `created`) is this instant.
        case at(STIXTimestamp)
    }

    /// The most objects a page holds, and the page size when `limit` is not given.
    public static let maximumLimit = 100
    /// The most values one `match[…]` parameter takes (comma-separated, parameters repeated).
    public static let maximumMatchValues = 20
    /// The most query parameters read.
    public static let maximumParameters = 64
    /// The longest query string read.
    public static let maximumQueryLength = 4_096

    /// Only objects added strictly after this instant (`added_after`).
    public var addedAfter: STIXTimestamp?
    /// At most this many objects (1…``maximumLimit``).
    public var limit = TAXIIRequestFilter.maximumLimit
    /// The position to start from (`next`), still as text: read against ``fingerprint``.
    public var next: String?
    /// Only these ids (`match[id]`); empty: any.
    public var ids: Set<String> = []
    /// Only these types (`match[type]`); empty: any.
    public var types: Set<String> = []
    /// Which versions (`match[version]`); default `last`.
    public var versions: [Version] = [.last]
    /// Only these `spec_version`s (`match[spec_version]`); empty: the latest, which is 2.1 for every
    /// object here.
    public var specVersions: Set<String> = []

    /// A filter with the defaults.
    public init() {}

    /// The filter of the query parameters `items` (name, value: already percent-decoded).
    /// `allowed` names the parameters the endpoint takes. `added_after`, `limit` and `next` may be
    /// given once; a `match[…]` given more than once is one list (its values merged, as if
    /// comma-separated, and bounded together). Throws a 400 saying what is wrong.
    public init(items: [(name: String, value: String)], allowed: Set<String>) throws(TAXIIError) {
        guard items.count <= Self.maximumParameters else {
            throw .badRequest("too many query parameters (at most \(Self.maximumParameters)).")
        }
        var seen: Set<String> = []
        var versions: [Version] = []
        for (name, value) in items {
            guard allowed.contains(name) else {
                throw .badRequest(
                    "the parameter \(Self.quoted(name)) is not supported here; supported: \(allowed.sorted().joined(separator: ", ")).")
            }
            let single = ["added_after", "limit", "next"].contains(name)
            guard !single || seen.insert(name).inserted else { throw .badRequest("\(name) is given twice.") }
            let values = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard single || values.allSatisfy({ !$0.isEmpty }) else {
                throw .badRequest("\(name) has an empty value.")
            }
            switch name {
            case "added_after":
                guard let instant = STIXTimestamp(rfc3339: value), value.hasSuffix("Z") else {
                    throw .badRequest("added_after must be a STIX timestamp in UTC, e.g. 2025-03-14T01:40:00.000Z.")
                }
                addedAfter = instant
            case "limit":
                guard value.utf8.count <= 9, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(value),
                    number >= 1
                else { throw .badRequest("limit must be a whole number from 1 (at most \(Self.maximumLimit) are returned).") }
                limit = min(number, Self.maximumLimit)
            case "next":
                guard !value.isEmpty, value.utf8.count <= TAXIICursor.maximumTextLength else {
                    throw .badRequest("next is not a cursor this server gave.")
                }
                next = value
            case "match[id]":
                for id in values {
                    guard Self.isObjectID(id) else { throw .badRequest("match[id] \(Self.quoted(id)) is not a STIX id (type--uuid).") }
                    ids.insert(id)
                }
            case "match[type]":
                for type in values {
                    guard Self.isTypeName(type) else { throw .badRequest("match[type] \(Self.quoted(type)) is not a STIX type name.") }
                    types.insert(type)
                }
            case "match[version]":
                for text in values {
                    switch text {
                    case "last": versions.append(.last)
                    case "first": versions.append(.first)
                    case "all": versions.append(.all)
                    default:
                        guard let instant = STIXTimestamp(rfc3339: text), text.hasSuffix("Z") else {
                            throw .badRequest("match[version] takes last, first, all or a STIX timestamp, not \(Self.quoted(text)).")
                        }
                        versions.append(.at(instant))
                    }
                }
            case "match[spec_version]":
                for version in values {
                    guard version.utf8.count <= 8 else { throw .badRequest("match[spec_version] \(Self.quoted(version)) is not a version.") }
                    specVersions.insert(version)
                }
            default:
                throw .badRequest("the parameter \(Self.quoted(name)) is not supported.")
            }
        }
        guard ids.count <= Self.maximumMatchValues, types.count <= Self.maximumMatchValues,
            versions.count <= Self.maximumMatchValues, specVersions.count <= Self.maximumMatchValues
        else { throw .badRequest("at most \(Self.maximumMatchValues) values per match[…] parameter.") }
        if !versions.isEmpty { self.versions = versions }
    }

    /// Whether an object of `specVersion` passes `match[spec_version]` (none given: 2.1, the only
    /// version served).
    public func admits(specVersion: String) -> Bool {
        specVersions.isEmpty ? specVersion == "2.1" : specVersions.contains(specVersion)
    }

    /// Whether the version `version` of an object whose versions this agency may receive are
    /// `known` (sorted, oldest first, `version` among them) passes `match[version]`.
    public func admits(version: STIXTimestamp, among known: [STIXTimestamp]) -> Bool {
        versions.contains { selection in
            switch selection {
            case .all: true
            case .last: version == known.last
            case .first: version == known.first
            case .at(let instant): version == instant
            }
        }
    }

    /// A 64-bit fingerprint (FNV-1a) of everything but `limit` and `next`, with `scope` (the
    /// endpoint and collection): a cursor is accepted only by the request it was made for.
    public func fingerprint(scope: String) -> UInt64 {
        var text = scope + "\u{0}" + (addedAfter?.description ?? "")
        for set in [ids, types, specVersions] { text += "\u{0}" + set.sorted().joined(separator: ",") }
        text += "\u{0}" + versions.map { version -> String in
            switch version {
            case .last: "last"
            case .first: "first"
            case .all: "all"
            case .at(let instant): instant.description
            }
        }.joined(separator: ",")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Whether `text` is `<type>--<uuid>` (lower-case hexadecimal UUID).
    public static func isObjectID(_ text: String) -> Bool {
        guard text.utf8.count <= 300, let range = text.range(of: "--") else { return false }
        let type = String(text[..<range.lowerBound])
        let uuid = Array(text[range.upperBound...].utf8)
        guard isTypeName(type), uuid.count == 36 else { return false }
        for (index, byte) in uuid.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) else { return false }
            }
        }
        return true
    }

    /// Whether `text` is a STIX type name: 3 to 250 lower-case ASCII letters, digits and hyphens.
    public static func isTypeName(_ text: String) -> Bool {
        (3...250).contains(text.utf8.count)
            && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") }
    }

    /// `text` for a message: quoted, at most 64 characters, control characters replaced.
    static func quoted(_ text: String) -> String {
        let cut = String(text.unicodeScalars.prefix(64).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        return "\"" + cut + (text.unicodeScalars.count > 64 ? "…" : "") + "\""
    }
}
