import BulletinSchema

/// Writes a STIX 2.1 bundle piece by piece, so that an export streams: ``begin(id:)``, then
/// ``add(_:)`` for each bulletin's objects, then ``end()``; each returns the bytes to write next.
/// An object already written (same id and version) is written once, so the shared markings,
/// identities, extension definition and crossing points appear once per bundle. The output is
/// canonical JSON (``CanonicalJSON``): the same objects in the same order give the same bytes.
public struct STIXBundleWriter: Sendable {
    private var written: Set<String> = []
    private var started = false
    /// How many objects were written so far.
    public private(set) var objectCount = 0

    /// A writer.
    public init() {}

    /// The bundle id for a bundle of these bulletins: a UUIDv5 of their ids, sorted, so the same
    /// selection always has the same bundle id.
    public static func bundleID(bulletinIDs: [String]) -> String {
        STIXIdentifier.make(type: "bundle", name: "bundle/" + bulletinIDs.sorted().joined(separator: ","))
    }

    /// The bundle's opening.
    public func begin(id: String) -> [UInt8] {
        Array("{\n  \"id\": ".utf8) + CanonicalJSON.bytes(.string(id)) + Array(",".utf8)
    }

    /// The bytes of the objects not written yet, in order.
    public mutating func add(_ objects: [STIXObject]) -> [UInt8] {
        var out: [UInt8] = []
        for object in objects where written.insert(object.id + " " + object.modified).inserted {
            out += Array((started ? ",\n    " : "\n  \"objects\": [\n    ").utf8)
            started = true
            out += CanonicalJSON.bytes(object.content, level: 2)
            objectCount += 1
        }
        return out
    }

    /// The bundle's end (a bundle without objects has no `objects` member, as STIX requires of an
    /// empty list).
    public func end() -> [UInt8] {
        Array(((started ? "\n  ]," : "") + "\n  \"type\": \"bundle\"\n}\n").utf8)
    }
}

/// A whole bundle of bulletins held in memory (the worked examples, tests): each bulletin's
/// lineage is resolved among the others, and they are written in the order given.
public enum STIXBundle {
    /// The canonical bytes of the bundle of `bulletins`.
    public static func bytes(of bulletins: [JSONValue], mapper: STIXMapper) throws(STIXMappingError) -> [UInt8] {
        var byID: [String: JSONValue] = [:]
        for bulletin in bulletins { if let id = bulletin["id"]?.stringValue { byID[id] = bulletin } }
        var writer = STIXBundleWriter()
        var out = writer.begin(
            id: STIXBundleWriter.bundleID(bulletinIDs: bulletins.compactMap { $0["id"]?.stringValue }))
        for bulletin in bulletins {
            let lineage = STIXLineage.resolve(bulletin) { byID[$0] }
            out += writer.add(try mapper.objects(for: bulletin, lineage: lineage))
        }
        return out + writer.end()
    }
}
