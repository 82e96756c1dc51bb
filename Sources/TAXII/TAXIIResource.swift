import BulletinSchema
import STIX

/// One object version as a TAXII page delivers it: the STIX object and when this server added it
/// (the time the node stored the bulletin it comes from).
public struct TAXIIObjectVersion: Sendable, Hashable {
    /// The object.
    public var object: STIXObject
    /// Its `date_added`.
    public var dateAdded: STIXTimestamp

    /// A version.
    public init(object: STIXObject, dateAdded: STIXTimestamp) {
        self.object = object
        self.dateAdded = dateAdded
    }
}

/// One page of a TAXII answer: the object versions, whether more follow, and the cursor of the
/// next page.
public struct TAXIIPage: Sendable, Hashable {
    /// The versions, oldest `date_added` first.
    public var versions: [TAXIIObjectVersion]
    /// Where the next page starts; `nil` when this is the last.
    public var next: TAXIICursor?

    /// A page.
    public init(versions: [TAXIIObjectVersion], next: TAXIICursor?) {
        self.versions = versions
        self.next = next
    }

    /// `X-TAXII-Date-Added-First`: the earliest `date_added` of the page.
    public var dateAddedFirst: STIXTimestamp? { versions.map(\.dateAdded).min() }
    /// `X-TAXII-Date-Added-Last`: the latest `date_added` of the page.
    public var dateAddedLast: STIXTimestamp? { versions.map(\.dateAdded).max() }
}

/// The JSON resources of TAXII 2.1 (§4–§5), as canonical JSON bytes.
public enum TAXIIResource {
    /// The discovery resource (§4.1): one API root, the default.
    public static func discovery(title: String, description: String, apiRoot: String) -> [UInt8] {
        bytes([
            "title": .string(title), "description": .string(description), "default": .string(apiRoot),
            "api_roots": .array([.string(apiRoot)]),
        ])
    }

    /// The API root resource (§4.2).
    public static func apiRoot(title: String, description: String, maximumContentLength: Int) -> [UInt8] {
        bytes([
            "title": .string(title), "description": .string(description), "versions": .array([.string(TAXIIMediaType.taxii)]),
            "max_content_length": .integer(Int64(maximumContentLength)),
        ])
    }

    /// A collection (§5.2): readable, never writable, STIX 2.1 only.
    public static func collection(id: String, title: String, description: String) -> JSONValue {
        .object([
            "id": .string(id), "title": .string(title), "description": .string(description), "can_read": .bool(true),
            "can_write": .bool(false), "media_types": .array([.string(TAXIIMediaType.stix)]),
        ])
    }

    /// The collections resource (§5.1); no `collections` member when there are none.
    public static func collections(_ collections: [JSONValue]) -> [UInt8] {
        bytes(collections.isEmpty ? [:] : ["collections": .array(collections)])
    }

    /// One collection on its own (§5.2).
    public static func single(_ collection: JSONValue) -> [UInt8] {
        CanonicalJSON.bytes(collection) + [0x0A]
    }

    /// The envelope of objects (§3.7): `more`, `next` and `objects` (absent when empty).
    public static func envelope(_ page: TAXIIPage) -> [UInt8] {
        var members: [String: JSONValue] = ["more": .bool(page.next != nil)]
        if let next = page.next { members["next"] = .string(next.text) }
        if !page.versions.isEmpty { members["objects"] = .array(page.versions.map(\.object.content)) }
        return bytes(members)
    }

    /// The manifest resource (§5.4): per version its id, `date_added`, version and media type.
    public static func manifest(_ page: TAXIIPage) -> [UInt8] {
        var members: [String: JSONValue] = ["more": .bool(page.next != nil)]
        if let next = page.next { members["next"] = .string(next.text) }
        if !page.versions.isEmpty {
            members["objects"] = .array(
                page.versions.map { version in
                    .object([
                        "id": .string(version.object.id), "date_added": .string(version.dateAdded.description),
                        "version": .string(version.object.modified), "media_type": .string(TAXIIMediaType.stix),
                    ])
                })
        }
        return bytes(members)
    }

    /// The versions resource (§5.8): the version stamps, in the page's order.
    public static func versions(_ page: TAXIIPage) -> [UInt8] {
        var members: [String: JSONValue] = ["more": .bool(page.next != nil)]
        if let next = page.next { members["next"] = .string(next.text) }
        if !page.versions.isEmpty { members["versions"] = .array(page.versions.map { .string($0.object.modified) }) }
        return bytes(members)
    }

    private static func bytes(_ members: [String: JSONValue]) -> [UInt8] {
        CanonicalJSON.bytes(.object(members)) + [0x0A]
    }
}
