import BulletinSchema

/// Maps one bulletin (its validated JSON) to STIX 2.1 objects: a pure function, the same bulletin
/// always giving the same objects (docs/STIX.md says what maps where and why).
///
/// Every object of a bulletin carries its TLP as the official marking and is created by the
/// originating state (one identity per member state); its id is a UUIDv5 of the bulletin id and the object's place, so a
/// correction (a new `modified` version of the first bulletin's objects) and a withdrawal
/// (`revoked`) reach the objects a consumer already holds.
public struct STIXMapper: Sendable {
    /// The most objects one bulletin may give (a bulletin of the schemas gives far fewer).
    public static let maximumObjectsPerBulletin = 5_000

    /// What the caller knows beyond the bulletin: where the files of its attachments can be
    /// fetched.
    public struct Options: Sendable, Equatable {
        /// The origin of the web console that serves the bulletins' attachments
        /// (`https://console.example.org`): each attachment's `artifact` gets the `url`
        /// `{attachmentBase}/bulletins/{bulletin id}/attachments/{number}`. `nil`: no address is
        /// known, and as STIX requires an artifact to have its content or a `url`, no `artifact`
        /// is written (the attachment's `note` still names the file and its SHA-256).
        public var attachmentBase: String?

        /// Options; without an attachment base by default.
        public init(attachmentBase: String? = nil) {
            self.attachmentBase = attachmentBase
        }
    }

    private let crossingPoints: [String: CrossingPoint]
    /// The options this mapper maps with.
    public var options: Options

    /// A mapper that names crossing points from the region's reference list
    /// (`SchemaCatalog.crossingPoints`), with `options`.
    public init(crossingPoints: [CrossingPoint], options: Options = Options()) {
        var byCode: [String: CrossingPoint] = [:]
        for point in crossingPoints { byCode[point.code] = point }
        self.crossingPoints = byCode
        self.options = options
    }

    /// The STIX objects of `bulletin`, in a fixed order: markings and shared objects first, then
    /// the report, the incident and what they refer to, then the objects it revokes. `lineage`
    /// places a correction or a withdrawal in its chain (``STIXLineage/resolve(_:lookup:)``);
    /// without one, the bulletin it names is taken as the chain's first.
    ///
    /// With the earlier versions of the lineage, a correction also revokes the objects of the
    /// version before it that it no longer has, and a withdrawal revokes every object of the
    /// version it withdraws (never the shared ones: markings, the extension definition, the
    /// BorderNet and member-state identities, crossing points). A place revoked once and filled
    /// again by a later version gets a new id: a revoked object is never versioned again.
    public func objects(for bulletin: JSONValue, lineage: STIXLineage? = nil) throws(STIXMappingError) -> [STIXObject] {
        var chain = Chain()
        for earlier in lineage?.versions ?? [] {
            // An earlier version that does not map is passed over: its objects are not known here.
            guard let version = try? version(of: earlier, lineage: lineage, chain: chain) else { continue }
            _ = chain.add(version)
        }
        let out = chain.add(try version(of: bulletin, lineage: lineage, chain: chain))
        guard out.count <= Self.maximumObjectsPerBulletin else {
            throw .tooManyObjects(limit: Self.maximumObjectsPerBulletin)
        }
        return out
    }

