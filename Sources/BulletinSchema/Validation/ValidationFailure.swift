/// One reason a bulletin is refused: where (a JSON pointer into the bulletin), which rule
/// (the schema keyword), what was expected and what was found. Render it for an officer with
/// ``message(in:)`` or ``line(in:)``.
public struct ValidationFailure: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The failing value, e.g. `/details/mrz/1`; the empty pointer is the whole bulletin.
    public let pointer: JSONPointer
    /// The keyword that failed: a JSON Schema keyword (`required`, `pattern`, …), `x-check`, or one
    /// of the bulletin-level rules `x-max-bytes`, `x-json`, `x-schema-version`, `x-incident-type`,
    /// `x-stage`, `x-text` (the text rule, ``DisplayText``).
    public let keyword: String
    /// What was expected and what was found.
    public let reason: ValidationReason
    /// The label of the field concerned, when the schema gives one.
    public let field: LocalizedText?
    /// The schema object that produced the failure (`file#pointer`), for schema authors.
    public let schemaLocation: String?

    /// A failure at `pointer` for `keyword`.
    public init(pointer: JSONPointer, keyword: String, reason: ValidationReason, field: LocalizedText? = nil, schemaLocation: String? = nil) {
        self.pointer = pointer
        self.keyword = keyword
        self.reason = reason
        self.field = field
        self.schemaLocation = schemaLocation
    }

    /// What is wrong, in `language`, without the pointer. Safe to print: a value or member name
    /// quoted from the bulletin is neutralised (``DisplayText/neutralised(_:keepingLineBreaks:)``),
    /// since the bulletin may come from a hostile node.
    public func message(in language: Language) -> String {
        DisplayText.neutralised(reason.message(in: language))
    }

    /// One line for a terminal or a log: `pointer (label) [keyword]: message`, neutralised like
    /// ``message(in:)`` (the pointer itself may name a member the sender chose).
    public func line(in language: Language) -> String {
        let place = pointer.tokens.isEmpty ? "/" : pointer.description
        let label = field.map { " (\($0[language]))" } ?? ""
        return DisplayText.neutralised("\(place)\(label) [\(keyword)]: \(reason.message(in: language))")
    }

    public var description: String { line(in: .en) }
}
