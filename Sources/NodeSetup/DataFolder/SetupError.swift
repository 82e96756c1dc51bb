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
        }
    }
}
