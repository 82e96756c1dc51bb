import Exchange

/// Why setting up or loading a node's (or the secretariat's) data folder failed, and what to do.
public enum SetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file that must not be overwritten already exists.
    case alreadyExists(path: String)
    /// A file the operation needs is missing.
    case missing(path: String, what: String)
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)
    /// A file's content is not what it should be.
    case invalidContent(path: String, reason: String)
    /// A key file can be read by other users.
    case keyFileTooOpen(path: String, mode: String)
    /// An argument given on the command line is not usable.
    case invalidArgument(String)
    /// A roster could not be installed.
    case rosterRefused(String)
    /// The roster declares that this node reads a newer bulletin schema version (or another
    /// major one) than the schemas it loads: origins would send it bulletins it refuses.
    case readsSchemaBeyondSchemas(
        state: StateCode, declared: BodySchemaVersion, loaded: BodySchemaVersion, rosterVersion: UInt64, schemas: String)

    public var description: String {
        switch self {
        case .alreadyExists(let path):
            "\(path) already exists; BorderNet never overwrites keys or a node's setup. Use another --data folder or remove it deliberately."
        case .missing(let path, let what):
            "the \(what) is missing: \(path). Is --data the right folder, and was `bordernet init` (or `secretariat init`) run?"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        case .invalidContent(let path, let reason):
            "\(path) is not valid: \(reason)"
        case .keyFileTooOpen(let path, let mode):
            "\(path) has mode \(mode) and may be read by others; run `chmod 600 \(path)` after checking who could have read it"
        case .invalidArgument(let message):
            message
        case .rosterRefused(let reason):
            "roster refused: \(reason)"
        case .readsSchemaBeyondSchemas(let state, let declared, let loaded, let version, let schemas):
            "the roster (version \(version)) declares that \(state) reads bulletin schema \(declared), but this node's schemas "
                + "(\(schemas)) are \(loaded): its neighbours would send it bulletins it must refuse. Install schemas \(declared) "
                + "(the BorderNet release that ships them) and point paths.schemas or BORDERNET_SCHEMAS at them, or ask the "
                + "secretariat for a roster declaring that \(state) reads \(loaded)"
        }
    }
}
