import BulletinSchema

/// The making of one draft: what it holds, which objects and properties it used, what it leaves.
struct DraftBuilder {
    let importer: STIXImporter
    let index: STIXBundleIndex
    let links: Links
    let source: String

    /// Objects this draft used (or explained in its notes).
    private(set) var used: Set<String> = []
    private var members: [String: JSONValue] = [:]
    private var mapped: [String] = []
    private var toComplete: [String] = []
    private var notes: [STIXImportNote] = []
    /// Properties read, by object id: the others are listed as not mapped.
    private var read: [String: Set<String>] = [:]
    /// Why a property is not carried, when there is more to say than "no bulletin field".
    private var reasons: [String: [String: String]] = [:]

    init(importer: STIXImporter, index: STIXBundleIndex, links: Links, source: String) {
        self.importer = importer
        self.index = index
        self.links = links
        self.source = source
    }

    /// Properties every object has, or that the import reads for every object it uses.
    static let bookkeeping: Set<String> = [
        "type", "id", "spec_version", "created", "modified", "created_by_ref", "object_marking_refs", "lang",
        "revoked",
    ]

    mutating func build(container: [String: JSONValue]?, incidentID: String?, scope given: [String])
        -> STIXImportedDraft
    {
        let incident = incidentID.flatMap { index[$0] }
        var scope: [String] = []
        var seen: Set<String> = []
        for id in given where seen.insert(id).inserted { scope.append(id) }
        if container == nil, let incidentID {
            // An incident alone: the other ends of its relationships are its objects.
            for id in given where index[id]?["type"]?.stringValue == "relationship" {
                for end in ["source_ref", "target_ref"] {
                    if let other = index[id]?[end]?.stringValue, other != incidentID, seen.insert(other).inserted {
                        scope.append(other)
                    }
                }
            }
        }
        used.insert(source)
        if let incidentID { used.insert(incidentID) }
        if let container {
            for ref in (container["object_refs"]?.arrayValue ?? []) {
                guard let id = ref.stringValue else {
                    note(source, "object_refs", "an element that is not an id is ignored")
                    continue
                }
                if index[id] == nil { note(source, "object_refs", "refers to \(id), which is not in the bundle") }
            }
            mark(source, ["object_refs", "published"])
        }

        texts(container: container, incident: incident, incidentID: incidentID)
        let bordernet = incident.flatMap(STIXImporter.bordernet) ?? container.flatMap(STIXImporter.bordernet)
        if let bordernet {
            restore(bordernet, incident: incident, scope: scope)
        } else {
            members["schemaVersion"] = .string(importer.version.description)
            mapped.append("schemaVersion ← the schemas in use (\(importer.version))")
            generic(container: container, incident: incident, incidentID: incidentID, scope: scope)
        }
        marking(container: container, incident: incident, restored: bordernet?["tlp"]?.stringValue)
        creators(scope: scope + [source] + (incidentID.map { [$0] } ?? []))
        unread(scope: scope + [source] + (incidentID.map { [$0] } ?? []))

        let name = (container ?? incident)?["name"]?.stringValue
        return STIXImportedDraft(
            sourceID: source, sourceName: name.map { STIXImporter.shortened($0) },
            fileName: STIXIdentifier.uuid5(namespace: STIXIdentifier.namespace, name: "import/\(source)") + ".json",
            members: members, mapped: mapped, toComplete: toComplete, notMapped: notes)
    }

    // MARK: - Bookkeeping

    private mutating func mark(_ id: String, _ properties: [String]) {
        read[id, default: []].formUnion(properties)
    }

    private mutating func note(_ id: String, _ property: String? = nil, _ reason: String) {
        notes.append(STIXImportNote(object: id, property: property, reason: reason))
    }

    private mutating func note(_ id: String, reason: String) {
        notes.append(STIXImportNote(object: id, reason: reason))
    }

    private mutating func because(_ id: String, _ property: String, _ reason: String) {
        reasons[id, default: [:]][property] = reason
    }

