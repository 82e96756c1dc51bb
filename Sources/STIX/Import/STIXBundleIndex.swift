import BulletinSchema

/// A bundle read and checked: each object by id, its latest version only, in the bundle's order;
/// elements that are not STIX objects and second copies of one version noted, never trusted.
struct STIXBundleIndex {
    /// The ids in the order their first version appears.
    private(set) var order: [String] = []
    /// The latest version of each object.
    private(set) var objects: [String: [String: JSONValue]] = [:]
    /// What was refused while reading.
    private(set) var notes: [STIXImportNote] = []
    /// Earlier versions set aside for a later one.
    private(set) var superseded = 0
    /// What earlier versions of reports referred to: a withdrawal or correction exported with
    /// the version it replaces refers to fewer objects than the first version did.
    private(set) var referredByEarlierVersions: Set<String> = []
    /// How many elements `objects` had.
    let count: Int

    init(bytes: [UInt8], limits: STIXImportLimits) throws(STIXImportError) {
        guard bytes.count <= limits.maximumBytes else {
            throw .tooLarge(bytes: bytes.count, limit: limits.maximumBytes)
        }
        if let offset = UTF8Check.firstInvalidOffset(in: bytes) { throw .invalidUTF8(offset: offset) }
        let value: JSONValue
        do {
            value = try JSONParser(maximumDepth: STIXImportLimits.maximumDepth).parse(bytes)
        } catch {
            throw STIXImportError(error)
        }
        guard case .object(let top) = value else { throw .notABundle(found: "the file is not a JSON object") }
        guard top["type"]?.stringValue == "bundle" else {
            let type = top["type"]?.stringValue.map { "\"type\": \"\(STIXImporter.shortened($0, limit: 60))\"" } ?? "no \"type\""
            throw .notABundle(found: type)
        }
        guard let elements = top["objects"]?.arrayValue else { throw .notABundle(found: "no \"objects\" array") }
        guard elements.count <= limits.maximumObjects else {
            throw .tooManyObjects(count: elements.count, limit: limits.maximumObjects)
        }
        count = elements.count
        for (index, element) in elements.enumerated() {
            guard case .object(let object) = element, let type = object["type"]?.stringValue,
                let id = object["id"]?.stringValue, Self.isIdentifier(id, of: type)
            else {
                notes.append(
                    STIXImportNote(
                        object: "objects[\(index)]",
                        reason: "not a STIX object: it needs a \"type\" and an \"id\" of the form type--UUID"))
                continue
            }
            guard let existing = objects[id] else {
                objects[id] = object
                order.append(id)
                continue
            }
            let new = Self.version(of: object)
            let old = Self.version(of: existing)
            if let new, let old, new != old {
                superseded += 1
                let earlier = new > old ? existing : object
                for ref in earlier["object_refs"]?.arrayValue ?? [] {
                    if let ref = ref.stringValue { referredByEarlierVersions.insert(ref) }
                }
                if new > old { objects[id] = object }
            } else if existing != object {
                notes.append(
                    STIXImportNote(
                        object: id,
                        reason:
                            "given twice with the same version and different content: the first is read, this one is not"
                    ))
            }
        }
    }

    subscript(id: String) -> [String: JSONValue]? { objects[id] }

    /// `type--` followed by a UUID (36 characters of hexadecimal digits and hyphens in 8-4-4-4-12).
    static func isIdentifier(_ id: String, of type: String) -> Bool {
        guard type.utf8.count <= 250, id.hasPrefix(type + "--") else { return false }
        let uuid = Array(id.utf8.dropFirst(type.utf8.count + 2))
        guard uuid.count == 36 else { return false }
        for (index, byte) in uuid.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let hex =
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                guard hex else { return false }
            }
        }
        return true
    }

    /// The version of an object: `modified`, else `created`; `nil` when neither is a STIX time.
    static func version(of object: [String: JSONValue]) -> STIXTimestamp? {
        for name in ["modified", "created"] {
            if let text = object[name]?.stringValue, let time = STIXTimestamp(rfc3339: text) { return time }
        }
        return nil
    }
}
