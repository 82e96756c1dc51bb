/// Bytes or JSON that do not encode a protocol value: too short, too long, a bad tag, a field out
/// of range, or a value written in a non-canonical way.
///
/// Every decoder of the `Exchange` target reports its refusals with this type (wrapped by the
/// value-specific errors), so a peer can never crash a node with malformed input.
public enum FormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input ended before `field` could be read: `needed` bytes, `remaining` left.
    case truncated(field: String, needed: Int, remaining: Int)
    /// `count` bytes were left over after a complete `what` was read.
    case trailingBytes(what: String, count: Int)
    /// The input does not start with the 4-byte tag of a `what`: it is another kind of value.
    case wrongTag(what: String)
    /// The `what` is written in a format version this implementation does not know.
    case unsupportedFormatVersion(what: String, version: UInt8)
    /// `field` was read but its value is not allowed (why is in `reason`).
    case invalidField(field: String, reason: String)

    /// What went wrong and what to do about it, for an operator; never contains a secret.
    public var description: String {
        switch self {
        case .truncated(let field, let needed, let remaining):
            "input ends inside \(field): \(needed) bytes needed, \(remaining) left (truncated or cut off)"
        case .trailingBytes(let what, let count):
            "\(count) unexpected bytes after the end of the \(what) (two values glued together, or garbage)"
        case .wrongTag(let what):
            "the input is not a \(what) (its leading format tag is wrong)"
        case .unsupportedFormatVersion(let what, let version):
            "\(what) format version \(version) is not supported by this BorderNet (upgrade the node?)"
        case .invalidField(let field, let reason):
            "\(field) is invalid: \(reason)"
        }
    }
}