    /// One version of a chain: its objects as if nothing came before, with ids that skip the
    /// places `chain` revoked and a `modified` after the chain's last.
    private func version(of bulletin: JSONValue, lineage: STIXLineage?, chain: Chain) throws(STIXMappingError)
        -> Version
    {
        guard let members = bulletin.objectValue else { throw .notAnObject }
        func string(_ name: String) throws(STIXMappingError) -> String {
            guard let value = members[name]?.stringValue, !value.isEmpty else { throw .missingMember(name) }
            return value
        }
        func time(_ name: String) throws(STIXMappingError) -> STIXTimestamp {
            let text = try string(name)
            guard let value = STIXTimestamp(rfc3339: text) else { throw .invalidValue(member: name, value: text) }
            return value
        }
        let bulletinID = try string("id")
        let incidentType = try string("incidentType")
        let tlpText = try string("tlp")
        guard let tlp = TLPMarking(bulletinValue: tlpText) else { throw .invalidValue(member: "tlp", value: tlpText) }
        let reportedAt = try time("reportedAt")
        let occurredAt = try time("occurredAt")
        guard let location = members["location"]?.objectValue, let country = location["country"]?.stringValue else {
            throw .missingMember("location")
        }
        let origin = STIXLineage.origin(of: bulletinID)
        let withdraws = members["withdraws"]?.stringValue
        let corrects = members["corrects"]?.stringValue
        // A bulletin corrects or withdraws only bulletins of its own origin: one that names another
        // state's bulletin keeps its own ids, so no state can replace or revoke another's objects.
        let named = lineage?.rootID ?? corrects ?? withdraws ?? bulletinID
        let base = STIXLineage.origin(of: named) == origin ? named : bulletinID
        let created = base == bulletinID ? reportedAt : (lineage?.created ?? reportedAt)
        var modified = reportedAt
        if base != bulletinID, modified <= created, lineage?.created != nil {
            modified = created.adding(milliseconds: 1)
        }
        if modified < created { modified = created }
        if let last = chain.modified, modified <= last { modified = last.adding(milliseconds: 1) }

        var build = Build(
            base: base, created: created.description, modified: modified.description, marking: tlp.id,
            creator: Self.originIdentityID(origin: origin), generations: chain.generations)
        build.shared.append(tlp.object)
        build.shared.append(BorderNetExtension.creator)
        build.shared.append(BorderNetExtension.definition)
        build.shared.append(Self.originIdentity(origin: origin))

        let title = Self.texts(members["title"])
        let summary = Self.texts(members["summary"])
        let language =
            ["en", "fr", "ar"].first { title[$0] != nil } ?? ["en", "fr", "ar"].first { summary[$0] != nil } ?? "en"
        let name = title[language] ?? title.values.sorted().first ?? bulletinID
        let description = summary[language] ?? summary.keys.sorted().first.flatMap { summary[$0] } ?? ""

        var common: [String: JSONValue] = [
            "bulletin_id": .string(bulletinID), "origin": .string(origin), "incident_type": .string(incidentType),
            "tlp": .string(tlpText), "occurred_at": .string(occurredAt.description),
            "reported_at": .string(reportedAt.description),
        ]
        for (member, property) in [
            ("schemaVersion", "schema_version"), ("severity", "severity"), ("workingGroup", "working_group"),
            ("reportKind", "report_kind"), ("sourceReliability", "source_reliability"),
            ("reportingAgency", "reporting_agency"),
            ("corrects", "corrects"), ("withdraws", "withdraws"),
        ] {
            if let value = members[member]?.stringValue { common[property] = .string(value) }
        }
        if let credibility = members["informationCredibility"], case .integer = credibility {
            common["information_credibility"] = credibility
        }
        if let handling = members["handling"]?.arrayValue { common["handling"] = .array(handling) }
        if let related = members["relatedBulletins"]?.arrayValue { common["related_bulletins"] = .array(related) }
        if let validUntil = members["validUntil"]?.stringValue {
            guard let value = STIXTimestamp(rfc3339: validUntil) else {
                throw .invalidValue(member: "validUntil", value: validUntil)
            }
            common["valid_until"] = .string(value.description)
        }
        let confidence = Self.confidence(members["informationCredibility"])
        let reference: JSONValue = .array([
            .object(["source_name": .string("bordernet"), "external_id": .string(bulletinID)])
        ])

        let reportID = build.id("report", "report")
        let incidentID = build.id("incident", "incident")
        var incident: [String: JSONValue] = [
            "name": .string(name), "lang": .string(language), "external_references": reference,
        ]
        if !description.isEmpty { incident["description"] = .string(description) }
        if let confidence { incident["confidence"] = .integer(confidence) }
        var incidentExtension = common
        if let details = members["details"] { incidentExtension["details"] = details }
        // The location as written, so that `import stix` gives it back exactly: the `location`
        // object's name is the crossing point's, else the region's, and cannot tell which.
        if let location = members["location"], case .object = location { incidentExtension["location"] = location }
        incident["extensions"] = BorderNetExtension.member(incidentExtension)

        var report: [String: JSONValue] = [
            "name": .string(name), "lang": .string(language), "published": .string(reportedAt.description),
            "report_types": .array([.string("threat-report")]), "labels": .array([.string(incidentType)]),
            "external_references": reference, "extensions": BorderNetExtension.member(common),
        ]
        if !description.isEmpty { report["description"] = .string(description) }
        if let confidence { report["confidence"] = .integer(confidence) }

        if withdraws != nil {
            // A withdrawal: the chain's report and incident, revoked; the reason is the summary.
            incident["revoked"] = .bool(true)
            report["revoked"] = .bool(true)
            report["object_refs"] = .array([.string(incidentID)])
            build.add("report", place: "report", report)
            build.add("incident", place: "incident", incident)
            return try build.finish(modified: modified, withdrawn: true)
        }

        // Where: the bulletin's location, its crossing point, the places of the observables.
        var refs: [String] = [incidentID]
        let locationID = build.add(
            "location", place: "location", Self.locationProperties(location, fallbackCountry: country))
        refs.append(locationID)
        build.relate(
            incidentID, "related-to", locationID, place: "incident/location",
            description: "Where the incident took place.")
        if let code = location["crossingPoint"]?.stringValue, let point = crossingPoints[code] {
            let pointID = build.share(crossingPoint(point))
            refs.append(pointID)
            build.relate(
                incidentID, "related-to", pointID, place: "incident/crossing-point",
                description: "The crossing point of the incident.")
        }

        let details = members["details"]?.objectValue ?? [:]
        var local: [String: (id: String, type: String)] = [:]
        var links: [(from: String, to: [String])] = []
        func note(_ item: [String: JSONValue], _ id: String, _ type: String) {
            if let localID = item["localId"]?.stringValue { local[localID] = (id, type) }
            if let linked = item["linkedTo"]?.arrayValue?.compactMap(\.stringValue),
                let localID = item["localId"]?.stringValue
            {
                links.append((localID, linked))
            }
        }
        func observable(_ kind: String, _ item: JSONValue) -> JSONValue {
            BorderNetExtension.member([
                "bulletin_id": .string(bulletinID), "observable_kind": .string(kind), "observable": item,
            ])
        }

        for (index, value) in (details["places"]?.arrayValue ?? []).enumerated() {
            guard let place = value.objectValue else { continue }
            var properties = Self.locationProperties(place, fallbackCountry: country)
            if let role = place["role"]?.stringValue {
                properties["description"] = .string("Place of the bulletin, role: \(role).")
            }
            if properties["latitude"] == nil, let code = place["crossingPoint"]?.stringValue,
                let point = crossingPoints[code]
            {
                properties["latitude"] = .decimal(point.latitude)
                properties["longitude"] = .decimal(point.longitude)
                properties["precision"] = .integer(Int64(point.precisionMetres))
            }
            if properties["latitude"] == nil && properties["country"] == nil {
                properties["country"] = .string(country)
            }
            properties["extensions"] = observable("place", value)
            let id = build.add("location", place: "place/\(index)", properties)
            refs.append(id)
            note(place, id, "location")
            build.relate(
                incidentID, "related-to", id, place: "incident/place/\(index)", description: "A place of the incident.")
            if let code = place["crossingPoint"]?.stringValue, let point = crossingPoints[code] {
                let pointID = build.share(crossingPoint(point))
                if !refs.contains(pointID) { refs.append(pointID) }
                build.relate(
                    id, "related-to", pointID, place: "place/\(index)/crossing-point",
                    description: "The crossing point of this place.")
            }
        }

        for (index, value) in (details["people"]?.arrayValue ?? []).enumerated() {
            guard let person = value.objectValue else { continue }
            let role = person["role"]?.stringValue
            let names = person["name"]?.objectValue ?? [:]
            let personName = names["latin"]?.stringValue ?? names["arabic"]?.stringValue ?? "Person \(index + 1)"
            var aliases: [JSONValue] = []
            if names["latin"] != nil, let arabic = names["arabic"]?.stringValue { aliases.append(.string(arabic)) }
            for alias in person["aliases"]?.arrayValue ?? [] {
                for script in ["latin", "arabic"] {
                    if let text = alias[script]?.stringValue { aliases.append(.string(text)) }
                }
            }
            var text = "Person of the bulletin, role: \(role ?? "not given")"
            if person["arrested"] == .bool(true) { text += ", arrested" }
            var properties: [String: JSONValue] = ["name": .string(personName), "description": .string(text + ".")]
            properties["extensions"] = observable("person", value)
            let type: String
            if let actor = Self.threatActorRole(role) {
                type = "threat-actor"
                properties["threat_actor_types"] = .array([
                    .string(role == "foreign-terrorist-fighter" ? "terrorist" : "criminal")
                ])
                if let actor { properties["roles"] = .array([.string(actor)]) }
                if !aliases.isEmpty { properties["aliases"] = .array(aliases) }
            } else {
                type = "identity"
                properties["identity_class"] = .string("individual")
                if let role { properties["roles"] = .array([.string(role)]) }
            }
            let id = build.add(type, place: "person/\(index)", properties)
            refs.append(id)
            note(person, id, type)
            build.relate(
                incidentID, "related-to", id, place: "incident/person/\(index)",
                description: "A person of the incident.")
        }

        for (index, value) in (details["organisations"]?.arrayValue ?? []).enumerated() {
            guard let organisation = value.objectValue else { continue }
            let kind = organisation["kind"]?.stringValue
            var properties: [String: JSONValue] = [
                "name": .string(organisation["name"]?.stringValue ?? "Organisation \(index + 1)"),
                "description": .string("Organisation of the bulletin, kind: \(kind ?? "not given")."),
                "extensions": observable("organisation", value),
            ]
            let type: String
            if let actorType = Self.threatActorType(organisation: kind) {
                type = "threat-actor"
                properties["threat_actor_types"] = .array([.string(actorType)])
                if let aliases = organisation["aliases"]?.arrayValue { properties["aliases"] = .array(aliases) }
            } else {
                type = "identity"
                properties["identity_class"] = .string("organization")
            }
            let id = build.add(type, place: "organisation/\(index)", properties)
            refs.append(id)
            note(organisation, id, type)
            build.relate(
                incidentID, "related-to", id, place: "incident/organisation/\(index)",
                description: "An organisation of the incident.")
        }

        for (list, kind) in [
            ("vehicles", "vehicle"), ("vessels", "vessel"), ("aircraft", "aircraft"), ("phones", "phone"),
        ] {
            for (index, value) in (details[list]?.arrayValue ?? []).enumerated() {
                guard let item = value.objectValue else { continue }
                let properties: [String: JSONValue] = [
                    "name": .string(Self.infrastructureName(kind, item, index: index)),
                    "description": .string(
                        "\(kind.prefix(1).uppercased() + kind.dropFirst()) of the bulletin\(item["kind"]?.stringValue.map { ", kind: \($0)" } ?? "")."
                    ),
                    "infrastructure_types": .array([.string("unknown")]),
                    "extensions": observable(kind, value),
                ]
                let id = build.add("infrastructure", place: "\(kind)/\(index)", properties)
                refs.append(id)
                note(item, id, "infrastructure")
                build.relate(
                    incidentID, "related-to", id, place: "incident/\(kind)/\(index)",
                    description: "A means used in the incident.")
            }
        }

        // Documents have no STIX object: each is a note on what it belongs to.
        var documentLinks: [String: Set<String>] = [:]
        let documents = (details["documents"]?.arrayValue ?? []).compactMap(\.objectValue)
        for (index, document) in documents.enumerated() {
            let noteID = build.id("note", "document/\(index)")
            if let localID = document["localId"]?.stringValue { local[localID] = (noteID, "note") }
        }
        for (from, targets) in links {
            for target in targets {
                if local[from]?.type == "note" { documentLinks[from, default: []].insert(target) }
                if local[target]?.type == "note" { documentLinks[target, default: []].insert(from) }
            }
        }
        for (index, document) in documents.enumerated() {
            var objectRefs: [String] = [incidentID]
            if let localID = document["localId"]?.stringValue {
                for other in (documentLinks[localID] ?? []).sorted() {
                    if let target = local[other], target.type != "note", !objectRefs.contains(target.id) {
                        objectRefs.append(target.id)
                    }
                }
            }
            let type = document["documentType"]?.stringValue ?? "document"
            var content = "Document: \(type)"
            if let state = document["issuingState"]?.stringValue { content += ", issued by \(state)" }
            if let number = document["documentNumber"]?.stringValue { content += ", number \(number)" }
            if let status = document["status"]?.stringValue { content += ", status \(status)" }
            let id = build.add(
                "note", place: "document/\(index)",
                [
                    "abstract": .string("Document: \(type)"), "content": .string(content + "."),
                    "object_refs": .array(objectRefs.map { .string($0) }),
                    "extensions": observable("document", .object(document)),
                ])
            refs.append(id)
        }

        // linkedTo: one relationship per pair, the spec's type where one fits.
        var pairs: Set<String> = []
        for (from, targets) in links {
            for target in targets {
                guard let a = local[from], let b = local[target], a.type != "note", b.type != "note", a.id != b.id
                else { continue }
                let key = [from, target].sorted().joined(separator: "/")
                guard pairs.insert(key).inserted else { continue }
                let (source, type, destination): (String, String, String)
                if let fitting = Self.relationshipType(from: a.type, to: b.type) {
                    (source, type, destination) = (a.id, fitting, b.id)
                } else if let fitting = Self.relationshipType(from: b.type, to: a.type) {
                    (source, type, destination) = (b.id, fitting, a.id)
                } else {
                    (source, type, destination) = (a.id, "related-to", b.id)
                }
                build.relate(
                    source, type, destination, place: "link/\(key)", description: "Linked in the bulletin (linkedTo).")
            }
        }

        refs += attachments(
            of: bulletin, bulletinID: bulletinID, incidentID: incidentID, language: language, local: local,
            build: &build)

        report["object_refs"] = .array((refs + build.relationshipIDs).map { .string($0) })
        build.add("report", place: "report", report, first: true)
        build.add("incident", place: "incident", incident, first: true, after: 1)

        // The texts in the other languages.
        for (target, place) in [(reportID, "report"), (incidentID, "incident")] {
            var contents: [String: JSONValue] = [:]
            for other in ["ar", "fr", "en"] where other != language {
                var translated: [String: JSONValue] = [:]
                if let text = title[other] { translated["name"] = .string(text) }
                if let text = summary[other] { translated["description"] = .string(text) }
                if !translated.isEmpty { contents[other] = .object(translated) }
            }
            guard !contents.isEmpty else { continue }
            build.add(
                "language-content", place: "\(place)/language-content",
                [
                    "object_ref": .string(target), "object_modified": .string(build.modified),
                    "contents": .object(contents),
                ])
        }
        return try build.finish(modified: modified, withdrawn: false)
    }

