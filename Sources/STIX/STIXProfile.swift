import BulletinSchema

/// What a bundle is written for: `standard` is the mapping of docs/STIX.md as it is; `misp`
/// re-expresses or leaves out only what MISP's own converter (`misp-stix`) cannot load, so that it
/// imports each bulletin without errors (docs/STIX.md, "MISP profile").
public enum STIXProfile: String, Sendable, CaseIterable {
    /// Every object of the mapping.
    case standard
    /// For `misp-stix`: no `incident` or `language-content` (it cannot load them; the report has
    /// the incident's name and description), each means (`infrastructure`, which it cannot load)
    /// as a `note` on the report, notes on the report alone, no relationship to what is left out,
    /// no revoked object but the report, and a revoked report labelled `withdrawn`.
    case misp

    /// The label a revoked report carries in the MISP profile (misp-stix makes labels event tags
    /// and does not read `revoked`).
    public static let withdrawnLabel = "withdrawn"

    /// The objects of one bulletin (``STIXMapper/objects(for:lineage:)``) as this profile writes them.
    public func apply(_ objects: [STIXObject]) -> [STIXObject] {
        guard self == .misp else { return objects }
        guard let report = objects.first(where: { $0.type == "report" }) else { return objects }
        func revoked(_ object: STIXObject) -> Bool { object.content["revoked"] == .bool(true) }
        var left: Set<String> = []
        for object in objects
        where ["incident", "language-content"].contains(object.type) || (revoked(object) && object.type != "report") {
            left.insert(object.id)
        }
        for object in objects where object.type == "relationship" {
            let ends = [object.content["source_ref"]?.stringValue, object.content["target_ref"]?.stringValue]
            if ends.contains(where: { end in end.map { left.contains($0) || $0.hasPrefix("infrastructure--") } ?? false
                })
            {
                left.insert(object.id)
            }
        }
        func renamed(_ id: String) -> String {
            id.hasPrefix("infrastructure--") ? "note--" + id.dropFirst("infrastructure--".count) : id
        }
        var out: [STIXObject] = []
        for object in objects where !left.contains(object.id) {
            guard var members = object.content.objectValue else { continue }
            switch object.type {
            case "report":
                var refs = (members["object_refs"]?.arrayValue ?? []).compactMap(\.stringValue)
                    .filter { !left.contains($0) }.map(renamed)
                if refs.isEmpty, let creator = members["created_by_ref"]?.stringValue { refs = [creator] }
                members["object_refs"] = .array(refs.map { .string($0) })
                if revoked(object) {
                    members["labels"] = .array((members["labels"]?.arrayValue ?? []) + [.string(Self.withdrawnLabel)])
                }
            case "note":
                members["object_refs"] = .array([.string(report.id)])
            case "infrastructure":
                let name = members["name"]?.stringValue ?? "Means"
                let description = members["description"]?.stringValue ?? ""
                for key in ["name", "description", "infrastructure_types"] { members[key] = nil }
                members["type"] = .string("note")
                members["id"] = .string(renamed(object.id))
                members["abstract"] = .string(name)
                members["content"] = .string(description.isEmpty ? name : "\(name). \(description)")
                members["object_refs"] = .array([.string(report.id)])
            default: break
            }
            let id = members["id"]?.stringValue ?? object.id
            out.append(STIXObject(id: id, modified: object.modified, content: .object(members)))
        }
        return out
    }
}
