import BulletinSchema
import NodeSetup

/// Why `bordernet post` could not make the draft it would send, and what to do.
enum PostError: Error, CustomStringConvertible {
    /// `--file` could not be read.
    case unreadableFile(path: String, reason: String)
    /// `--file` or `--details` is not a usable JSON object.
    case invalidJSON(JSONInputError)
    /// The location's country defaults to this node's state, and its card could not be read.
    case unreadableCard(data: String, cause: SetupError)
    /// The draft names the version of the schemas, and they could not be found or loaded.
    case schemasUnavailable(cause: SchemaLoadError)

    var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .invalidJSON(let error):
            error.description
        case .unreadableCard(let data, let cause):
            "this node's state (the bulletin's default --country) comes from its card, which cannot be read: \(cause). "
                + "Give --data the node's data folder (it is \(data)), or say where it happened with --country."
        case .schemasUnavailable(let cause):
            "the draft names the version of the schemas, which cannot be read: \(cause). "
                + "Set \(SchemaLocator.environmentVariable) to the schema folder, or post a complete draft with --file."
        }
    }
}