    // MARK: - Attachments

    /// The objects of the bulletin's `attachments` (schema 1.2), added to `build`; returns the ids
    /// the report refers to. Each attachment gives a `note` (the file's name, type and size, its
    /// caption in one language and the others in a `language-content`), and with an attachment
    /// base an `artifact` (hash, type, `url`) with a `related-to` relationship to the object made
    /// from what it `shows`. The file's key is never read.
    private func attachments(
        of bulletin: JSONValue, bulletinID: String, incidentID: String, language: String,
        local: [String: (id: String, type: String)], build: inout Build
    ) -> [String] {
        var refs: [String] = []
        for (index, attachment) in BulletinAttachmentEntry.list(in: bulletin).enumerated() {
            let sha256 = attachment.sha256.lowercased()
            let number = attachment.number
            let facts = "\(attachment.fileName) (\(attachment.mediaType), \(attachment.size) bytes)"
            var noteRefs: [String] = [incidentID]
            var artifactID: String?
            if let base = options.attachmentBase {
                let artifact = Self.artifact(
                    sha256: sha256, mediaType: attachment.mediaType,
                    url: Self.attachmentURL(base: base, bulletinID: bulletinID, number: number), marking: build.marking)
                let id = build.share(artifact)
                artifactID = id
                if !refs.contains(id) { refs.append(id) }
                noteRefs.append(id)
            }
            let shown = attachment.shows.flatMap { local[$0] }
            if let shown, !noteRefs.contains(shown.id) { noteRefs.append(shown.id) }

            let captions = Self.texts(.object(attachment.caption.mapValues { .string($0) }))
            let captionLanguage =
                captions[language] != nil ? language : ["en", "fr", "ar"].first { captions[$0] != nil }
            var abstract = "Attachment \(number): \(facts)"
            if artifactID == nil {
                abstract += ", SHA-256 \(sha256); the file is not in this bundle (no address for files was given)"
            }
            var note: [String: JSONValue] = [
                "abstract": .string(abstract + "."),
                "object_refs": .array(noteRefs.map { .string($0) }),
            ]
            if let captionLanguage, let caption = captions[captionLanguage] {
                note["content"] = .string(caption)
                note["lang"] = .string(captionLanguage)
            } else {
                note["content"] = .string("File attached to the bulletin: \(facts).")
            }
            let noteID = build.add("note", place: "attachment/\(index)", note)
            refs.append(noteID)

            var translations: [String: JSONValue] = [:]
            for other in ["ar", "fr", "en"] where other != captionLanguage {
                if let text = captions[other] { translations[other] = .object(["content": .string(text)]) }
            }
            if !translations.isEmpty {
                build.add(
                    "language-content", place: "attachment/\(index)/language-content",
                    [
                        "object_ref": .string(noteID), "object_modified": .string(build.modified),
                        "contents": .object(translations),
                    ])
            }
            // A relationship cannot end at a note (a document): the note's object_refs name it.
            if let artifactID, let shown, shown.type != "note" {
                build.relate(
                    artifactID, "related-to", shown.id, place: "attachment/\(index)/shows",
                    description: "Attachment \(number) of the bulletin shows this.")
            }
        }
        return refs
    }

