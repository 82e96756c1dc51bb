/// The keywords a BorderNet schema file may use. Anything else is refused at load time, so that
/// a keyword we do not enforce can never be silently ignored.
public enum SchemaKeyword {
    /// Keywords of JSON Schema draft 2020-12 that ``SchemaCatalog`` enforces.
    public static let validation: Set<String> = [
        "type", "properties", "required", "additionalProperties", "minProperties",
        "enum", "const", "pattern", "format", "minimum", "maximum", "minLength", "maxLength",
        "items", "minItems", "maxItems", "uniqueItems", "$ref", "$defs", "allOf", "oneOf",
    ]

    /// BorderNet's own validation keywords: `x-check`, naming one of ``XCheck``; `x-text`
    /// (`"multiline"`: the string may contain line feeds and tabs); `x-ordered` and `x-distinct`
    /// (pairs of member names compared with each other); `x-since` (`"1.1"`: the member, or the
    /// incident type at the root of its file, was added in that minor version, so a bulletin
    /// declaring an earlier one may not use it); `x-enum-since` (`{"VALUE": "1.2"}`: the same for
    /// values added to an enumeration that existed before).
    public static let extensions: Set<String> = ["x-check", "x-text", "x-ordered", "x-distinct", "x-since", "x-enum-since"]

    /// Keywords that only annotate (documentation, labels, versioning); allowed, never enforced
    /// on a bulletin. `x-enum-labels` (the ar/fr/en label of each value of an `enum`) is checked
    /// for completeness when the files load.
    public static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "examples", "default",
        "x-labels", "x-descriptions", "x-enum-labels", "x-schema-version", "x-incident-type",
    ]

    /// Every keyword a schema file may contain.
    public static let all: Set<String> = validation.union(extensions).union(annotations)

    /// The formats of the `format` keyword that are enforced (any other is refused at load).
    public static let formats: Set<String> = Set(StringFormat.allCases.map(\.rawValue))

    /// The dialect every file must declare in `$schema`.
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"
}
