import Foundation

/// A bulletin as a liaison officer submits it to the local node, before the node gives it an id:
/// the JSON object of a draft (docs/SCHEMAS.md, stage `draft`), built from its fields or taken
/// from a file, and encoded once into the bytes the node validates, seals and stores.
///
/// The draft does not judge what the schemas judge (a severity, a working group, the fields of
/// `details`, the form of a time): the node validates the bytes against the schemas and answers
/// with each failure's JSON pointer, so the schemas stay the one place those rules live.
public struct BulletinDraft: Sendable, Equatable {
    /// Where the incident happened (`location`).
    public struct Location: Sendable, Equatable {
        /// The state, ISO 3166-1 alpha-2 (`MA`).
        public var country: String
        /// The region or province.
        public var region: String?
        /// The named border crossing point.
        public var borderCrossingPoint: String?

        /// A location in `country`, with its region and crossing point when known.
        public init(country: String, region: String? = nil, borderCrossingPoint: String? = nil) {
            self.country = country
            self.region = region
            self.borderCrossingPoint = borderCrossingPoint
        }

        var json: JSONValue {
            var members: [String: JSONValue] = ["country": .string(country)]
            if let region { members["region"] = .string(region) }
            if let borderCrossingPoint { members["borderCrossingPoint"] = .string(borderCrossingPoint) }
            return .object(members)
        }
    }

    /// The members of the draft's JSON object, as ``jsonBytes`` writes them.
    public private(set) var members: [String: JSONValue]

    /// A draft taken as it was given (a file an officer wrote, already read as a JSON object).
    /// Nothing is checked or added here: a draft with an `id` or a missing field reaches the node,
    /// which says what is wrong.
    public init(members: [String: JSONValue]) {
        self.members = members
    }

    /// A draft from its fields, with its title and summary in one language.
    ///
    /// - Parameters:
    ///   - schemaVersion: the version of the schemas it is written for (``SchemaCatalog/version``).
    ///   - occurredAt: when it happened, RFC 3339 text as the officer wrote it; `nil` for the
    ///     report time.
    ///   - reportedAt: when it is reported, written as RFC 3339 UTC to the second.
    ///   - tlp: the TLP label (`AMBER`, `AMBER+STRICT`…), as the bulletin JSON writes it.
    ///   - details: the incident type's own fields (`details`), empty when none are given.
    public init(
        schemaVersion: SchemaVersion, incidentType: String, language: Language, title: String, summary: String,
        occurredAt: String? = nil, reportedAt: Date = Date(), location: Location, severity: String, tlp: String,
        sourceReliability: String, informationCredibility: Int, workingGroup: String, details: [String: JSONValue] = [:]
    ) {
        let reported = reportedAt.formatted(.iso8601)
        members = [
            "schemaVersion": .string(schemaVersion.description),
            "incidentType": .string(incidentType),
            "title": .object([language.rawValue: .string(title)]),
            "summary": .object([language.rawValue: .string(summary)]),
            "occurredAt": .string(occurredAt ?? reported),
            "reportedAt": .string(reported),
            "location": location.json,
            "severity": .string(severity),
            "tlp": .string(tlp),
            "sourceReliability": .string(sourceReliability),
            "informationCredibility": .integer(Int64(informationCredibility)),
            "workingGroup": .string(workingGroup),
            "details": .object(details),
        ]
    }

    /// Marks this draft as the correction of the bulletin `reference` (`MA-01J…`): `corrects`.
    public mutating func correct(_ reference: String) {
        members["corrects"] = .string(reference)
    }

    /// Marks this draft as the withdrawal of the bulletin `reference`: `withdraws`, and no
    /// `details` (a withdrawal reports no incident fields).
    public mutating func withdraw(_ reference: String) {
        members["withdraws"] = .string(reference)
        members["details"] = nil
    }

    /// The draft as compact UTF-8 JSON, members sorted: what travels to the node in the post's
    /// draft frame and, with the id the node inserts, what is signed and stored.
    public var jsonBytes: [UInt8] {
        JSONWriter.bytes(.object(members))
    }
}
