/// A file that refused access, and who asked: what an operator needs to fix a permission problem.
public struct AccessRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The file or folder that refused.
    public let path: String
    /// Its owner, as `user:group` names (numeric ids when a name is unknown).
    public let owner: String
    /// Its permission bits, e.g. `0700`.
    public let mode: String
    /// The user this process runs as, as `name (uid N)`.
    public let requester: String

    /// A refusal from its parts (for tests of messages built on it).
    public init(path: String, owner: String, mode: String, requester: String) {
        self.path = path
        self.owner = owner
        self.mode = mode
        self.requester = requester
    }

    public var description: String {
        "\(path) is owned by \(owner) with mode \(mode), and this command runs as \(requester)"
    }
}
