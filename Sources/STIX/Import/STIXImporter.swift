import BulletinSchema

/// Turns a STIX 2.1 bundle (from MISP, OpenCTI, or BorderNet's own export) into bulletin drafts
/// that an officer reviews, completes and posts: a pure function of the bytes and the schemas.
/// Nothing is posted here, and nothing is dropped silently: what does not map is a note.
///
/// One draft per `report` (or MISP's `grouping`), and one per `incident` that no report refers
/// to. A report that carries the BorderNet extension is restored field for field; any other is
/// mapped as docs/STIX.md ("Import") says. Hostile input is refused whole, before any mapping:
/// size, object count and nesting are bounded (``STIXImportLimits``), duplicate member names and
/// numbers out of range are refused by the parser.
public struct STIXImporter: Sendable {
    let version: SchemaVersion
    let incidentTypes: Set<String>
    let crossingPoints: [CrossingPoint]
    let limits: STIXImportLimits

    /// An importer for the schemas of `catalog` (incident types, crossing points, version).
    public init(catalog: SchemaCatalog, limits: STIXImportLimits = STIXImportLimits()) {
        version = catalog.version
        incidentTypes = Set(catalog.incidentTypes.map(\.id))
        crossingPoints = catalog.crossingPoints
        self.limits = limits
    }

    /// Whether the schemas have the shared observables (`details.people`, … since 1.1).
    var observables: Bool { SchemaVersion(major: 1, minor: 1, patch: 0) <= version }

    /// The drafts of `bytes`, a STIX 2.1 bundle; throws when the file as a whole is refused.
    public func importBundle(_ bytes: [UInt8]) throws(STIXImportError) -> STIXImportResult {
        let index = try STIXBundleIndex(bytes: bytes, limits: limits)
        let links = Links(index)
        var used: Set<String> = []
        var explained: [STIXImportNote] = []
        var drafts: [STIXImportedDraft] = []

        let containers = index.order.filter { ["report", "grouping"].contains(index[$0]?["type"]?.stringValue) }
        var held: Set<String> = []
        for id in containers {
            guard let container = index[id] else { continue }
            let refs = Self.references(container["object_refs"])
            for ref in refs where index[ref]?["type"]?.stringValue == "incident" { held.insert(ref) }
            let incidents = refs.filter { index[$0]?["type"]?.stringValue == "incident" }
            let incident =
                incidents.first { index[$0].flatMap(Self.bordernet) != nil } ?? incidents.first
            if container["revoked"] == .bool(true),
                (incident.flatMap { index[$0] }.flatMap(Self.bordernet) ?? Self.bordernet(container))?["withdraws"] == nil
            {
                used.insert(id)
                used.formUnion(refs)
                explained.append(
                    STIXImportNote(object: id, reason: "revoked by its producer: no draft is made of it or of what it refers to"))
                continue
            }
            var builder = DraftBuilder(importer: self, index: index, links: links, source: id)
            let draft = builder.build(container: container, incidentID: incident, scope: refs)
            used.formUnion(builder.used)
            drafts.append(draft)
        }
        for id in index.order where index[id]?["type"]?.stringValue == "incident" && !held.contains(id) {
            guard let incident = index[id] else { continue }
            if incident["revoked"] == .bool(true), Self.bordernet(incident)?["withdraws"] == nil {
                used.insert(id)
                explained.append(STIXImportNote(object: id, reason: "revoked by its producer: no draft is made of it"))
                continue
            }
            var builder = DraftBuilder(importer: self, index: index, links: links, source: id)
            let draft = builder.build(container: nil, incidentID: id, scope: links.related(to: id))
            used.formUnion(builder.used)
            drafts.append(draft)
        }

        var notes = index.notes + explained
        for id in index.order where !used.contains(id) && !index.referredByEarlierVersions.contains(id) {
            let type = index[id]?["type"]?.stringValue ?? "object"
            let reason: String
            switch type {
            case "marking-definition": reason = "a marking no drafted object uses"
            case "identity", "extension-definition": reason = "referred to by no report or incident that was drafted"
            default: reason = "not referred to by any report (object_refs) nor linked to an incident: no draft holds it"
            }
            notes.append(STIXImportNote(object: id, reason: reason))
        }
        return STIXImportResult(
            drafts: drafts, notMapped: notes, objectCount: index.count, supersededVersions: index.superseded)
    }

    // MARK: - Helpers shared by the draft builder

    /// The BorderNet extension's properties on `object`, if it carries it.
    static func bordernet(_ object: [String: JSONValue]) -> [String: JSONValue]? {
        object["extensions"]?[BorderNetExtension.id]?.objectValue
    }

    /// The strings of a `…_refs` array (anything else in it is ignored by the caller's notes).
    static func references(_ value: JSONValue?) -> [String] {
        (value?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// `text` cut to `limit` characters with an ellipsis, one line, for the report.
    static func shortened(_ text: String, limit: Int = 120) -> String {
        let line = String(text.map { $0.isNewline ? " " : $0 })
        return line.count <= limit ? line : String(line.prefix(limit)) + "…"
    }

    /// A STIX time as a draft writes it: UTC, with milliseconds only when there are some.
    static func draftTime(_ time: STIXTimestamp) -> String {
        let text = time.description
        return text.hasSuffix(".000Z") ? String(text.dropLast(5)) + "Z" : text
    }

    /// The bulletin language of a STIX `lang` tag (`fr`, `fr-FR`, `ar-MA`…), if it is one.
    static func slot(_ tag: String) -> String? {
        let primary = tag.lowercased().split(separator: "-").first.map(String.init) ?? ""
        return ["ar", "fr", "en"].contains(primary) ? primary : nil
    }

    /// Whether `text` is written in Arabic script (any Arabic letter).
    static func isArabic(_ text: String) -> Bool {
        text.unicodeScalars.contains {
            (0x0600...0x06FF).contains($0.value) || (0x0750...0x077F).contains($0.value)
                || (0x08A0...0x08FF).contains($0.value) || (0xFB50...0xFDFF).contains($0.value)
                || (0xFE70...0xFEFF).contains($0.value)
        }
    }

    /// An E.164 number from how tools write phone numbers (`+216 98 123 456`, `+216-98-123-456`);
    /// `nil` when it is not unambiguously one.
    static func e164(_ text: String) -> String? {
        let kept = text.filter { !" -.()".contains($0) }
        guard kept.hasPrefix("+"), kept.count >= 8, kept.count <= 16 else { return nil }
        let digits = kept.dropFirst()
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0" else { return nil }
        return kept
    }
}

/// Which objects refer to which: language-content by the object it translates, relationships by
/// their ends. Built once per bundle so each draft finds its own in time proportional to them.
struct Links {
    private(set) var translations: [String: [String]] = [:]
    private(set) var relationships: [String: [String]] = [:]

    init(_ index: STIXBundleIndex) {
        for id in index.order {
            guard let object = index[id] else { continue }
            switch object["type"]?.stringValue {
            case "language-content":
                if let target = object["object_ref"]?.stringValue { translations[target, default: []].append(id) }
            case "relationship":
                for end in ["source_ref", "target_ref"] {
                    if let target = object[end]?.stringValue { relationships[target, default: []].append(id) }
                }
            default: break
            }
        }
    }

    /// An incident's neighbourhood when no report names one: its relationships and their other ends.
    func related(to id: String) -> [String] {
        [id] + (relationships[id] ?? [])
    }
}
