/// A configuration file that could not be used, and where to fix it.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not valid in the TOML subset BorderNet reads.
    case syntax(line: Int, message: String)
    /// A setting has the wrong type or an impossible value; `line` is where it is set.
    case invalidSetting(key: String, line: Int?, expected: String, found: String)
    /// A setting that has no default is missing.
    case missingSetting(key: String)
    /// A setting BorderNet does not know (probably a typo); `known` lists the valid ones of its
    /// table, or every setting when it is outside any known table.
    case unknownSetting(key: String, line: Int, known: [String])
    /// A table BorderNet does not know; `known` lists the valid tables.
    case unknownTable(name: String, line: Int, known: [String])
    /// The file could not be read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let line, let message):
            "node.toml line \(line): \(message)"
        case .invalidSetting(let key, let line?, let expected, let found):
            "node.toml line \(line): '\(key)' must be \(expected), found \(found)"
        case .invalidSetting(let key, nil, let expected, let found):
            "node.toml: '\(key)' must be \(expected), found \(found)"
        case .missingSetting(let key):
            "node.toml: '\(key)' is required"
        case .unknownSetting(let key, let line, let known):
            "node.toml line \(line): unknown setting '\(key)'; the valid settings here are \(known.joined(separator: ", ")) (docs/CONFIGURATION.md)"
        case .unknownTable(let name, let line, let known):
            "node.toml line \(line): unknown table [\(name)]; the valid tables are \(known.map { "[\($0)]" }.joined(separator: ", ")) (docs/CONFIGURATION.md)"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        }
    }
}
