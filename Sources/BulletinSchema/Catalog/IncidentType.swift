/// One kind of incident a bulletin can report (`drug-trafficking`, `document-fraud` …), loaded
/// from `Schemas/incidents/<id>.schema.json`.
public struct IncidentType: Sendable, Hashable, Codable, Identifiable {
    /// The type's identifier, the value of a bulletin's `incidentType` and the file's name.
    public let id: String
    /// The type's name in the three languages.
    public let labels: LocalizedText
    /// What the type covers, in the three languages.
    public let descriptions: LocalizedText
    /// The fields of the bulletin's `details` object for this type.
    public let fields: [FieldDescription]
    /// The schema file, relative to the schema directory.
    public let file: String

    /// An incident type; ``SchemaCatalog`` builds these from the files, a caller may build one to
    /// present other fields (the common bulletin fields) the same way.
    public init(id: String, labels: LocalizedText, descriptions: LocalizedText, fields: [FieldDescription], file: String) {
        self.id = id
        self.labels = labels
        self.descriptions = descriptions
        self.fields = fields
        self.file = file
    }
}
