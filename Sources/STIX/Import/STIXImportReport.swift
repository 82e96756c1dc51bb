import BulletinSchema

/// Something of the bundle that is not in a draft, and why: an object, or one property of an
/// object that was otherwise used. Nothing is dropped silently: each such thing is one note.
public struct STIXImportNote: Sendable, Hashable, Codable {
    /// The STIX id of the object (`indicator--…`), or `objects[12]` for an element that has none.
    public let object: String
    /// The property, when the note is about one property of an object that was used.
    public let property: String?
    /// Why it is not in the draft, and what the officer may do about it.
    public let reason: String

    /// A note on `object` (and `property`).
    public init(object: String, property: String? = nil, reason: String) {
        self.object = object
        self.property = property
        self.reason = reason
    }
}

/// One draft made from a STIX report (or an incident with no report): the JSON object that
/// `bordernet post --file` takes, and what went into it.
public struct STIXImportedDraft: Sendable {
    /// The STIX object the draft comes from (`report--…`, `grouping--…` or `incident--…`).
    public let sourceID: String
    /// That object's `name`, when it has one.
    public let sourceName: String?
    /// The draft's file name: a UUIDv5 of ``sourceID`` and `.json`, so that importing the same
    /// bundle twice gives the same names.
    public let fileName: String
    /// The members of the draft (no `id`: the node assigns it when the officer posts).
    public let members: [String: JSONValue]
    /// What was mapped, one line each (`title.fr ← report name`).
    public let mapped: [String]
    /// What the officer must still decide or fill in before posting (a missing TLP, an incident
    /// type none of the labels gave…).
    public let toComplete: [String]
    /// The objects and properties of this draft's source that are not in it, with the reason.
    public let notMapped: [STIXImportNote]

    /// The draft file's bytes: canonical JSON (members sorted, two-space indentation), a newline.
    public var bytes: [UInt8] { CanonicalJSON.bytes(.object(members)) + [0x0A] }
}

/// Everything one import gives: the drafts, and what no draft holds.
public struct STIXImportResult: Sendable {
    /// The drafts, in the bundle's order of their reports (then incidents).
    public let drafts: [STIXImportedDraft]
    /// Objects of the bundle that no draft holds, with the reason.
    public let notMapped: [STIXImportNote]
    /// How many objects the bundle has.
    public let objectCount: Int
    /// How many objects were earlier versions of an object given again with a later `modified`
    /// (the latest version is the one read).
    public let supersededVersions: Int
}
