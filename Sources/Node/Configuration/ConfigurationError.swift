/// A configuration file that could not be used, and where to fix it.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not valid in the TOML subset BorderNet reads.
    case syntax(line: Int, message: String)
    /// A setting has the wrong type or an impossible value.
    case invalidSetting(key: String, expected: String, found: String)
    /// A setting that has no default is missing.
    case missingSetting(key: String)
    /// A setting BorderNet does not know (probably a typo).
    case unknownSetting(key: String)
    /// The file could not be read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let line, let message):
            "node.toml line \(line): \(message)"
        case .invalidSetting(let key, let expected, let found):
            "node.toml: '\(key)' must be \(expected), found \(found)"
        case .missingSetting(let key):
            "node.toml: '\(key)' is required"
        case .unknownSetting(let key):
            "node.toml: unknown setting '\(key)' (see docs/CONFIGURATION.md for the settings)"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        }
    }
}
