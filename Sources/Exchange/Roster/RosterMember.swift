/// One entry of a roster: a node's identity card and its role.
public struct RosterMember: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The node's public card (state, name, keys, endpoints).
    public let card: IdentityCard
    /// Member state, partner or secretariat.
    public let role: MemberRole

    /// A member with `card` in `role`.
    public init(card: IdentityCard, role: MemberRole) {
        self.card = card
        self.role = role
    }

    /// The state of the card.
    public var state: StateCode { card.state }

    /// `MA (member)`.
    public var description: String { "\(card.state) (\(role))" }
}
