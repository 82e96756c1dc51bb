/// A bulletin that passed validation, with the fields the exchange layer needs up front.
public struct ValidatedBulletin: Sendable, Equatable {
    /// The whole bulletin as parsed.
    public let value: JSONValue
    /// The bulletin id, absent in a draft.
    public let id: String?
    /// The incident type (`incidentType`).
    public let incidentType: String
    /// The schema version the bulletin declares (`schemaVersion`).
    public let schemaVersion: SchemaVersion
    /// The TLP 2.0 marking (`tlp`): `CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT` or `RED`.
    public let tlp: String
}
