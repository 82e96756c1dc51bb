/// A parsed TOML file, limited to what BorderNet's configuration needs: `[table]` headers,
/// `key = value` pairs with strings, integers, booleans and arrays, and `#` comments.
///
/// No TOML package in our allowed set builds without extra dependencies, and the subset is small.
/// Anything outside it (inline tables, floats, dates, multi-line strings, arrays of tables) is
/// refused with the line number, never silently misread.
public struct TOMLDocument: Sendable, Equatable {
    /// Values by table name (`""` for keys before the first header), then by key.
    public private(set) var tables: [String: [String: TOMLValue]] = [:]

    /// Parses `text`.
    public init(parsing text: String) throws(ConfigurationError) {
        var parser = Parser(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        tables = try parser.parse()
    }

    /// The value at `table.key`, if present.
    public func value(_ table: String, _ key: String) -> TOMLValue? {
        tables[table]?[key]
    }

    private struct Parser {
        let lines: [String]
        var lineIndex = 0
        var characters: [Character] = []
        var position = 0

        init(lines: [String]) {
            self.lines = lines
        }

        var lineNumber: Int { lineIndex + 1 }

        mutating func parse() throws(ConfigurationError) -> [String: [String: TOMLValue]] {
            var tables: [String: [String: TOMLValue]] = ["": [:]]
            var current = ""
            while lineIndex < lines.count {
                characters = Array(lines[lineIndex])
                position = 0
                skipSpaces()
                if atEndOfContent {
                    lineIndex += 1
                    continue
                }
                if characters[position] == "[" {
                    position += 1
                    let name = try readKey(until: "]")
                    guard next() == "]" else { throw error("expected ']' after the table name") }
                    try expectEndOfLine()
                    guard tables[name] == nil || name.isEmpty else { throw error("table [\(name)] is defined twice") }
                    tables[name] = tables[name] ?? [:]
                    current = name
                } else {
                    let key = try readKey(until: "=")
                    guard next() == "=" else { throw error("expected '=' after the key '\(key)'") }
                    skipSpaces()
                    let value = try readValue()
                    try expectEndOfLine()
                    guard tables[current]?[key] == nil else { throw error("the key '\(key)' is set twice") }
                    tables[current, default: [:]][key] = value
                }
                lineIndex += 1
            }
            return tables
        }

        var atEndOfContent: Bool { position >= characters.count || characters[position] == "#" }

        mutating func skipSpaces() {
            while position < characters.count, characters[position] == " " || characters[position] == "\t" { position += 1 }
        }

        mutating func next() -> Character? {
            skipSpaces()
            guard position < characters.count else { return nil }
            defer { position += 1 }
            return characters[position]
        }

        mutating func expectEndOfLine() throws(ConfigurationError) {
            skipSpaces()
            guard atEndOfContent else { throw error("unexpected text after the value: \(String(characters[position...]))") }
        }

        /// A bare or dotted key (letters, digits, `_`, `-`, `.`).
        mutating func readKey(until terminator: Character) throws(ConfigurationError) -> String {
            skipSpaces()
            var key = ""
            while position < characters.count, characters[position] != terminator, characters[position] != " " {
                let c = characters[position]
                guard c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." else {
                    throw error("'\(c)' is not allowed in a key (use letters, digits, '_', '-', '.')")
                }
                key.append(c)
                position += 1
            }
            guard !key.isEmpty else { throw error("a key or table name is missing") }
            return key
        }

        mutating func readValue() throws(ConfigurationError) -> TOMLValue {
            skipSpaces()
            guard position < characters.count else { throw error("a value is missing") }
            switch characters[position] {
            case "\"": return .string(try readBasicString())
            case "'": return .string(try readLiteralString())
            case "[": return .array(try readArray())
            case "t", "f": return .boolean(try readBoolean())
            case "{": throw error("inline tables are not supported here; use a [table] header")
            default: return .integer(try readInteger())
            }
        }

        mutating func readBasicString() throws(ConfigurationError) -> String {
            position += 1
            var value = ""
            while position < characters.count {
                let c = characters[position]
                position += 1
                switch c {
                case "\"": return value
                case "\\":
                    guard position < characters.count else { break }
                    let escaped = characters[position]
                    position += 1
                    switch escaped {
                    case "\"": value.append("\"")
                    case "\\": value.append("\\")
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    case "r": value.append("\r")
                    case "u":
                        guard position + 4 <= characters.count,
                            let scalar = UInt32(String(characters[position..<position + 4]), radix: 16).flatMap(Unicode.Scalar.init)
                        else { throw error("\\u needs four hexadecimal digits of a valid character") }
                        value.unicodeScalars.append(scalar)
                        position += 4
                    default: throw error("unknown escape \\\(escaped) in a string")
                    }
                default: value.append(c)
                }
            }
            throw error("a string is not closed with '\"' on its line")
        }

        mutating func readLiteralString() throws(ConfigurationError) -> String {
            position += 1
            var value = ""
            while position < characters.count {
                let c = characters[position]
                position += 1
                if c == "'" { return value }
                value.append(c)
            }
            throw error("a string is not closed with \"'\" on its line")
        }

        mutating func readBoolean() throws(ConfigurationError) -> Bool {
            for (word, value) in [("true", true), ("false", false)] {
                let end = position + word.count
                if end <= characters.count, String(characters[position..<end]) == word {
                    position = end
                    return value
                }
            }
            throw error("expected true or false")
        }

        mutating func readInteger() throws(ConfigurationError) -> Int64 {
            var text = ""
            while position < characters.count, characters[position].isNumber || "+-_".contains(characters[position]) {
                if characters[position] != "_" { text.append(characters[position]) }
                position += 1
            }
            guard let value = Int64(text), position >= characters.count || " \t#,]".contains(characters[position]) else {
                throw error("expected a string in quotes, an integer, true/false or an array")
            }
            return value
        }

        mutating func readArray() throws(ConfigurationError) -> [TOMLValue] {
            position += 1
            var values: [TOMLValue] = []
            while true {
                skipSpacesAndLineBreaks()
                guard lineIndex < lines.count else { throw error("an array is not closed with ']'") }
                if characters[position] == "]" {
                    position += 1
                    return values
                }
                values.append(try readValue())
                skipSpacesAndLineBreaks()
                guard lineIndex < lines.count else { throw error("an array is not closed with ']'") }
                if characters[position] == "," {
                    position += 1
                } else if characters[position] != "]" {
                    throw error("expected ',' or ']' in an array")
                }
            }
        }

        /// Arrays may span lines; comments inside them are skipped.
        mutating func skipSpacesAndLineBreaks() {
            skipSpaces()
            while atEndOfContent, lineIndex + 1 < lines.count {
                lineIndex += 1
                characters = Array(lines[lineIndex])
                position = 0
                skipSpaces()
            }
            if atEndOfContent { lineIndex = lines.count }
        }

        func error(_ message: String) -> ConfigurationError {
            .syntax(line: lineNumber, message: message)
        }
    }
}
