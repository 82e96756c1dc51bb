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

    /// The owner of a stored form, `nil` for anything else: a name is 1–64 characters, without
    /// control characters or spaces at either end.
    public init?(_ text: String) {
        let name = text.drop { $0 != ":" }.dropFirst()
        guard text == "operator" || (!name.isEmpty && name.unicodeScalars.allSatisfy { !$0.properties.isWhitespace || $0 == " " }
            && !name.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }
            && name.first != " " && name.last != " ")
        else { return nil }
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

    /// What kind of owner, as the audit log names it (never the name): `user`, `agency`, `operator`.
    public var kindName: String {
        switch self {
        case .user: "user"
        case .agency: "agency"
        case .operatorOfNode: "operator"
        }
    }
}
