/// Who keeps a watch-list entry and receives its alerts: a console user, an agency system (its
/// credential's name in `console agency`), or the node's operator on the command line.
public enum WatchOwner: Sendable, Hashable, CustomStringConvertible {
    case user(String)
    case agency(String)
    case operatorOfNode

    /// The stored form: `user:NAME`, `agency:NAME`, `operator`.
    public var description: String {
        switch self {
        case .user(let name): "user:\(name)"
        case .agency(let name): "agency:\(name)"
        case .operatorOfNode: "operator"
        }
    }

    /// The owner of a stored form, `nil` for anything else.
    public init?(_ text: String) {
        if text == "operator" {
            self = .operatorOfNode
        } else if text.hasPrefix("user:"), text.count > 5, text.count <= 69 {
            self = .user(String(text.dropFirst(5)))
        } else if text.hasPrefix("agency:"), text.count > 7, text.count <= 71 {
            self = .agency(String(text.dropFirst(7)))
        } else {
            return nil
        }
    }
}
