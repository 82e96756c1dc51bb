/// Why a call on a local file failed: the file, what was attempted, and the operating system's
/// own message (`strerror`), so that an operator can act on it.
public enum LocalFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists, and the call only creates new files.
    case alreadyExists(path: String)
    /// The file could not be created or opened.
    case cannotCreate(path: String, reason: String)
    /// The file's permissions could not be set to `permissions`.
    case cannotSetPermissions(path: String, permissions: FilePermissions, reason: String)
    /// Writing, flushing or renaming the file failed.
    case cannotWrite(path: String, reason: String)
    /// The file could not be removed.
    case cannotRemove(path: String, reason: String)

    /// The file the failure is about.
    public var path: String {
        switch self {
        case .alreadyExists(let path), .cannotCreate(let path, _), .cannotSetPermissions(let path, _, _),
            .cannotWrite(let path, _), .cannotRemove(let path, _):
            path
        }
    }

    /// The operating system's message (`strerror`), e.g. `Permission denied`.
    public var reason: String {
        switch self {
        case .alreadyExists: "File exists"
        case .cannotCreate(_, let reason), .cannotSetPermissions(_, _, let reason), .cannotWrite(_, let reason),
            .cannotRemove(_, let reason):
            reason
        }
    }

    public var description: String {
        switch self {
        case .alreadyExists(let path): "\(path) already exists"
        case .cannotCreate(let path, let reason): "cannot create \(path): \(reason)"
        case .cannotSetPermissions(let path, let permissions, let reason):
            "cannot set the mode of \(path) to \(permissions): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .cannotRemove(let path, let reason): "cannot remove \(path): \(reason)"
        }
    }
}
