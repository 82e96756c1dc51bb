/// The working languages of the exchange: every label, description and message exists in each.
public enum Language: String, Sendable, CaseIterable, Codable {
    /// Arabic (العربية).
    case ar
    /// French (français).
    case fr
    /// English.
    case en

    /// The language's own name, e.g. `العربية` for Arabic.
    public var nativeName: String {
        switch self {
        case .ar: return "العربية"
        case .fr: return "français"
        case .en: return "English"
        }
    }
}
