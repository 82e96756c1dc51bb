
/// A JSON object that a person or a local program gives BorderNet — `post --details`, a draft file
/// given to `post`, a control request — read strictly, with an error that says exactly what is
/// wrong and where, instead of one "is not a JSON object" for every mistake.
public enum JSONObjectInput {
    /// The deepest nesting of objects and arrays accepted (a bulletin needs far fewer levels; the
    /// bound keeps a hostile input from exhausting the stack).
    public static let maximumDepth = 32

    /// The members of the JSON object in `bytes`; `source` names the input in the error
    /// (`--details`, a file's path, `control request`).
    public static func parse(_ bytes: [UInt8], source: String) throws(JSONInputError) -> [String: JSONValue] {
        if let offset = UTF8Check.firstInvalidOffset(in: bytes) {
            throw JSONInputError(source: source, problem: .invalidUTF8(byte: offset + 1, value: bytes[offset]))
        }
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            throw JSONInputError(source: source, problem: .empty)
        }
        let value: JSONValue
        do {
            value = try JSONParser(maximumDepth: maximumDepth).parse(bytes)
        } catch {
            let (line, column) = position(of: error.offset, in: bytes)
            if case .tooDeep(let limit) = error.reason {
                throw JSONInputError(source: source, problem: .tooDeep(limit: limit, line: line, column: column))
            }
            throw JSONInputError(source: source, problem: .invalidJSON(reason: explanation(of: error.reason), line: line, column: column))
        }
        guard case .object(let members) = value else {
            throw JSONInputError(source: source, problem: .notAnObject(kind: kind(of: value)))
        }
        return members
    }

    /// The line and column (from 1; columns count characters) of byte `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        let before = bytes[..<end]
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        // Continuation bytes (10xxxxxx) do not start a character.
        let column = bytes[lineStart..<end].filter { $0 & 0xC0 != 0x80 }.count + 1
        return (line, column)
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .decimal: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private static func explanation(of reason: JSONParseError.Reason) -> String {
        switch reason {
        case .unexpectedEnd: "the text ends in the middle of a value (a missing '}', ']' or '\"'?)"
        case .unexpectedByte(let byte) where byte >= 0x20 && byte < 0x7F: "unexpected '\(Character(Unicode.Scalar(byte)))'"
        case .unexpectedByte(0x0A), .unexpectedByte(0x0D): "unexpected end of line"
        case .unexpectedByte(let byte): "unexpected byte 0x\(String(byte, radix: 16, uppercase: true))"
        case .invalidNumber: "malformed number"
        case .numberOutOfRange: "number too large to represent"
        case .invalidEscape: "invalid escape in a string (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX are allowed)"
        case .invalidUnicodeEscape: "invalid \\u escape (bad hexadecimal digits or a lone surrogate)"
        case .controlCharacterInString: "a control character inside a string (write \\n, \\t or \\u00XX)"
        case .invalidUTF8: "text that is not UTF-8"
        case .duplicateMember(let name): "member \"\(name)\" appears twice in one object"
        case .tooDeep(let limit): "values nested deeper than \(limit) levels"
        case .trailingData: "extra text after the JSON value"
        }
    }
}
