/// A field of a bulletin or of an incident type's details, as the schema describes it: what
/// `bordernet schema show` prints and what a form would be built from.
public struct FieldDescription: Sendable, Hashable, Codable {
    /// The JSON member name, e.g. `calibre`.
    public let name: String
    /// The field's label in the three languages.
    public let labels: LocalizedText
    /// What the field means, in the three languages.
    public let descriptions: LocalizedText
    /// Whether the field must be present.
    public let required: Bool
    /// The accepted JSON types (`["array"]`, `["string"]` …); empty when any type is accepted.
    public let types: [JSONType]
    /// The accepted values when the field is an enumeration (for arrays: of its elements), each
    /// with its label in the three languages, in the schema's order.
    public let allowedValues: [AllowedValue]
    /// The `x-check` applied to the field, if any.
    public let check: XCheck?
    /// The fields of an object value (for arrays: of its elements).
    public let fields: [FieldDescription]
    /// The schema version that added the field (`x-since`), when it was not there from the start
    /// of its major version: a bulletin declaring an earlier version may not carry it.
    public let addedIn: SchemaVersion?
}

/// One value of an enumerated field and what it means, e.g. `wanted-for-arrest` labelled
/// «مطلوب للقبض عليه» / «Recherché aux fins d'arrestation» / "Wanted for arrest".
public struct AllowedValue: Sendable, Hashable, Codable {
    /// The value as the bulletin's JSON carries it.
    public let value: String
    /// Its label in the three languages (`x-enum-labels`).
    public let labels: LocalizedText
    /// The schema version that added the value to an enumeration that existed before
    /// (`x-enum-since`), if any.
    public let addedIn: SchemaVersion?

    /// A value and its labels; the catalog builds these from the schemas, a form may add its own
    /// choices (yes/no, grades) in the same shape.
    public init(value: String, labels: LocalizedText, addedIn: SchemaVersion? = nil) {
        self.value = value
        self.labels = labels
        self.addedIn = addedIn
    }
}
