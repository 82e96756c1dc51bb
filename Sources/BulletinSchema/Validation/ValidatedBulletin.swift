/// A bulletin that passed validation, with the fields the exchange layer needs up front.
///
/// It keeps the document as validation read it (a ``JSONTape``), not as a ``JSONValue`` tree:
/// the node reads a few top-level members (``string(_:)``, ``strings(_:)``, ``has(_:)``) and
/// never needs the tree, which cost as much to build as the validation itself. ``value``
/// builds it for the callers that do (STIX).
public struct ValidatedBulletin: Sendable, Equatable {
    /// The document as parsed.
    let tape: JSONTape
    /// The bulletin id, absent in a draft.
    public let id: String?
    /// The incident type (`incidentType`).
    public let incidentType: String
    /// The schema version the bulletin declares (`schemaVersion`).
    public let schemaVersion: SchemaVersion
    /// The TLP 2.0 marking (`tlp`): `CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT` or `RED`.
    public let tlp: String

    /// The whole bulletin as a tree, built on each call: read it once.
    public var value: JSONValue { tape.value(at: JSONTape.root) }

    /// The top-level member `name` when it is a string.
    public func string(_ name: String) -> String? {
        tape.rootString(name)
    }

    /// The strings of the top-level member `name` when it is an array (its other elements
    /// skipped); empty when it is absent or not an array.
    public func strings(_ name: String) -> [String] {
        guard let array = tape.member(name, of: JSONTape.root), tape.kind(at: array) == .array else { return [] }
        var strings: [String] = []
        tape.forEachElement(of: array) { _, element in
            if let string = tape.string(at: element) { strings.append(string) }
        }
        return strings
    }

    /// Whether the bulletin has the top-level member `name`.
    public func has(_ name: String) -> Bool {
        tape.member(name, of: JSONTape.root) != nil
    }

    public static func == (lhs: ValidatedBulletin, rhs: ValidatedBulletin) -> Bool {
        lhs.id == rhs.id && lhs.incidentType == rhs.incidentType && lhs.schemaVersion == rhs.schemaVersion
            && lhs.tlp == rhs.tlp && lhs.value == rhs.value
    }
}