    /// `{base}/bulletins/{bulletin id}/attachments/{number}`: where the web console serves the
    /// file (to signed-in users cleared for the bulletin).
    public static func attachmentURL(base: String, bulletinID: String, number: Int) -> String {
        var origin = Substring(base)
        while origin.hasSuffix("/") { origin = origin.dropLast() }
        return "\(origin)/bulletins/\(bulletinID)/attachments/\(number)"
    }

    /// The `artifact` of a file: its id is the STIX 2.1 deterministic id of its hash
    /// (``STIXIdentifier/artifactID(sha256:)``), so the same file is the same object in every
    /// bulletin and every export. An SCO has no version: its stamp is a constant
    /// (``BorderNetExtension/sharedCreated``), so a bundle or a TAXII page holds it once.
    static func artifact(sha256: String, mediaType: String, url: String, marking: String) -> STIXObject {
        let id = STIXIdentifier.artifactID(sha256: sha256)
        return STIXObject(
            id: id, modified: BorderNetExtension.sharedCreated,
            content: .object([
                "type": .string("artifact"), "spec_version": .string("2.1"), "id": .string(id),
                "mime_type": .string(mediaType), "hashes": .object(["SHA-256": .string(sha256)]),
                "url": .string(url), "object_marking_refs": .array([.string(marking)]),
            ]))
    }

