/// A directed link: `origin` may send bulletins to `recipient`. Each link has its own envelope
/// sequence and hash chain (docs/PROTOCOL.md §7).
///
/// On the wire four bytes (origin, recipient); in JSON `{"origin": "MA", "recipient": "DZ"}`;
/// written `MA→DZ` in logs. Links order by origin, then recipient.
public struct Link: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The sending state.
    public let origin: StateCode
    /// The receiving state.
    public let recipient: StateCode

    /// The link `origin → recipient`.
    public init(origin: StateCode, recipient: StateCode) {
        self.origin = origin
        self.recipient = recipient
    }

    /// The link in the other direction.
    public var reversed: Link { Link(origin: recipient, recipient: origin) }

    /// `MA→DZ`.
    public var description: String { "\(origin)→\(recipient)" }

    /// The canonical order: that of the wire bytes.
    public static func < (lhs: Link, rhs: Link) -> Bool {
        (lhs.origin, lhs.recipient) < (rhs.origin, rhs.recipient)
    }
}
