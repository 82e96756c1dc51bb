/// A value of the TOML subset that `node.toml` uses.
public enum TOMLValue: Sendable, Equatable, CustomStringConvertible {
    /// A basic (`"…"`) or literal (`'…'`) string.
    case string(String)
    /// A decimal integer (underscores allowed between digits).
    case integer(Int64)
    /// `true` or `false`.
    case boolean(Bool)
    /// An array of values (one line or several).
    case array([TOMLValue])

    public var description: String {
        switch self {
        case .string(let value): "\"\(value)\""
        case .integer(let value): "\(value)"
        case .boolean(let value): "\(value)"
        case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
