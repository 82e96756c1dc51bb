import BulletinSchema
/// A parsed TOML file, limited to what BorderNet's configuration needs: `[table]` headers,
/// `key = value` pairs with bare, quoted and dotted keys, strings, integers, booleans and arrays,
/// and `#` comments.
///
/// No TOML package in our allowed set builds without extra dependencies, and the subset is small.
/// Within it the rules are TOML 1.0's: `a.b = 1` at the top is `[a]` with `b = 1`, dotted keys
/// inside a table add sub-tables to it, a key or table is defined once. Anything outside the
/// subset (inline tables, floats, dates, multi-line strings, arrays of tables) is refused with the
/// line number, never silently misread; no input makes the reader trap (arrays and keys nest at
/// most ``maximumNesting`` levels).
public struct TOMLDocument: Sendable, Equatable {
    /// One `key = value` of the file.
    public struct Setting: Sendable, Equatable {
        /// The name of the table that holds it (``TOMLDocument/tableName(_:)``), `""` for the top.
        public let table: String
        /// Its own key: the last part of a dotted key, unquoted.
        public let key: String
        /// Its value.
        public let value: TOMLValue
        /// The line that sets it, from 1.
        public let line: Int

        /// The full dotted name, e.g. `network.publish`, as an operator would write it.
        public var name: String {
            table.isEmpty ? TOMLDocument.tableName([key]) : table + "." + TOMLDocument.tableName([key])
        }
    }

    /// A table the file defines: by a `[header]`, by dotted keys (`a.b = 1` defines `a`), or
    /// implied as the parent of a header (`[a.b]` implies `a`).
    public struct Table: Sendable, Equatable {
        /// Its dotted name, parts quoted where TOML needs it.
        public let name: String
        /// The line that first names it.
        public let line: Int
    }

    /// The deepest nesting accepted: arrays inside arrays, and parts of one dotted key or header.
    public static let maximumNesting = 32

    /// Values by table name (`""` for the top level, `a.b` for a sub-table), then by key. Every
    /// table the file defines is present, even when it holds no value.
    public private(set) var tables: [String: [String: TOMLValue]] = [:]
    /// Every `key = value` of the file, in the order of the file.
    public private(set) var settings: [Setting] = []
    /// Every table the file defines or implies (not the top level), in the order of the file.
    public private(set) var definedTables: [Table] = []

    /// Parses `text`.
    public init(parsing text: String) throws(ConfigurationError) {
        var parser = TOMLParser(text: text)
        let parsed = try parser.parse()
        settings = parsed.settings
        definedTables = parsed.tables
        tables[""] = [:]
        for table in parsed.tables { tables[table.name] = [:] }
        for setting in parsed.settings { tables[setting.table, default: [:]][setting.key] = setting.value }
    }

    /// Parses a file's bytes, refusing bytes that are not UTF-8 with the line and column of the
    /// first one (instead of reading them as replacement characters).
    public init(bytes: some Collection<UInt8>) throws(ConfigurationError) {
        let bytes = Array(bytes)
        if let offset = UTF8Check.firstInvalidOffset(in: bytes) {
            let before = bytes[..<offset]
            let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            // Continuation bytes (10xxxxxx) do not start a character.
            let column = bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count + 1
            throw ConfigurationError.syntax(
                line: line,
                message: "the file is not valid UTF-8: byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at column \(column); save it as UTF-8")
        }
        try self.init(parsing: String(decoding: bytes, as: UTF8.self))
    }

    /// The value at `table.key`, if present.
    public func value(_ table: String, _ key: String) -> TOMLValue? {
        tables[table]?[key]
    }

    /// The line that sets `table.key`, if it is set.
    public func line(_ table: String, _ key: String) -> Int? {
        settings.first { $0.table == table && $0.key == key }?.line
    }

    /// The name of the table at `path`, as written in a header: parts joined by dots, each part
    /// quoted unless it is a bare key (letters, digits, `_`, `-`).
    public static func tableName(_ path: [String]) -> String {
        path.map { part in
            if !part.isEmpty, part.unicodeScalars.allSatisfy(TOMLParser.isBareKeyScalar) { return part }
            var quoted = "\""
            for scalar in part.unicodeScalars {
                switch scalar {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    quoted += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                default: quoted.unicodeScalars.append(scalar)
                }
            }
            return quoted + "\""
        }.joined(separator: ".")
    }
}
