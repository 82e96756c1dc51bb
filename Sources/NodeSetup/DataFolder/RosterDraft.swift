import Exchange
import Sodium

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
    /// The roster key the secretariat hands over to (docs/PROTOCOL.md §6.6): written into the
    /// rosters this draft signs, so that nodes accept the rosters the new key signs.
    public var successorKey: Ed25519.PublicKey?

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

    /// Revokes a state's keys after a compromise: from `since` nothing signed with them is
    /// trusted; the state and its links are removed until it is added again with new keys. Keys
    /// of an earlier rotation still trusted at `since` (their `until` is later: the compromise
    /// fell in a rotation's overlap, and a stolen data folder holds `keys.retired/` too) are
    /// revoked with them: their `until` moves back to just before `since`, one millisecond apart,
    /// so the history stays in order.
    public mutating func revoke(_ state: StateCode, since: Timestamp, reason: String) throws(RosterDraftError) {
        guard let current = members.first(where: { $0.state == state }) else { throw .notAMember(state) }
        let affected = retiredKeys.indices.filter { retiredKeys[$0].state == state && retiredKeys[$0].until >= since }
        let earlier = retiredKeys.filter { $0.state == state && $0.until < since }.map(\.until).max()
        let firstMoved = since.millisecondsSinceEpoch - min(since.millisecondsSinceEpoch, UInt64(affected.count))
        if let earlier, !affected.isEmpty, earlier.millisecondsSinceEpoch >= firstMoved {
            throw .sinceNotAfterPrevious(state: state, previous: earlier)
        }
        for (offset, index) in affected.enumerated() {
            let entry = retiredKeys[index]
            retiredKeys[index] = RetiredKeys(
                state: entry.state, signingKey: entry.signingKey, encryptionKey: entry.encryptionKey, transportKey: entry.transportKey,
                until: Timestamp(millisecondsSinceEpoch: firstMoved + UInt64(offset)), revocation: entry.revocation ?? reason)
        }
        retiredKeys.append(RetiredKeys(retiring: current.card, until: since, revocation: reason))
        retiredKeys.sort { ($0.state, $0.until) < ($1.state, $1.until) }
        remove(state)
    }

    private enum CodingKeys: String, CodingKey {
        case lastSignedVersion, members, links, retiredKeys, successorKey
    }

    /// Reads a draft; one written before key histories has none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lastSignedVersion = try container.decode(UInt64.self, forKey: .lastSignedVersion)
        members = try container.decode([RosterMember].self, forKey: .members)
        links = try container.decode([Link].self, forKey: .links)
        retiredKeys = try container.decodeIfPresent([RetiredKeys].self, forKey: .retiredKeys) ?? []
        if let text = try container.decodeIfPresent(String.self, forKey: .successorKey) {
            guard let bytes = try? Hex.decode(text), let key = try? Ed25519.PublicKey(rawRepresentation: bytes) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .successorKey, in: container, debugDescription: "successorKey: 64 hexadecimal digits of an Ed25519 key")
            }
            successorKey = key
        }
    }

    /// Writes the draft (its own JSON: the successor key as hex).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lastSignedVersion, forKey: .lastSignedVersion)
        try container.encode(members, forKey: .members)
        try container.encode(links, forKey: .links)
        try container.encode(retiredKeys, forKey: .retiredKeys)
        try container.encodeIfPresent(successorKey.map { Hex.encode($0.rawRepresentation) }, forKey: .successorKey)
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
            "\(state)'s keys retired at \(previous) leave no room to revoke the later ones from just after it: give a --since a few milliseconds later"
        case .notAMember(let state):
            "\(state) is not a member of the draft; nothing to revoke"
        }
    }
}
