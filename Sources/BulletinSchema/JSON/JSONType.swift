/// The seven value types of JSON Schema's `type` keyword.
public enum JSONType: String, Sendable, CaseIterable, Codable {
    case null
    case boolean
    case integer
    case number
    case string
    case array
    case object

    /// This type's bit in a set of types (``EvaluatedNode/admittedTypes``: `"type": "number"` also
    /// admits every integer).
    var bit: UInt8 {
        switch self {
        case .null: 1
        case .boolean: 2
        case .integer: 4
        case .number: 8
        case .string: 16
        case .array: 32
        case .object: 64
        }
    }

    /// The name of the type in `language`, for messages.
    public func name(in language: Language) -> String {
        switch (self, language) {
        case (.null, .en): return "null"
        case (.null, .fr): return "null"
        case (.null, .ar): return "قيمة فارغة (null)"
        case (.boolean, .en): return "boolean"
        case (.boolean, .fr): return "booléen"
        case (.boolean, .ar): return "قيمة منطقية"
        case (.integer, .en): return "integer"
        case (.integer, .fr): return "entier"
        case (.integer, .ar): return "عدد صحيح"
        case (.number, .en): return "number"
        case (.number, .fr): return "nombre"
        case (.number, .ar): return "عدد"
        case (.string, .en): return "string"
        case (.string, .fr): return "chaîne de caractères"
        case (.string, .ar): return "سلسلة نصية"
        case (.array, .en): return "array"
        case (.array, .fr): return "tableau"
        case (.array, .ar): return "مصفوفة"
        case (.object, .en): return "object"
        case (.object, .fr): return "objet"
        case (.object, .ar): return "كائن"
        }
    }
}
