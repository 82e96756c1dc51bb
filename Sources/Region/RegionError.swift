/// Why a region file could not be read or a region could not be generated, and what to fix.
public enum RegionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not in the TOML subset, or a setting has the wrong type.
    case invalidFile(path: String, reason: String)
    /// A state code in the file is not two letters A–Z.
    case invalidState(key: String, found: String)
    /// A state is declared twice (as member and partner, or as the secretariat too).
    case duplicateState(String)
    /// A link names a state the file does not declare.
    case undeclaredState(state: String, link: String)
    /// A link is not written `AA-BB` (both ways) or `AA>BB` (one way), or links a state to itself.
    case invalidLink(key: String, found: String, expected: String)
    /// A link is listed twice.
    case duplicateLink(String)
    /// The output folder already has something in it.
    case outputNotEmpty(path: String)
    /// The ports from `--base-port` do not fit below 65 536.
    case portsOutOfRange(basePort: Int, nodes: Int)
    /// Setting up a node, the secretariat or the roster failed.
    case setup(String)
    /// A node process of the region could not be started.
    case cannotLaunch(state: String, reason: String)

    public var description: String {
        switch self {
        case .invalidFile(let path, let reason):
            "region file \(path): \(reason)"
        case .invalidState(let key, let found):
            "region file: '\(key)' must be a state code (two capital letters, ISO 3166-1 alpha-2), found \"\(found)\""
        case .duplicateState(let state):
            "region file: \(state) is declared twice; a state is a member, a partner or the secretariat, once"
        case .undeclaredState(let state, let link):
            "region file: the link \(link) names \(state), which is not under [members], [partners] or [secretariat]"
        case .invalidLink(let key, let found, let expected):
            "region file: '\(key)' has \"\(found)\"; expected \(expected)"
        case .duplicateLink(let link):
            "region file: the link \(link) is listed twice"
        case .outputNotEmpty(let path):
            "\(path) is not empty; the generator writes keys and never overwrites. Give a new or empty --out folder."
        case .portsOutOfRange(let basePort, let nodes):
            "--base-port \(basePort) leaves no room for \(2 * nodes) ports (two per node) below 65536"
        case .setup(let reason):
            reason
        case .cannotLaunch(let state, let reason):
            "cannot start the node of \(state): \(reason)"
        }
    }
}
