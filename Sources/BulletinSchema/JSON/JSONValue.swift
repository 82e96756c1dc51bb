/// A JSON value as BorderNet reads it.
///
/// Integers and decimals are kept apart (`12` is ``integer(_:)``, `12.5` and `1e3` are
/// ``decimal(_:)``) and booleans are never numbers, so that `"type": "integer"` and
/// `"type": "boolean"` mean exactly what JSON Schema says. Two numbers compare equal when their
/// mathematical values are equal (`1 == 1.0`), as JSON Schema requires for `enum`, `const` and
/// `uniqueItems`.
public enum JSONValue: Sendable, Hashable, CustomStringConvertible {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other finite number.
    case decimal(Double)
    /// A string, already unescaped.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// An object; duplicate member names are refused by ``JSONParser``.
    case object([String: JSONValue])

    /// The JSON Schema type of this value (an integral decimal such as `2.0` is an `integer`).
    public var schemaType: JSONType {
        switch self {
        case .null: return .null
        case .bool: return .boolean
        case .integer: return .integer
        case .decimal(let value): return value.rounded() == value ? .integer : .number
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    /// The numeric value, or `nil` when this is not a number.
    public var numberValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .decimal(let value): return value
        default: return nil
        }
    }

    /// The string, or `nil` when this is not a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The members, or `nil` when this is not an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, or `nil` when this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The member named `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case (.integer, .decimal), (.decimal, .integer), (.decimal, .decimal):
            return lhs.numberValue == rhs.numberValue
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .integer, .decimal: hasher.combine(numberValue ?? 0)
        case .string(let value): hasher.combine(value)
        case .array(let value): hasher.combine(value)
        case .object(let value): hasher.combine(value)
        }
    }

    /// Compact JSON text, members in sorted order (used in messages, not for signing).
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .decimal(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .string(let value): return JSONValue.quoted(value)
        case .array(let values): return "[" + values.map(\.description).joined(separator: ",") + "]"
        case .object(let members):
            let body = members.keys.sorted().map { key in
                JSONValue.quoted(key) + ":" + (members[key]?.description ?? "null")
            }
            return "{" + body.joined(separator: ",") + "}"
        }
    }

    /// The description cut to `limit` characters, for error messages about large values.
    func abbreviated(_ limit: Int = 60) -> String {
        let text = description
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // Controls must be escaped in JSON; the other code points the text rule refuses
                // (C1, separators, bidi overrides and isolates) may be, and are, so that a value
                // quoted in a message cannot reorder or rewrite the line it is printed on.
                if scalar.value < 0x20 || DisplayText.isForbidden(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
