import Exchange

/// The roster the secretariat is preparing: members and links added one command at a time,
/// signed when complete. Kept as JSON in the secretariat's folder (`roster-draft.json`).
public struct RosterDraft: Sendable, Codable, Equatable {
    /// The version of the last roster signed from this draft (0 before the first).
    public var lastSignedVersion: UInt64 = 0
    /// The members, one per state.
    public var members: [RosterMember] = []
    /// Who may send bulletins to whom.
    public var links: [Link] = []

    /// An empty draft.
    public init() {}

    /// Adds a member, or replaces the member of the same state (key rotation is a new card).
    public mutating func add(_ member: RosterMember) {
        members.removeAll { $0.state == member.state }
        members.append(member)
        members.sort { $0.state < $1.state }
    }

    /// Removes a state and its links (revocation).
    public mutating func remove(_ state: StateCode) {
        members.removeAll { $0.state == state }
        links.removeAll { $0.origin == state || $0.recipient == state }
    }

    /// Adds a link if absent.
    public mutating func link(_ link: Link) {
        if !links.contains(link) {
            links.append(link)
            links.sort()
        }
    }

    /// Adds both directions of every land or sea border between members (partners get none).
    public mutating func linkNeighbours(_ geography: RegionGeography = .rabatDeclaration) {
        for link in geography.defaultLinks(for: members) { self.link(link) }
    }
}