    // MARK: - Shared objects

    /// `identity--…` of a member state's authority on BorderNet: the creator of every object of
    /// that state's bulletins. One per state, never per agency text, so that every version of an
    /// object (a correction may come from another agency of the state) has the same creator, as
    /// STIX requires; the reporting agency is in the extension (`reporting_agency`).
    public static func originIdentityID(origin: String) -> String {
        STIXIdentifier.make(type: "identity", name: "origin/\(origin)")
    }

    /// The identity ``originIdentityID(origin:)`` names.
    public static func originIdentity(origin: String) -> STIXObject {
        let id = originIdentityID(origin: origin)
        return STIXObject(
            id: id, modified: BorderNetExtension.sharedCreated,
            content: .object([
                "type": .string("identity"), "spec_version": .string("2.1"), "id": .string(id),
                "created": .string(BorderNetExtension.sharedCreated),
                "modified": .string(BorderNetExtension.sharedCreated),
                "name": .string("BorderNet member \(origin)"), "identity_class": .string("organization"),
                "sectors": .array([.string("government-national")]),
                "description": .string(
                    "The authorities of \(origin) (ISO 3166-1 alpha-2) that post bulletins on BorderNet; each bulletin's reporting agency is in the BorderNet extension (reporting_agency)."
                ),
            ]))
    }

