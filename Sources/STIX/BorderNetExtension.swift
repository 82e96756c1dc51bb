import BulletinSchema

/// The one STIX extension BorderNet registers: a property extension that carries the bulletin's
/// fields with no STIX home (incident type, severity, working group, report kind, handling codes,
/// grading, bulletin ids, times, the incident type's `details`) and, on objects made from an
/// observable, the observable as the bulletin wrote it. Its JSON schema is
/// `docs/stix/bulletin-extension.schema.json`, published at ``schemaURL``.
public enum BorderNetExtension {
    /// When the shared objects (this definition, the BorderNet and agency identities, the crossing
    /// points) were first created: a constant, so that every export writes them identically.
    public static let sharedCreated = "2025-01-01T00:00:00.000Z"
    /// The schema's address.
    public static let schemaURL = "https://bordernet.example/stix/1.0/bulletin-extension.schema.json"
    /// The extension's version.
    public static let version = "1.0.0"

    /// `identity--…` of BorderNet itself, the creator of the extension definition.
    public static let creatorID = STIXIdentifier.make(type: "identity", name: "bordernet")
    /// `extension-definition--…`, deterministic.
    public static let id = STIXIdentifier.make(type: "extension-definition", name: "bordernet/bulletin-extension/1")

    /// The BorderNet identity (identity_class `system`).
    public static var creator: STIXObject {
        STIXObject(
            id: creatorID, modified: sharedCreated,
            content: .object([
                "type": .string("identity"), "spec_version": .string("2.1"), "id": .string(creatorID),
                "created": .string(sharedCreated), "modified": .string(sharedCreated), "name": .string("BorderNet"),
                "identity_class": .string("system"),
                "description": .string(
                    "The exchange of border-security bulletins between the member states; it defines the BorderNet STIX extension."
                ),
            ]))
    }

    /// The extension-definition object.
    public static var definition: STIXObject {
        STIXObject(
            id: id, modified: sharedCreated,
            content: .object([
                "type": .string("extension-definition"), "spec_version": .string("2.1"), "id": .string(id),
                "created_by_ref": .string(creatorID), "created": .string(sharedCreated),
                "modified": .string(sharedCreated),
                "name": .string("BorderNet bulletin"),
                "description": .string(
                    "Fields of a BorderNet bulletin with no STIX 2.1 property: incident type, severity, working group, report kind, handling codes, grading, bulletin ids and times, the incident type's details; and on objects made from an observable, the observable as written."
                ),
                "schema": .string(schemaURL), "version": .string(version),
                "extension_types": .array([.string("property-extension")]),
            ]))
    }

    /// The `extensions` member of an object carrying `properties`.
    static func member(_ properties: [String: JSONValue]) -> JSONValue {
        var content = properties
        content["extension_type"] = .string("property-extension")
        return .object([id: .object(content)])
    }
}
