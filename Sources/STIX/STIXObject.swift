import BulletinSchema

/// One STIX 2.1 object: its id, the version it is (`modified`, or `created` for objects that are
/// never versioned) and its properties as JSON.
public struct STIXObject: Sendable, Hashable {
    /// `<type>--<uuid>`.
    public let id: String
    /// The version stamp: two objects with the same id and stamp are the same object.
    public let modified: String
    /// The whole object, `type` and `id` included.
    public let content: JSONValue

    /// An object.
    public init(id: String, modified: String, content: JSONValue) {
        self.id = id
        self.modified = modified
        self.content = content
    }

    /// The STIX type (`report`, `incident`, …), the part of ``id`` before `--`.
    public var type: String {
        guard let range = id.range(of: "--") else { return id }
        return String(id[..<range.lowerBound])
    }
}