    private func crossingPoint(_ point: CrossingPoint) -> STIXObject {
        let id = STIXIdentifier.make(type: "location", name: "crossing-point/\(point.code)")
        let names = [point.names.en, point.names.fr, point.names.ar].joined(separator: " / ")
        return STIXObject(
            id: id, modified: BorderNetExtension.sharedCreated,
            content: .object([
                "type": .string("location"), "spec_version": .string("2.1"), "id": .string(id),
                "created": .string(BorderNetExtension.sharedCreated),
                "modified": .string(BorderNetExtension.sharedCreated),
                "name": .string(point.names.en),
                "description": .string(
                    "Border crossing point \(point.code) between \(point.states.joined(separator: " and ")) (\(point.kind)): \(names)."
                ),
                "latitude": .decimal(point.latitude), "longitude": .decimal(point.longitude),
                "precision": .integer(Int64(point.precisionMetres)),
                "external_references": .array([
                    .object(["source_name": .string("bordernet-crossing-points"), "external_id": .string(point.code)])
                ]),
            ]))
    }

    // MARK: - Vocabularies

    /// `threat-actor` roles (threat-actor-role-ov) of a person's role; `.some(nil)` for a role that
    /// makes a threat actor without a STIX role; `nil` for the roles that make an `identity`.
    static func threatActorRole(_ role: String?) -> String?? {
        switch role {
        case "organiser": return .some("director")
        case "financier": return .some("sponsor")
        case "courier", "driver", "crew-member", "recruiter", "facilitator", "foreign-terrorist-fighter":
            return .some("agent")
        case "suspect", "wanted-person": return .some(nil)
        default: return nil  // victim, smuggled-person, witness, other, none
        }
    }

    /// threat-actor-type-ov of an organisation's kind; `nil` for the kinds that make an `identity`.
    static func threatActorType(organisation kind: String?) -> String? {
        switch kind {
        case "smuggling-network", "trafficking-network", "criminal-organisation", "money-laundering-network":
            return "crime-syndicate"
        case "terrorist-group": return "terrorist"
        case "armed-group": return "unknown"
        default: return nil  // front-company, company, other, none
        }
    }

    /// The relationship type the STIX 2.1 specification lists from `source` to `target`, if any.
    static func relationshipType(from source: String, to target: String) -> String? {
        switch (source, target) {
        case ("threat-actor", "infrastructure"): return "uses"
        case ("threat-actor", "location"), ("identity", "location"), ("infrastructure", "location"): return "located-at"
        default: return nil
        }
    }

    /// STIX 2.1 Appendix A, the Admiralty credibility scale: 1 → 90 … 5 → 10, 6 (cannot be judged) → none.
    static func confidence(_ credibility: JSONValue?) -> Int64? {
        guard case .integer(let value)? = credibility, (1...5).contains(value) else { return nil }
        return [90, 70, 50, 30, 10][Int(value) - 1]
    }

