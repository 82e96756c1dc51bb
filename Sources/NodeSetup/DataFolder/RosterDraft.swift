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
    /// Keys members used before their current card, or that were revoked (docs/PROTOCOL.md §6.5).
    public var retiredKeys: [RetiredKeys] = []

    /// An empty draft.
    public init() {}

    /// Adds a member, or replaces the member of the same state, keeping no key history: for new
    /// members, and for a card whose keys do not change (a new declaration or address).
    public mutating func add(_ member: RosterMember) {
        members.removeAll { $0.state == member.state }
        members.append(member)
        members.sort { $0.state < $1.state }
    }

    /// Adds a member, or replaces the member of the same state. A card with other keys than the
    /// state's current one is a key rotation: the current keys are kept in ``retiredKeys``, in
    /// force for what was signed before `validFrom` (the node switches when its roster holds the
    /// new card; docs/OPERATIONS.md). The same keys (a new declaration, a new address) replace the card.
    public mutating func add(_ member: RosterMember, validFrom: Timestamp) throws(RosterDraftError) {
        if let current = members.first(where: { $0.state == member.state }), current.card.signingKey != member.card.signingKey {
            if let last = retiredKeys.filter({ $0.state == member.state }).map(\.until).max(), validFrom <= last {
                throw .validFromNotAfterPrevious(state: member.state, previous: last)
            }
            retiredKeys.append(RetiredKeys(retiring: current.card, until: validFrom))
            retiredKeys.sort { ($0.state, $0.until) < ($1.state, $1.until) }
        }
        members.removeAll { $0.state == member.state }
        members.append(member)
        members.sort { $0.state < $1.state }
    }

    /// Removes a state and its links (it leaves the exchange). Its key history stays.
    public mutating func remove(_ state: StateCode) {
        members.removeAll { $0.state == state }
        links.removeAll { $0.origin == state || $0.recipient == state }
    }

    /// Revokes a state's current keys after a compromise: from `since` nothing signed with them is
    /// trusted; the state and its links are removed until it is added again with new keys. The
    /// compromise must fall while the current keys were in force (after the state's last rotation).
    public mutating func revoke(_ state: StateCode, since: Timestamp, reason: String) throws(RosterDraftError) {
        guard let current = members.first(where: { $0.state == state }) else { throw .notAMember(state) }
        if let latest = retiredKeys.filter({ $0.state == state }).map(\.until).max(), latest >= since {
            // An earlier entry already ends at `since`: the current keys took over after it.
            throw .sinceNotAfterPrevious(state: state, previous: latest)
        }
        retiredKeys.append(RetiredKeys(retiring: current.card, until: since, revocation: reason))
        retiredKeys.sort { ($0.state, $0.until) < ($1.state, $1.until) }
        remove(state)
    }

    private enum CodingKeys: String, CodingKey {
        case lastSignedVersion, members, links, retiredKeys
    }

    /// Reads a draft; one written before key histories has none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lastSignedVersion = try container.decode(UInt64.self, forKey: .lastSignedVersion)
        members = try container.decode([RosterMember].self, forKey: .members)
        links = try container.decode([Link].self, forKey: .links)
        retiredKeys = try container.decodeIfPresent([RetiredKeys].self, forKey: .retiredKeys) ?? []
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

/// Why the secretariat's draft refused a change; each says what to do.
public enum RosterDraftError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A rotation's `--valid-from` is not after the time the state's previous keys were retired.
    case validFromNotAfterPrevious(state: StateCode, previous: Timestamp)
    /// A revocation's `--since` is not after the time the state's previous keys were retired.
    case sinceNotAfterPrevious(state: StateCode, previous: Timestamp)
    /// The state to revoke is not a member of the draft.
    case notAMember(StateCode)

    public var description: String {
        switch self {
        case .validFromNotAfterPrevious(let state, let previous):
            "\(state)'s previous keys were retired at \(previous); give --valid-from a later time"
        case .sinceNotAfterPrevious(let state, let previous):
            "\(state)'s current keys are in force only from \(previous): give --since after it (a compromise of earlier keys is not handled by this command)"
        case .notAMember(let state):
            "\(state) is not a member of the draft; nothing to revoke"
        }
    }
}