    /// Lists the properties of the objects used that nothing read.
    private mutating func unread(scope: [String]) {
        var done: Set<String> = []
        for id in scope where read[id] != nil && done.insert(id).inserted {
            guard let object = index[id] else { continue }
            for property in object.keys.sorted()
            where !Self.bookkeeping.contains(property) && !read[id, default: []].contains(property) {
                if property == "extensions", let extensions = object["extensions"]?.objectValue {
                    for name in extensions.keys.sorted() where name != BorderNetExtension.id {
                        note(id, "extensions.\(name)", "an extension BorderNet does not read: not carried")
                    }
                    continue
                }
                note(id, property, reasons[id]?[property] ?? "no bulletin field holds it: not carried")
            }
        }
    }

    // MARK: - Title and summary

    private mutating func texts(container: [String: JSONValue]?, incident: [String: JSONValue]?, incidentID: String?) {
        var title: [String: String] = [:]
        var summary: [String: String] = [:]
        func take(_ object: [String: JSONValue], _ id: String, _ what: String, into builder: inout DraftBuilder) {
            let tag = object["lang"]?.stringValue ?? "en"
            for (property, field) in [("name", "title"), ("description", "summary")] {
                guard let text = object[property]?.stringValue, !text.isEmpty else { continue }
                builder.mark(id, [property])
                guard let slot = STIXImporter.slot(tag) else {
                    builder.note(
                        id, property, "written in \"\(tag)\"; a bulletin is written in ar, fr or en: translate it")
                    continue
                }
                if field == "title", title[slot] == nil {
                    title[slot] = text
                    builder.mapped.append("title.\(slot) ← \(what) name")
                } else if field == "summary", summary[slot] == nil {
                    summary[slot] = text
                    builder.mapped.append("summary.\(slot) ← \(what) description")
                }
            }
            for translation in builder.links.translations[id] ?? [] {
                guard let content = builder.index[translation] else { continue }
                builder.used.insert(translation)
                // A translation of another version of the object is not this version's text.
                if let version = content["object_modified"]?.stringValue,
                    let modified = object["modified"]?.stringValue,
                    STIXTimestamp(rfc3339: version) != STIXTimestamp(rfc3339: modified)
                {
                    builder.mapped.append(
                        "left out: \(translation), the translation of an earlier version (\(version))")
                    continue
                }
                builder.mark(translation, ["object_ref", "object_modified", "contents"])
                for (language, value) in (content["contents"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                    guard let slot = STIXImporter.slot(language) else {
                        builder.note(
                            translation, "contents.\(language)", "a bulletin is written in ar, fr or en: translate it")
                        continue
                    }
                    if let text = value["name"]?.stringValue, !text.isEmpty, title[slot] == nil {
                        title[slot] = text
                        builder.mapped.append("title.\(slot) ← \(what) language-content")
                    }
                    if let text = value["description"]?.stringValue, !text.isEmpty, summary[slot] == nil {
                        summary[slot] = text
                        builder.mapped.append("summary.\(slot) ← \(what) language-content")
                    }
                }
            }
        }
        if let container { take(container, source, container["type"]?.stringValue ?? "report", into: &self) }
        if let incident, let incidentID { take(incident, incidentID, "incident", into: &self) }
        if !title.isEmpty { members["title"] = .object(title.mapValues { .string($0) }) }
        if !summary.isEmpty { members["summary"] = .object(summary.mapValues { .string($0) }) }
        if title.isEmpty { toComplete.append("title: the source gives no name in ar, fr or en; write one") }
        if summary.isEmpty { toComplete.append("summary: the source gives no description in ar, fr or en; write one") }
    }

    // MARK: - TLP

    private mutating func marking(container: [String: JSONValue]?, incident: [String: JSONValue]?, restored: String?) {
        var found: [TLPMarking] = []
        let holder = container ?? incident
        let holderID = container != nil ? source : (incident?["id"]?.stringValue ?? source)
        for ref in STIXImporter.references(holder?["object_marking_refs"]) {
            let definition = index[ref]
            if definition != nil { used.insert(ref) }
            if let tlp = STIXMarkingReader.tlp(id: ref, definition: definition) {
                found.append(tlp)
            } else {
                note(
                    holderID, "object_marking_refs",
                    "the marking \(STIXMarkingReader.describe(id: ref, definition: definition)) is not TLP: review it, a bulletin carries only TLP and its handling codes"
                )
            }
        }
        if holder?["granular_markings"] != nil {
            note(
                holderID, "granular_markings", "markings of parts of the object: the draft's TLP covers it all; review")
            mark(holderID, ["granular_markings"])
        }
        let strictest = found.max { STIXMarkingReader.rank($0) < STIXMarkingReader.rank($1) }
        if Set(found).count > 1, let strictest {
            mapped.append(
                "tlp ← TLP:\(strictest.rawValue), the strictest of its markings (\(Set(found).map(\.rawValue).sorted().joined(separator: ", ")))"
            )
        }
        var tlp = strictest
        if let restored, let extensionTLP = TLPMarking(bulletinValue: restored) {
            if let marked = tlp, marked != extensionTLP {
                let stricter =
                    STIXMarkingReader.rank(marked) > STIXMarkingReader.rank(extensionTLP) ? marked : extensionTLP
                toComplete.append(
                    "tlp: the marking says TLP:\(marked.rawValue) and the BorderNet extension TLP:\(extensionTLP.rawValue); the stricter, TLP:\(stricter.rawValue), is in the draft: check it"
                )
                tlp = stricter
            } else {
                tlp = extensionTLP
            }
        }
        if let tlp {
            members["tlp"] = .string(tlp.rawValue)
            if Set(found).count <= 1 { mapped.append("tlp ← TLP:\(tlp.rawValue)") }
        } else {
            toComplete.append(
                "tlp: the source has no TLP marking BorderNet reads; the draft has none: choose CLEAR, GREEN, AMBER, AMBER+STRICT or RED"
            )
        }
    }

    // MARK: - Creators

    /// The identities that made the objects: the source's producer, named, not an observable.
    private mutating func creators(scope: [String]) {
        var names: [String] = []
        for id in scope {
            guard let creator = index[id]?["created_by_ref"]?.stringValue else { continue }
            guard let identity = index[creator], !used.contains(creator) || read[creator] == nil else { continue }
            if used.insert(creator).inserted || !names.contains(identity["name"]?.stringValue ?? creator) {
                let name = identity["name"]?.stringValue ?? creator
                if !names.contains(name) { names.append(name) }
            }
        }
        if !names.isEmpty {
            mapped.append(
                "source (created_by_ref, not a party to the incident): \(names.map { STIXImporter.shortened($0, limit: 60) }.joined(separator: ", "))"
            )
        }
    }

    // MARK: - BorderNet's own bundles

    /// A report BorderNet exported: its fields are in the extension, its details too.
    private mutating func restore(_ properties: [String: JSONValue], incident: [String: JSONValue]?, scope: [String]) {
        // Every object of the report is one the extension's details already hold; the report's
        // and incident's own STIX properties are made from the extension's fields.
        for id in scope { used.insert(id) }
        used.formUnion([BorderNetExtension.id, BorderNetExtension.creatorID])
        attachments(properties, scope: scope)
        let derived = ["confidence", "external_references", "labels", "report_types", "extensions"]
        mark(source, derived)
        if let id = incident?["id"]?.stringValue { mark(id, derived) }
        if let bulletin = properties["bulletin_id"]?.stringValue {
            mapped.append("restored from the BorderNet extension of bulletin \(bulletin)")
        }
        for (property, member) in [
            ("schema_version", "schemaVersion"), ("incident_type", "incidentType"), ("severity", "severity"),
            ("working_group", "workingGroup"), ("report_kind", "reportKind"),
            ("source_reliability", "sourceReliability"), ("reporting_agency", "reportingAgency"),
            ("corrects", "corrects"), ("withdraws", "withdraws"),
        ] {
            if let value = properties[property]?.stringValue { members[member] = .string(value) }
        }
        if case .integer? = properties["information_credibility"] {
            members["informationCredibility"] = properties["information_credibility"]
        }
        for (property, member) in [("handling", "handling"), ("related_bulletins", "relatedBulletins")] {
            if let value = properties[property], case .array = value { members[member] = value }
        }
        for (property, member) in [
            ("occurred_at", "occurredAt"), ("reported_at", "reportedAt"), ("valid_until", "validUntil"),
        ] {
            if let text = properties[property]?.stringValue, let time = STIXTimestamp(rfc3339: text) {
                members[member] = .string(STIXImporter.draftTime(time))
            }
        }
        if let details = properties["details"], case .object = details { members["details"] = details }
        if members["schemaVersion"] == nil { members["schemaVersion"] = .string(importer.version.description) }

        if let location = properties["location"], case .object = location {
            members["location"] = location
            return
        }
        // The bulletin's location is the location object of `<base>/location`.
        let bases = [properties["corrects"], properties["withdraws"], properties["bulletin_id"]].compactMap {
            $0?.stringValue
        }
        for base in bases {
            guard let object = index[STIXIdentifier.make(type: "location", name: "\(base)/location")] else { continue }
            var location: [String: JSONValue] = [:]
            if let country = object["country"]?.stringValue { location["country"] = .string(country) }
            if let region = object["administrative_area"]?.stringValue { location["region"] = .string(region) }
            if let position = Self.position(object) { location["position"] = .object(position) }
            let crossing = index[
                STIXIdentifier.make(type: "relationship", name: "\(base)/relationship/incident/crossing-point")
            ]
            .flatMap { $0["target_ref"]?.stringValue }.flatMap { index[$0] }.flatMap(Self.crossingCode)
            if let crossing { location["crossingPoint"] = .string(crossing) }
            // The export names the location after the crossing, else the region, else the
            // country; a name equal to the region is the crossing's only when a crossing point is
            // named too (docs/STIX.md, "Import").
            if let name = object["name"]?.stringValue,
                name != location["country"]?.stringValue,
                name != location["region"]?.stringValue || crossing != nil
            {
                location["borderCrossingPoint"] = .string(name)
            }
            members["location"] = .object(location)
            return
        }
        toComplete.append(
            "location: the BorderNet bundle holds no location for this bulletin; give its country at least")
    }

    /// Lists what a BorderNet bundle says of the bulletin's attachments, which the extension does
    /// not hold and a draft cannot: a file is attached again when the draft is posted. The files'
    /// `artifact`s, the attachments' `note`s (`<base>/attachment/<n>`) and their translations.
    private mutating func attachments(_ properties: [String: JSONValue], scope: [String]) {
        let bases = [properties["corrects"], properties["withdraws"], properties["bulletin_id"]].compactMap {
            $0?.stringValue
        }
        var notes: Set<String> = []
        for base in bases {
            for place in 0..<Self.maximumAttachments {
                notes.insert(STIXIdentifier.make(type: "note", name: "\(base)/attachment/\(place)"))
            }
        }
        let reason = "a file attached to the bulletin: a draft holds no file; attach it again when posting"
        for id in scope {
            if index[id]?["type"]?.stringValue == "artifact" {
                note(id, reason: "\(reason) (SHA-256 \(index[id]?["hashes"]?["SHA-256"]?.stringValue ?? "not given"))")
            } else if notes.contains(id) {
                note(id, reason: "what the bundle says of \(reason)")
            }
        }
        for id in index.order where !used.contains(id) && index[id]?["type"]?.stringValue == "language-content" {
            guard let target = index[id]?["object_ref"]?.stringValue, notes.contains(target), scope.contains(target)
            else { continue }
            used.insert(id)
            note(id, reason: "the caption of \(reason), in other languages")
        }
    }

    /// The most attachments a bulletin lists (bulletin.schema.json, `attachments.maxItems`).
    static let maximumAttachments = 16

    // MARK: - Any other producer

    private mutating func generic(
        container: [String: JSONValue]?, incident: [String: JSONValue]?, incidentID: String?, scope: [String]
    ) {
        // Times.
        func time(_ object: [String: JSONValue]?, _ id: String?, _ property: String) -> STIXTimestamp? {
            guard let object, let id, let value = object[property] else { return nil }
            mark(id, [property])
            guard let text = value.stringValue, let time = STIXTimestamp(rfc3339: text) else {
                note(id, property, "not a STIX time: not read")
                return nil
            }
            return time
        }
        let containerID: String? = container == nil ? nil : source
        let firstSeen = time(incident, incidentID, "first_seen")
        let published = time(container, containerID, "published")
        let created = time(container, containerID, "created") ?? time(incident, incidentID, "created")
        if let occurred = firstSeen ?? published ?? created {
            members["occurredAt"] = .string(STIXImporter.draftTime(occurred))
            mapped.append(
                "occurredAt ← \(firstSeen != nil ? "incident first_seen" : published != nil ? "report published" : "created") (UTC); check it is when it happened"
            )
        } else {
            toComplete.append("occurredAt: the source gives no time; write when it happened")
        }
        if let reported = published ?? created {
            members["reportedAt"] = .string(STIXImporter.draftTime(reported))
            mapped.append("reportedAt ← \(published != nil ? "report published" : "created") (UTC)")
        } else {
            toComplete.append("reportedAt: the source gives no time; write when it is reported")
        }
        if let incident, let incidentID, incident["last_seen"] != nil {
            mark(incidentID, ["last_seen"])
            because(incidentID, "last_seen", "a bulletin has one time of the incident (occurredAt)")
            note(incidentID, "last_seen", "a bulletin has one time of the incident (occurredAt): not carried")
        }

        incidentType(container: container, incident: incident, incidentID: incidentID)
        grading(container: container, incident: incident, incidentID: incidentID)
        var details: [String: [JSONValue]] = [:]
        place(scope: scope, details: &details)
        parties(scope: scope, details: &details)
        others(scope: scope, incidentID: incidentID, details: &details)
        members["details"] = .object(details.mapValues { .array($0) })
        if !details.isEmpty {
            mapped.append(
                "details ← " + details.keys.sorted().map { "\($0) \(details[$0]?.count ?? 0)" }.joined(separator: ", ")
            )
        }
        toComplete.append("details: the incident type's own fields (the schemas say which are required)")
        for field in ["sourceReliability", "workingGroup"] where members[field] == nil {
            toComplete.append("\(field): STIX has no such property; choose it")
        }
    }

    private mutating func incidentType(
        container: [String: JSONValue]?, incident: [String: JSONValue]?, incidentID: String?
    ) {
        var candidates: [String] = []
        var where_: [String] = []
        func collect(_ object: [String: JSONValue]?, _ id: String?, _ properties: [String]) {
            guard let object, let id else { return }
            for property in properties {
                let values =
                    object[property]?.arrayValue?.compactMap(\.stringValue) ?? object[property]?.stringValue.map {
                        [$0]
                    } ?? []
                guard !values.isEmpty else { continue }
                mark(id, [property])
                candidates += values
                let others = values.filter { !importer.incidentTypes.contains($0.lowercased()) }
                if !others.isEmpty {
                    note(
                        id, property,
                        "not incident types, not carried: \(others.prefix(10).map { STIXImporter.shortened($0, limit: 60) }.joined(separator: ", "))\(others.count > 10 ? "…" : "")"
                    )
                }
                where_.append(property)
            }
        }
        collect(container, container == nil ? nil : source, ["labels", "report_types"])
        collect(incident, incidentID, ["labels", "incident_type"])
        let matches = Array(Set(candidates.map { $0.lowercased() }).intersection(importer.incidentTypes)).sorted()
        if matches.count == 1 {
            members["incidentType"] = .string(matches[0])
            mapped.append("incidentType ← \(matches[0]) (a label that is one of the schema's incident types)")
        } else if matches.isEmpty {
            toComplete.append(
                "incidentType: no label is one of the schema's incident types; choose one (`bordernet schema list`)")
        } else {
            toComplete.append(
                "incidentType: several labels are incident types (\(matches.joined(separator: ", "))); choose one")
        }
    }

    private mutating func grading(container: [String: JSONValue]?, incident: [String: JSONValue]?, incidentID: String?)
    {
        if let incident, let incidentID, let severity = incident["severity"]?.stringValue {
            mark(incidentID, ["severity"])
            if ["low", "medium", "high", "critical"].contains(severity.lowercased()) {
                members["severity"] = .string(severity.lowercased())
                mapped.append("severity ← incident severity")
            } else {
                note(
                    incidentID, "severity",
                    "\"\(STIXImporter.shortened(severity, limit: 40))\" is not low, medium, high or critical")
            }
        }
        if members["severity"] == nil { toComplete.append("severity: choose low, medium, high or critical") }
        let holder: (object: [String: JSONValue], id: String)? =
            container.map { ($0, source) } ?? incident.flatMap { object in incidentID.map { (object, $0) } }
        if let holder, let value = holder.object["confidence"] {
            mark(holder.id, ["confidence"])
            if case .integer(let confidence) = value, (0...100).contains(confidence) {
                // STIX 2.1 Appendix A, the Admiralty credibility scale, read back.
                let credibility: Int64 =
                    confidence >= 80 ? 1 : confidence >= 60 ? 2 : confidence >= 40 ? 3 : confidence >= 20 ? 4 : 5
                members["informationCredibility"] = .integer(credibility)
                mapped.append(
                    "informationCredibility ← \(credibility) from confidence \(confidence) (STIX 2.1 Appendix A)")
            } else {
                note(holder.id, "confidence", "not an integer from 0 to 100: not read")
            }
        }
        if members["informationCredibility"] == nil {
            toComplete.append(
                "informationCredibility: the source gives no confidence; choose 1–6 (6: cannot be judged)")
        }
    }

    // MARK: Locations

    private mutating func place(scope: [String], details: inout [String: [JSONValue]]) {
        let locations = scope.filter { index[$0]?["type"]?.stringValue == "location" }
        var primary: String?
        for id in locations where primary == nil {
            if let country = index[id]?["country"]?.stringValue, Self.countryCode(country) != nil { primary = id }
        }
        if primary == nil { primary = locations.first { index[$0].flatMap(Self.position) != nil } }
        for id in locations {
            guard let object = index[id] else { continue }
            used.insert(id)
            var place: [String: JSONValue] = [:]
            mark(id, ["name"])
            if let text = object["country"]?.stringValue {
                mark(id, ["country"])
                if let code = Self.countryCode(text) {
                    place["country"] = .string(code)
                } else {
                    note(
                        id, "country",
                        "\"\(STIXImporter.shortened(text, limit: 40))\" is not an ISO 3166-1 alpha-2 code")
                }
            }
            if let region = object["administrative_area"]?.stringValue {
                mark(id, ["administrative_area"])
                place["region"] = .string(region)
            }
            if let position = Self.position(object) {
                mark(id, ["latitude", "longitude", "precision"])
                place["position"] = .object(position)
            }
            because(id, "region", "a world region (STIX region-ov), not the bulletin's administrative region")
            let crossing = crossingPoint(object)
            if let crossing {
                place["crossingPoint"] = .string(crossing.code)
                mark(id, ["external_references"])
            }
            let name = object["name"]?.stringValue
            if id == primary {
                var location = place
                if let crossing {
                    location["borderCrossingPoint"] = .string(name ?? crossing.names.en)
                    mapped.append("location.crossingPoint ← \(crossing.code) (matched in the crossing-point list)")
                } else if let name, name != place["country"]?.stringValue, name != place["region"]?.stringValue {
                    note(
                        id, "name",
                        "\"\(STIXImporter.shortened(name, limit: 60))\" is not a crossing point of the list; a bulletin's location has no place name: add it to the summary if it matters"
                    )
                }
                members["location"] = .object(location)
                mapped.append("location ← \(location.keys.sorted().joined(separator: ", ")) of \(id)")
                if location["country"] == nil {
                    toComplete.append(
                        "location.country: \(crossing.map { "the crossing point is between \($0.states.joined(separator: " and "))" } ?? "the source gives none"); choose it"
                    )
                }
            } else if importer.observables {
                if let name { place["name"] = .string(name) }
                details["places", default: []].append(.object(place))
            } else {
                note(id, reason: "a further place: the schemas in use (\(importer.version)) have no details.places")
            }
        }
        if primary == nil {
            toComplete.append(
                "location: the source has no location with a country or coordinates; give the country at least")
        }
    }

    /// A crossing point of the list: by its code in `external_references`
    /// (`bordernet-crossing-points`), else by its name in any of its three languages or its code.
    private func crossingPoint(_ object: [String: JSONValue]) -> CrossingPoint? {
        if let code = Self.crossingCode(object), let point = importer.crossingPoints.first(where: { $0.code == code }) {
            return point
        }
        guard let name = object["name"]?.stringValue?.lowercased() else { return nil }
        let matches = importer.crossingPoints.filter {
            [$0.code, $0.names.en, $0.names.fr, $0.names.ar].map { $0.lowercased() }.contains(name)
        }
        return matches.count == 1 ? matches[0] : nil
    }

    static func crossingCode(_ object: [String: JSONValue]) -> String? {
        for reference in object["external_references"]?.arrayValue ?? [] {
            if reference["source_name"]?.stringValue == "bordernet-crossing-points",
                let code = reference["external_id"]?.stringValue
            {
                return code
            }
        }
        return nil
    }

    static func countryCode(_ text: String) -> String? {
        guard text.count == 2, text.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return text.uppercased()
    }

    /// `latitude`, `longitude` (in range) and `precision` (metres) as a bulletin's `position`.
    static func position(_ object: [String: JSONValue]) -> [String: JSONValue]? {
        guard let latitude = object["latitude"]?.numberValue, let longitude = object["longitude"]?.numberValue,
            (-90...90).contains(latitude), (-180...180).contains(longitude)
        else { return nil }
        var position: [String: JSONValue] = ["latitude": .decimal(latitude), "longitude": .decimal(longitude)]
        if let precision = object["precision"]?.numberValue, precision >= 0, precision <= 20_000_000 {
            position["precisionMetres"] = .integer(Int64(precision.rounded(.up)))
        }
        return position
    }

    // MARK: People and organisations

    private mutating func parties(scope: [String], details: inout [String: [JSONValue]]) {
        let creators = Set(
            scope.compactMap { index[$0]?["created_by_ref"]?.stringValue }
                + [index[source]?["created_by_ref"]?.stringValue].compactMap { $0 })
        let personRoles: Set<String> = [
            "suspect", "victim", "smuggled-person", "courier", "organiser", "facilitator", "driver", "crew-member",
            "recruiter", "financier", "foreign-terrorist-fighter", "wanted-person", "witness", "other",
        ]
        for id in scope {
            guard let object = index[id], let type = object["type"]?.stringValue,
                ["identity", "threat-actor"].contains(type)
            else { continue }
            guard !creators.contains(id) else { continue }
            used.insert(id)
            guard importer.observables else {
                note(
                    id,
                    reason:
                        "a person or organisation: the schemas in use (\(importer.version)) have no details.people or details.organisations"
                )
                continue
            }
            guard let name = object["name"]?.stringValue, !name.isEmpty else {
                note(id, reason: "no name: a person or organisation of a bulletin needs one")
                continue
            }
            mark(id, ["name"])
            let individual: Bool
            if type == "identity" {
                mark(id, ["identity_class"])
                switch object["identity_class"]?.stringValue {
                case "individual": individual = true
                case "organization", "group": individual = false
                default:
                    note(
                        id,
                        reason:
                            "an identity of class \(object["identity_class"]?.stringValue ?? "none"): not a person or organisation of a bulletin"
                    )
                    continue
                }
            } else {
                mark(id, ["resource_level", "x_opencti_type"])
                individual =
                    object["resource_level"]?.stringValue == "individual"
                    || object["x_opencti_type"]?.stringValue == "Threat-Actor-Individual"
            }
            let aliases = (object["aliases"]?.arrayValue ?? []).compactMap(\.stringValue).prefix(20)
            if !aliases.isEmpty { mark(id, ["aliases"]) }
            if individual {
                var person: [String: JSONValue] = [
                    "name": .object([STIXImporter.isArabic(name) ? "arabic" : "latin": .string(name)])
                ]
                if !aliases.isEmpty {
                    person["aliases"] = .array(
                        aliases.map { .object([STIXImporter.isArabic($0) ? "arabic" : "latin": .string($0)]) })
                }
                let roles = (object["roles"]?.arrayValue ?? []).compactMap(\.stringValue)
                if let role = roles.first(where: { personRoles.contains($0) }) {
                    person["role"] = .string(role)
                    mark(id, ["roles"])
                } else if type == "threat-actor" {
                    person["role"] = .string("suspect")
                    mapped.append(
                        "a threat actor (\(STIXImporter.shortened(name, limit: 40))) is a person with role suspect: check the role"
                    )
                }
                if let description = object["description"]?.stringValue {
                    person["description"] = .string(description)
                    mark(id, ["description"])
                }
                details["people", default: []].append(.object(person))
            } else {
                var organisation: [String: JSONValue] = ["name": .string(name)]
                if !aliases.isEmpty {
                    organisation["aliases"] = .array(Array(Set(aliases)).sorted().map { .string($0) })
                }
                let types = (object["threat_actor_types"]?.arrayValue ?? []).compactMap(\.stringValue)
                if types.contains("crime-syndicate") {
                    organisation["kind"] = .string("criminal-organisation")
                } else if types.contains("terrorist") {
                    organisation["kind"] = .string("terrorist-group")
                }
                if organisation["kind"] != nil { mark(id, ["threat_actor_types"]) }
                details["organisations", default: []].append(.object(organisation))
            }
        }
    }

    // MARK: Indicators, observables and the rest

    private mutating func others(scope: [String], incidentID: String?, details: inout [String: [JSONValue]]) {
        for id in scope {
            guard let object = index[id], let type = object["type"]?.stringValue else { continue }
            switch type {
            case "location", "identity", "threat-actor", "incident", "language-content", "marking-definition":
                continue
            case "phone-number", "x-misp-attribute":
                let value = type == "phone-number" ? object["value"]?.stringValue : object["x_misp_value"]?.stringValue
                guard type == "phone-number" || object["x_misp_type"]?.stringValue == "phone-number" else {
                    fallthrough
                }
                used.insert(id)
                phone(value, from: id, what: type, details: &details)
            case "indicator":
                used.insert(id)
                let pattern = object["pattern"]?.stringValue ?? ""
                if let value = Self.phonePattern(pattern) {
                    phone(value, from: id, what: "indicator pattern", details: &details)
                } else {
                    note(
                        id,
                        reason:
                            "indicator, pattern \(STIXImporter.shortened(pattern)): a detection pattern is no bulletin field; not mapped"
                    )
                }
            case "artifact":
                used.insert(id)
                note(id, reason: "a file (artifact): a draft holds no file; attach it again when posting; not mapped")
            case "relationship":
                used.insert(id)
                let relation = object["relationship_type"]?.stringValue ?? "related-to"
                let ends = [object["source_ref"]?.stringValue, object["target_ref"]?.stringValue].map { $0 ?? "?" }
                if incidentID != nil, ends.contains(incidentID ?? ""),
                    relation == "located-at" || relation == "related-to"
                {
                    continue  // the incident's own place and parties, read above
                }
                note(
                    id,
                    reason:
                        "\(ends[0]) \(relation) \(ends[1]): links between objects are not carried (the officer may write linkedTo)"
                )
            default:
                used.insert(id)
                note(id, reason: "a \(type): no bulletin field holds it; not mapped")
            }
        }
    }

    private mutating func phone(_ value: String?, from id: String, what: String, details: inout [String: [JSONValue]]) {
        guard importer.observables else {
            note(id, reason: "a phone number: the schemas in use (\(importer.version)) have no details.phones")
            return
        }
        guard let value, let number = STIXImporter.e164(value) else {
            note(id, reason: "a phone number that is not plainly international (E.164, +country code): not mapped")
            return
        }
        mark(id, ["value", "x_misp_value", "x_misp_type", "pattern", "pattern_type", "valid_from", "x_misp_category"])
        details["phones", default: []].append(.object(["number": .string(number)]))
        mapped.append("details.phones ← \(number) (\(what))")
    }

    /// The number of a pattern that is exactly `[phone-number:value = '…']` (OpenCTI's phone
    /// number observable), nothing else: any other pattern is listed, not guessed at.
    static func phonePattern(_ pattern: String) -> String? {
        let prefix = "[phone-number:value = '"
        let suffix = "']"
        guard pattern.hasPrefix(prefix), pattern.hasSuffix(suffix), pattern.count <= 64 else { return nil }
        let value = String(pattern.dropFirst(prefix.count).dropLast(suffix.count))
        guard !value.contains("'"), !value.contains("\\") else { return nil }
        return value
    }
}