    static func texts(_ value: JSONValue?) -> [String: String] {
        var texts: [String: String] = [:]
        for language in ["ar", "fr", "en"] {
            if let text = value?[language]?.stringValue, !text.isEmpty { texts[language] = text }
        }
        return texts
    }

    static func locationProperties(_ place: [String: JSONValue], fallbackCountry: String) -> [String: JSONValue] {
        var properties: [String: JSONValue] = [:]
        let position = place["position"]?.objectValue
        if let latitude = position?["latitude"]?.numberValue, let longitude = position?["longitude"]?.numberValue {
            properties["latitude"] = .decimal(latitude)
            properties["longitude"] = .decimal(longitude)
            if case .integer(let precision)? = position?["precisionMetres"] {
                properties["precision"] = .integer(precision)
            }
        }
        if let country = place["country"]?.stringValue {
            properties["country"] = .string(country)
        } else if properties["latitude"] == nil && place["crossingPoint"] == nil {
            // A location needs a country, a region or coordinates; a place's crossing point gives
            // coordinates (and the caller falls back to the country when it gives none).
            properties["country"] = .string(fallbackCountry)
        }
        if let region = place["region"]?.stringValue { properties["administrative_area"] = .string(region) }
        let name =
            place["name"]?.stringValue ?? place["borderCrossingPoint"]?.stringValue ?? place["region"]?.stringValue
            ?? place["country"]?.stringValue ?? fallbackCountry
        properties["name"] = .string(name)
        return properties
    }

    static func infrastructureName(_ kind: String, _ item: [String: JSONValue], index: Int) -> String {
        func text(_ key: String) -> String? { item[key]?.stringValue }
        switch kind {
        case "vehicle":
            let parts = [text("make"), text("model"), text("colour"), text("registrationPlate")].compactMap { $0 }
            return parts.isEmpty ? "Vehicle \(index + 1) (\(text("kind") ?? "unknown"))" : parts.joined(separator: " ")
        case "vessel":
            return text("name") ?? text("imoNumber").map { "IMO \($0)" } ?? text("mmsi").map { "MMSI \($0)" }
                ?? text("callSign") ?? "Vessel \(index + 1)"
        case "aircraft":
            return text("registration") ?? text("icaoAddress").map { "ICAO \($0)" } ?? "Aircraft \(index + 1)"
        default:
            return text("number") ?? text("imei").map { "IMEI \($0)" } ?? "Phone \(index + 1)"
        }
    }
}

/// The objects of one bulletin as they are made: common properties, ids, relationships.
private struct Build {
    let base: String
    let created: String
    let modified: String
    let marking: String
    let creator: String
    /// How many times each place's first id (by that id) was revoked in the chain.
    let generations: [String: Int]
    /// The first id of each id given (they differ for a place revoked before).
    var firstIDs: [String: String] = [:]
    var shared: [STIXObject] = []
    var leading: [STIXObject] = []
    var objects: [STIXObject] = []
    var relationships: [STIXObject] = []
    var count = 0

    init(
        base: String, created: String, modified: String, marking: String, creator: String, generations: [String: Int]
    ) {
        self.base = base
        self.created = created
        self.modified = modified
        self.marking = marking
        self.creator = creator
        self.generations = generations
    }

    var relationshipIDs: [String] { relationships.map(\.id) }

    /// The id of the object of `type` at `place`: `<base>/<place>`, or `<base>/<place>/again/<n>`
    /// once that place's object was revoked `n` times (a revoked object is never versioned again).
    func id(_ type: String, _ place: String) -> String {
        let first = STIXIdentifier.make(type: type, name: "\(base)/\(place)")
        guard let times = generations[first], times > 0 else { return first }
        return STIXIdentifier.make(type: type, name: "\(base)/\(place)/again/\(times)")
    }

    @discardableResult
    mutating func add(
        _ type: String, place: String, _ properties: [String: JSONValue], first: Bool = false, after: Int = 0
    ) -> String {
        let id = id(type, place)
        firstIDs[id] = STIXIdentifier.make(type: type, name: "\(base)/\(place)")
        var content = properties
        content["type"] = .string(type)
        content["spec_version"] = .string("2.1")
        content["id"] = .string(id)
        content["created"] = .string(created)
        content["modified"] = .string(modified)
        content["created_by_ref"] = .string(creator)
        content["object_marking_refs"] = .array([.string(marking)])
        let object = STIXObject(id: id, modified: modified, content: .object(content))
        count += 1
        if type == "relationship" {
            relationships.append(object)
        } else if first {
            leading.insert(object, at: min(after, leading.count))
        } else {
            objects.append(object)
        }
        return id
    }

