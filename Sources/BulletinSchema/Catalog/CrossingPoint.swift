/// One border crossing point of the region's reference list, `Schemas/reference/crossing-points.json`,
/// which the secretariat maintains. A bulletin names a crossing point by its ``code``
/// (`observables.schema.json#/$defs/crossingPoint`); the list gives what the code stands for.
public struct CrossingPoint: Sendable, Hashable, Codable, Identifiable {
    /// `<state>-<state>-<NAME>`, the two states alphabetical, e.g. `LY-TN-RAS-JEDIR`.
    public let code: String
    /// The crossing's name in the three languages, as written locally.
    public let names: LocalizedText
    /// The two states (ISO 3166-1 alpha-2) the crossing joins, alphabetical.
    public let states: [String]
    /// `road`, `rail` or `port`.
    public let kind: String
    /// `open` or `closed`.
    public let status: String
    /// Approximate WGS84 position.
    public let latitude: Double
    /// Approximate WGS84 position.
    public let longitude: Double
    /// Radius of uncertainty of the position, in metres.
    public let precisionMetres: Int

    public var id: String { code }
}

/// Reads the reference list and holds it to the schema that names its codes: the list and the
/// `crossingPoint` enumeration must give the same codes with the same names, so a code a bulletin
/// may carry always has an entry and an entry is always usable in a bulletin.
enum CrossingPointList {
    static let file = "reference/crossing-points.json"
    static let schemaLocation = "observables.schema.json#/$defs/crossingPoint"

    static func parse(_ document: JSONValue) throws(SchemaLoadError) -> [CrossingPoint] {
        guard let entries = document["crossingPoints"]?.arrayValue else {
            throw .referenceListMismatch(file: file, detail: "must be an object with a \"crossingPoints\" array")
        }
        var points: [CrossingPoint] = []
        for (index, entry) in entries.enumerated() {
            guard let code = entry["code"]?.stringValue,
                let names = LocalizedText(entry["names"]),
                let states = entry["states"]?.arrayValue?.compactMap(\.stringValue), states.count == 2,
                states[0] < states[1],
                let kind = entry["kind"]?.stringValue, ["road", "rail", "port"].contains(kind),
                let status = entry["status"]?.stringValue, ["open", "closed"].contains(status),
                let latitude = entry["position"]?["latitude"]?.numberValue, (-90...90).contains(latitude),
                let longitude = entry["position"]?["longitude"]?.numberValue, (-180...180).contains(longitude),
                case .integer(let precision)? = entry["position"]?["precisionMetres"], (1...1_000_000).contains(precision)
            else {
                throw .referenceListMismatch(
                    file: file,
                    detail: "entry \(index) must have code, names {ar, fr, en}, two states in alphabetical order, kind road|rail|port, status open|closed and position {latitude, longitude, precisionMetres}")
            }
            guard code.hasPrefix("\(states[0])-\(states[1])-") else {
                throw .referenceListMismatch(file: file, detail: "entry \(index): code \(code) must start with its states, \(states[0])-\(states[1])-")
            }
            points.append(
                CrossingPoint(
                    code: code, names: names, states: states, kind: kind, status: status,
                    latitude: latitude, longitude: longitude, precisionMetres: Int(precision)))
        }
        return points
    }

    /// Refuses a list and an enumeration that disagree on a code or a name.
    static func check(_ points: [CrossingPoint], against node: SchemaNode) throws(SchemaLoadError) {
        let listed = points.map(\.code)
        let enumerated = (node.enumeration ?? []).compactMap(\.stringValue)
        guard Set(listed).count == listed.count else {
            throw .referenceListMismatch(file: file, detail: "a code is listed twice")
        }
        guard Set(listed) == Set(enumerated) else {
            let onlyListed = Set(listed).subtracting(enumerated).sorted()
            let onlyEnumerated = Set(enumerated).subtracting(listed).sorted()
            throw .referenceListMismatch(
                file: file,
                detail: "codes differ from \(schemaLocation): only in the list \(onlyListed), only in the schema \(onlyEnumerated)")
        }
        for point in points where node.valueLabels[point.code] != point.names {
            throw .referenceListMismatch(
                file: file, detail: "the names of \(point.code) differ from its labels in \(schemaLocation)")
        }
    }
}
