/// One text in Arabic, French and English, as the schemas' `x-labels` and `x-descriptions` carry it.
public struct LocalizedText: Sendable, Hashable, Codable {
    /// The Arabic text.
    public let ar: String
    /// The French text.
    public let fr: String
    /// The English text.
    public let en: String

    /// A text given in all three languages.
    public init(ar: String, fr: String, en: String) {
        self.ar = ar
        self.fr = fr
        self.en = en
    }

    /// The text in `language`.
    public subscript(language: Language) -> String {
        switch language {
        case .ar: return ar
        case .fr: return fr
        case .en: return en
        }
    }

    /// Reads `{"ar": …, "fr": …, "en": …}`; `nil` unless all three are non-empty strings.
    init?(_ value: JSONValue?) {
        guard let members = value?.objectValue,
            let ar = members["ar"]?.stringValue, !ar.isEmpty,
            let fr = members["fr"]?.stringValue, !fr.isEmpty,
            let en = members["en"]?.stringValue, !en.isEmpty
        else { return nil }
        self.init(ar: ar, fr: fr, en: en)
    }
}