    /// Adds a shared object once; returns its id.
    mutating func share(_ object: STIXObject) -> String {
        if !shared.contains(where: { $0.id == object.id }) { shared.append(object) }
        return object.id
    }

    mutating func relate(_ source: String, _ type: String, _ target: String, place: String, description: String) {
        add(
            "relationship", place: "relationship/\(place)",
            [
                "relationship_type": .string(type), "source_ref": .string(source), "target_ref": .string(target),
                "description": .string(description),
            ])
    }

    func finish(modified: STIXTimestamp, withdrawn: Bool) throws(STIXMappingError) -> Version {
        guard count + shared.count <= STIXMapper.maximumObjectsPerBulletin else {
            throw .tooManyObjects(limit: STIXMapper.maximumObjectsPerBulletin)
        }
        return Version(
            shared: shared, own: leading + objects + relationships, modified: modified, withdrawn: withdrawn,
            firstIDs: firstIDs)
    }
}

/// One version of a chain, mapped: its shared objects and its own (the report first).
private struct Version {
    let shared: [STIXObject]
    let own: [STIXObject]
    let modified: STIXTimestamp
    /// A withdrawal: its own report and incident are revoked, and so is everything else.
    let withdrawn: Bool
    /// The first id of each of its own ids (``Build/id(_:_:)``).
    let firstIDs: [String: String]
}

/// The versions of a chain so far, oldest first: what the last one holds, which places were
/// revoked, when it was made.
private struct Chain {
    /// The objects of the last version still standing (none after a withdrawal).
    var live: [STIXObject] = []
    var shared: [STIXObject] = []
    var firstIDs: [String: String] = [:]
    /// How many times each place's first id was revoked.
    var generations: [String: Int] = [:]
    var modified: STIXTimestamp?

    /// The properties a revoked object keeps, whatever its type: the common ones, and those its type
    /// requires or that say what it was (STIX 2.1 §4–§6: a relationship's ends, a note's content, a
    /// location's country or coordinates, a language content's object and texts).
    static let keptWhenRevoked: Set<String> = [
        "type", "spec_version", "id", "created", "created_by_ref", "object_marking_refs",
        "name", "published", "object_refs", "report_types", "threat_actor_types", "identity_class",
        "infrastructure_types", "country", "administrative_area", "region", "latitude", "longitude", "precision",
        "relationship_type", "source_ref", "target_ref", "content", "object_ref", "object_modified", "contents",
    ]

    /// The objects to write for `version` after the chain so far: its shared objects (and the
    /// earlier version's when something of it is revoked, so every reference resolves), its own,
    /// then a revoked version of each object of the earlier version it no longer has (of every
    /// one, for a withdrawal); then `version` becomes the chain's last.
    mutating func add(_ version: Version) -> [STIXObject] {
        let ownIDs = Set(version.own.map(\.id))
        let stamp = version.modified.description
        var revoked: [STIXObject] = []
        for object in live where !ownIDs.contains(object.id) {
            var kept: [String: JSONValue] = [:]
            for (name, value) in object.content.objectValue ?? [:] where Self.keptWhenRevoked.contains(name) {
                kept[name] = value
            }
            kept["modified"] = .string(stamp)
            kept["revoked"] = .bool(true)
            revoked.append(STIXObject(id: object.id, modified: stamp, content: .object(kept)))
        }
        var own = version.own
        if version.withdrawn {
            // The revoked report refers to the incident and to everything else the withdrawal
            // revokes but the language contents (a report refers to domain, observable and
            // relationship objects only).
            let incident = own.filter { $0.type == "incident" }.map(\.id)
            let others = revoked.filter { $0.type != "language-content" }.map(\.id)
            own = own.map { object in
                guard object.type == "report", var members = object.content.objectValue else { return object }
                members["object_refs"] = .array((incident + others).map { .string($0) })
                return STIXObject(id: object.id, modified: object.modified, content: .object(members))
            }
        }
        var shared = version.shared
        if !revoked.isEmpty {
            for object in self.shared where !shared.contains(where: { $0.id == object.id }) { shared.append(object) }
        }

        for object in revoked { generations[firstIDs[object.id] ?? object.id, default: 0] += 1 }
        if version.withdrawn {
            for object in version.own { generations[version.firstIDs[object.id] ?? object.id, default: 0] += 1 }
            live = []
        } else {
            live = version.own
        }
        self.shared = version.shared
        firstIDs = version.firstIDs
        modified = version.modified
        return shared + own + revoked
    }
}
