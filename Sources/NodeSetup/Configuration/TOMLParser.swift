/// The reader behind ``TOMLDocument``: one pass over the lines, every rule of TOML 1.0 that the
/// subset meets (key syntax, dotted keys, tables defined once, strict integers), every refusal
/// with the line. It works on Unicode scalars, not characters, so that a combining mark after a
/// quote cannot hide the quote.
struct TOMLParser {
    private typealias Path = [String]

    /// How a table came to exist, which decides what may still add to it (TOML 1.0, "Table").
    private enum Origin {
        /// The parent of a header (`[a.b]` implies `a`): a later `[a]` may still define it.
        case implied
        /// A `[header]`: only its own section adds keys to it.
        case header
        /// Dotted keys (`a.b = 1` defines `a`): only further dotted keys, and headers of sub-tables.
        case dotted
    }

    private var lines: [[Unicode.Scalar]] = []
    private var lineIndex = 0
    private var scalars: [Unicode.Scalar] = []
    private var position = 0

    private var tables: [Path: (origin: Origin, line: Int)] = [[]: (.header, 0)]
    private var values: [Path: Int] = [:]
    private var definedTables: [TOMLDocument.Table] = []
    private var settings: [TOMLDocument.Setting] = []

    init(text: String) {
        var current: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if current.last == "\r" { current.removeLast() }
                lines.append(current)
                current = []
            } else {
                current.append(scalar)
            }
        }
        if current.last == "\r" { current.removeLast() }
        lines.append(current)
        if lines[0].first == "\u{FEFF}" { lines[0].removeFirst() }
    }

    static func isBareKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }

    private var lineNumber: Int { lineIndex + 1 }
    private var column: Int { position + 1 }

    mutating func parse() throws(ConfigurationError) -> (settings: [TOMLDocument.Setting], tables: [TOMLDocument.Table]) {
        var section: Path = []
        while lineIndex < lines.count {
            scalars = lines[lineIndex]
            position = 0
            try refuseControlCharacters()
            skipSpaces()
            if !atEndOfContent {
                if scalars[position] == "[" {
                    section = try readHeader()
                } else {
                    try readKeyValue(in: section)
                }
            }
            lineIndex += 1
        }
        return (settings, definedTables)
    }

    // MARK: Lines

    /// TOML allows no control character but tab, even in comments; CR only before LF.
    private func refuseControlCharacters() throws(ConfigurationError) {
        for (index, scalar) in scalars.enumerated() where (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F {
            throw error("control character U+\(hex(scalar.value, width: 4)) at column \(index + 1) is not allowed; remove it")
        }
    }

    private var atEndOfContent: Bool { position >= scalars.count || scalars[position] == "#" }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func skipSpaces() {
        while let scalar = current, scalar == " " || scalar == "\t" { position += 1 }
    }

    private mutating func expectEndOfLine(after what: String) throws(ConfigurationError) {
        skipSpaces()
        guard atEndOfContent else {
            throw error("unexpected text after \(what): \(String(String.UnicodeScalarView(scalars[position...]))) (one setting per line; start comments with #)")
        }
    }

    // MARK: Tables and keys

    private mutating func readHeader() throws(ConfigurationError) -> Path {
        let line = lineNumber
        position += 1
        if current == "[" { throw error("arrays of tables ([[…]]) are not supported; use one [table] per name") }
        let path = try readKey(ending: "]", what: "table name")
        guard current == "]" else { throw error("expected ']' after the table name \(TOMLDocument.tableName(path))") }
        position += 1
        try expectEndOfLine(after: "the table header [\(TOMLDocument.tableName(path))]")
        for length in 1..<path.count {
            let parent = Array(path[..<length])
            if let valueLine = values[parent] {
                throw error("[\(TOMLDocument.tableName(path))]: '\(TOMLDocument.tableName(parent))' is a value (line \(valueLine)), not a table")
            }
            if tables[parent] == nil {
                tables[parent] = (.implied, line)
                definedTables.append(TOMLDocument.Table(name: TOMLDocument.tableName(parent), line: line))
            }
        }
        if let valueLine = values[path] {
            throw error("[\(TOMLDocument.tableName(path))]: '\(TOMLDocument.tableName(path))' is already a value (line \(valueLine))")
        }
        switch tables[path] {
        case nil:
            tables[path] = (.header, line)
            definedTables.append(TOMLDocument.Table(name: TOMLDocument.tableName(path), line: line))
        case (.implied, _)?:
            tables[path] = (.header, line)
        case (.header, let first)?:
            throw error("table [\(TOMLDocument.tableName(path))] is defined twice (first at line \(first)); merge the two")
        case (.dotted, let first)?:
            throw error(
                "table [\(TOMLDocument.tableName(path))] is already defined by dotted keys at line \(first); a table is defined once")
        }
        return path
    }

    private mutating func readKeyValue(in section: Path) throws(ConfigurationError) {
        let line = lineNumber
        let key = try readKey(ending: "=", what: "key")
        guard current == "=" else {
            throw error("expected '=' after the key \(TOMLDocument.tableName(key)) (settings are written key = value)")
        }
        position += 1
        skipSpaces()
        let value = try readValue(depth: 0)
        try expectEndOfLine(after: "the value of \(TOMLDocument.tableName(key))")
        let full = section + key
        let fullName = TOMLDocument.tableName(full)
        for length in section.count + 1..<full.count {
            let parent = Array(full[..<length])
            let parentName = TOMLDocument.tableName(parent)
            if let valueLine = values[parent] {
                throw error("'\(fullName)': '\(parentName)' is already a value (line \(valueLine)), so it cannot hold keys")
            }
            switch tables[parent] {
            case nil:
                tables[parent] = (.dotted, line)
                definedTables.append(TOMLDocument.Table(name: parentName, line: line))
            case (.dotted, _)?: break
            case (_, let first)?:
                throw error(
                    "'\(fullName)': the table [\(parentName)] is defined by a header (line \(first)); dotted keys cannot add to it, write the key under [\(parentName)]")
            }
        }
        if let first = values[full] {
            throw error("the key '\(fullName)' is set twice (first at line \(first)); keep one")
        }
        if let table = tables[full] {
            throw error("'\(fullName)' is already a table (line \(table.line)); it cannot also be a value")
        }
        values[full] = line
        settings.append(
            TOMLDocument.Setting(table: TOMLDocument.tableName(Array(full.dropLast())), key: full.last ?? "", value: value, line: line))
    }

    /// A bare, quoted or dotted key (`a`, `"a b"`, `'a'`, `a . "b" . c`), stopping before `terminator`.
    private mutating func readKey(ending terminator: Unicode.Scalar, what: String) throws(ConfigurationError) -> Path {
        var path: Path = []
        while path.count < TOMLDocument.maximumNesting {
            skipSpaces()
            guard let scalar = current, scalar != terminator, scalar != "#" else {
                throw error(path.isEmpty ? "a \(what) is missing" : "a \(what) ends with '.'; a part is missing after it")
            }
            switch scalar {
            case "\"":
                if lookingAt("\"\"\"") { throw error("a \(what) cannot be a multi-line string") }
                path.append(try readBasicString())
            case "'":
                if lookingAt("'''") { throw error("a \(what) cannot be a multi-line string") }
                path.append(try readLiteralString())
            default:
                var part = ""
                while let scalar = current, Self.isBareKeyScalar(scalar) {
                    part.unicodeScalars.append(scalar)
                    position += 1
                }
                guard !part.isEmpty else {
                    throw error(
                        "'\(Character(scalar))' is not allowed in a bare \(what) (use letters, digits, '_' and '-', dots between parts, or put the \(what) in quotes)"
                    )
                }
                path.append(part)
            }
            skipSpaces()
            guard current == "." else { return path }
            position += 1
        }
        throw error("a \(what) has more than \(TOMLDocument.maximumNesting) dotted parts")
    }

    // MARK: Values

    private mutating func readValue(depth: Int) throws(ConfigurationError) -> TOMLValue {
        guard let scalar = current, scalar != "#" else { throw error("a value is missing after '='") }
        switch scalar {
        case "\"":
            if lookingAt("\"\"\"") {
                throw error("multi-line strings (\"\"\") are not supported; write the string on one line, with \\n for line breaks")
            }
            return .string(try readBasicString())
        case "'":
            if lookingAt("'''") { throw error("multi-line strings (''') are not supported; write the string on one line") }
            return .string(try readLiteralString())
        case "[": return .array(try readArray(depth: depth + 1))
        case "{": throw error("inline tables ({ … }) are not supported here; use a [table] header")
        default: return try readScalarValue()
        }
    }

    private func lookingAt(_ text: String) -> Bool {
        let wanted = Array(text.unicodeScalars)
        return position + wanted.count <= scalars.count && Array(scalars[position..<position + wanted.count]) == wanted
    }

    private mutating func readBasicString() throws(ConfigurationError) -> String {
        position += 1
        var value = ""
        while let scalar = current {
            position += 1
            switch scalar {
            case "\"": return value
            case "\\":
                guard let escaped = current else { throw error("a string ends with '\\'; write \\\\ for a backslash") }
                position += 1
                switch escaped {
                case "\"": value += "\""
                case "\\": value += "\\"
                case "b": value += "\u{8}"
                case "t": value += "\t"
                case "n": value += "\n"
                case "f": value += "\u{C}"
                case "r": value += "\r"
                case "u": value.unicodeScalars.append(try readUnicodeEscape(digits: 4))
                case "U": value.unicodeScalars.append(try readUnicodeEscape(digits: 8))
                default: throw error("unknown escape \\\(escaped) in a string (write \\\\ for a backslash)")
                }
            default: value.unicodeScalars.append(scalar)
            }
        }
        throw error("a string is not closed with '\"' on its line")
    }

    private mutating func readUnicodeEscape(digits: Int) throws(ConfigurationError) -> Unicode.Scalar {
        var code: UInt32 = 0
        for _ in 0..<digits {
            guard let scalar = current, let digit = hexValue(scalar) else {
                throw error("\\\(digits == 4 ? "u" : "U") needs \(digits) hexadecimal digits")
            }
            code = code << 4 | digit
            position += 1
        }
        guard let scalar = Unicode.Scalar(code) else {
            throw error("\\\(digits == 4 ? "u" : "U")\(hex(code, width: digits)) is not a Unicode character (surrogate or beyond U+10FFFF)")
        }
        return scalar
    }

    private func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 0x30
        case "a"..."f": scalar.value - 0x61 + 10
        case "A"..."F": scalar.value - 0x41 + 10
        default: nil
        }
    }

    private mutating func readLiteralString() throws(ConfigurationError) -> String {
        position += 1
        var value = ""
        while let scalar = current {
            position += 1
            if scalar == "'" { return value }
            value.unicodeScalars.append(scalar)
        }
        throw error("a string is not closed with \"'\" on its line")
    }

    /// A boolean or an integer; floats and dates are named, so that the refusal says why.
    private mutating func readScalarValue() throws(ConfigurationError) -> TOMLValue {
        var token = ""
        while let scalar = current, !" \t,]#".unicodeScalars.contains(scalar) {
            token.unicodeScalars.append(scalar)
            position += 1
        }
        if token == "true" { return .boolean(true) }
        if token == "false" { return .boolean(false) }
        if let integer = try integer(token) { return .integer(integer) }
        let written = Array(token.unicodeScalars)
        let digits = written.filter { ("0"..."9").contains($0) }.count
        func isDigit(_ index: Int) -> Bool { index < written.count && ("0"..."9").contains(written[index]) }
        let looksLikeDate = (0..<4).allSatisfy(isDigit) && written.count > 4 && written[4] == "-"
        let looksLikeTime = isDigit(0) && isDigit(1) && written.count > 2 && written[2] == ":"
        if looksLikeDate || looksLikeTime {
            throw error("dates and times are not supported; write the value as a string in quotes")
        }
        let looksLikeFloat = digits > 0 && written.allSatisfy { "0123456789_+-.eE".unicodeScalars.contains($0) }
        if ["inf", "+inf", "-inf", "nan", "+nan", "-nan"].contains(token) || looksLikeFloat {
            throw error("floating-point numbers are not supported; every number of the configuration is an integer")
        }
        let shown = token.isEmpty ? "nothing" : token
        throw error("expected a value (a string in quotes, an integer, true/false or an array), found \(shown); put text in quotes")
    }

    /// A TOML 1.0 integer: decimal without leading zeros, or `0x`/`0o`/`0b`; `_` only between
    /// digits. `nil` when `token` is not written as an integer at all.
    private func integer(_ token: String) throws(ConfigurationError) -> Int64? {
        var body = Substring(token)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        var radix = 10
        let prefixes: [(String, Int)] = [("0x", 16), ("0o", 8), ("0b", 2)]
        for (prefix, value) in prefixes where body.hasPrefix(prefix) {
            guard token.first != "+" && token.first != "-" else {
                throw error("a sign is not allowed before \(prefix) (hexadecimal, octal or binary integers)")
            }
            radix = value
            body = body.dropFirst(2)
        }
        let digitCharacters = "0123456789abcdefABCDEF".prefix(radix == 16 ? 22 : radix)
        guard let first = body.first, digitCharacters.contains(first) else { return nil }
        guard body.allSatisfy({ $0 == "_" || digitCharacters.contains($0) }) else { return nil }
        guard body.last != "_", !body.contains("__") else {
            throw error("'\(token)': '_' must stand between two digits")
        }
        let digits = body.filter { $0 != "_" }
        if radix == 10, digits.count > 1, digits.first == "0" {
            throw error("'\(token)': a decimal integer cannot start with 0")
        }
        let magnitude = UInt64(digits, radix: radix)
        let value: Int64? =
            switch (negative, magnitude) {
            case (false, let magnitude?): Int64(exactly: magnitude)
            case (true, let magnitude?) where magnitude == UInt64(Int64.max) + 1: Int64.min
            case (true, let magnitude?): Int64(exactly: magnitude).map { -$0 }
            case (_, nil): nil
            }
        guard let value else { throw error("'\(token)' does not fit in a 64-bit integer") }
        return value
    }

    private mutating func readArray(depth: Int) throws(ConfigurationError) -> [TOMLValue] {
        guard depth <= TOMLDocument.maximumNesting else {
            throw error("arrays nest deeper than \(TOMLDocument.maximumNesting) levels")
        }
        let openingLine = lineNumber
        position += 1
        var values: [TOMLValue] = []
        while true {
            try skipSpacesCommentsAndLineBreaks(openedAt: openingLine)
            if current == "]" {
                position += 1
                return values
            }
            if current == "," { throw error("a value is missing before ',' in the array") }
            values.append(try readValue(depth: depth))
            try skipSpacesCommentsAndLineBreaks(openedAt: openingLine)
            switch current {
            case ","?: position += 1
            case "]"?: break
            default: throw error("expected ',' or ']' in the array opened at line \(openingLine)")
            }
        }
    }

    /// Arrays may span lines, with comments inside.
    private mutating func skipSpacesCommentsAndLineBreaks(openedAt line: Int) throws(ConfigurationError) {
        skipSpaces()
        while atEndOfContent {
            guard lineIndex + 1 < lines.count else { throw error("the array opened at line \(line) is not closed with ']'") }
            lineIndex += 1
            scalars = lines[lineIndex]
            position = 0
            try refuseControlCharacters()
            skipSpaces()
        }
    }

    // MARK: Errors

    private func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// An error on the current line.
    private func error(_ message: String) -> ConfigurationError {
        .syntax(line: lineNumber, message: message)
    }
}
