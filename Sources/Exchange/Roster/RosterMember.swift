/// One entry of a roster: a node's identity card, its role, and the newest bulletin schema
/// version its node reads.
public struct RosterMember: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What a member reads when nothing says otherwise: what every member of a format-1 roster
    /// reads (docs/PROTOCOL.md §6.1).
    public static let defaultReadsSchema = BodySchemaVersion(major: 1, minor: 0)

    /// The node's public card (state, name, keys, endpoints).
    public let card: IdentityCard
    /// Member state, partner or secretariat.
    public let role: MemberRole
    /// The newest bulletin schema version (`major.minor`) the node reads: it accepts bulletins of
    /// this major version and a minor version up to this one. An origin sends it nothing newer
    /// (docs/PROTOCOL.md §6.1).
    public let readsSchema: BodySchemaVersion

    /// A member with `card` in `role`, whose node reads bulletins up to `readsSchema`.
    public init(card: IdentityCard, role: MemberRole, readsSchema: BodySchemaVersion = RosterMember.defaultReadsSchema) {
        self.card = card
        self.role = role
        self.readsSchema = readsSchema
    }

    /// The state of the card.
    public var state: StateCode { card.state }

    /// `MA (member)`, or `MA (member, reads schema 1.1)` when it reads more than 1.0.
    public var description: String {
        readsSchema == Self.defaultReadsSchema ? "\(card.state) (\(role))" : "\(card.state) (\(role), reads schema \(readsSchema))"
    }

    /// Schema versions start at 1.0: a member declaring `0.x` is refused wherever it is read.
    public static func isValidReadsSchema(_ version: BodySchemaVersion) -> Bool { version.major >= 1 }

    // MARK: JSON

    private enum CodingKeys: String, CodingKey {
        case card, role, readsSchema
    }

    /// Decodes `{"role": …, "card": {…}, "readsSchema": "1.1"}`; without `readsSchema` the member
    /// reads 1.0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        card = try container.decode(IdentityCard.self, forKey: .card)
        role = try container.decode(MemberRole.self, forKey: .role)
        readsSchema = try container.decodeIfPresent(BodySchemaVersion.self, forKey: .readsSchema) ?? Self.defaultReadsSchema
    }

    /// Encodes the JSON form; `readsSchema` is written when it is not 1.0, so that the members
    /// of a format-1 roster keep the form older tools wrote (``Roster`` writes it for every
    /// member of a format-2 or format-3 roster).
    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, writingReadsSchema: readsSchema != Self.defaultReadsSchema)
    }

    func encode(to encoder: any Encoder, writingReadsSchema: Bool) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(card, forKey: .card)
        try container.encode(role, forKey: .role)
        if writingReadsSchema { try container.encode(readsSchema, forKey: .readsSchema) }
    }
}
