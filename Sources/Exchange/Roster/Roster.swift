import Sodium

/// The list of nodes taking part in the exchange and the links between them, as signed by the
/// secretariat. A node trusts a signing, encryption or transport key only because a roster it
/// accepted lists it; key rotation and revocation are a new roster with a higher version.
///
/// Canonical bytes (docs/PROTOCOL.md §6): tag `BNRS`, format 1 or 2, version, issued-at,
/// expires-at, members sorted by state, links sorted by (origin, recipient). A roster built in
/// code is sorted for you; decoded bytes must already be in canonical order, so one roster has
/// one encoding.
///
/// Format 2 adds to each member the schema version its node reads (``RosterMember/readsSchema``).
/// A roster is written in format 1 while every member reads 1.0, so that nodes running software
/// older than format 2 keep reading it, and in format 2 as soon as one member reads something
/// else; a format-2 encoding of a roster whose members all read 1.0 is not canonical and refused.
public struct Roster: Sendable, Equatable, Codable {
    /// The 4-byte tag that starts the canonical bytes.
    public static let tag: [UInt8] = Array("BNRS".utf8)
    /// The format version written after the tag while every member reads schema 1.0.
    public static let formatVersion: UInt8 = 1
    /// The format version written after the tag once a member reads another schema version.
    public static let formatVersionWithSchemaVersions: UInt8 = 2

    /// Strictly increasing with every roster the secretariat signs.
    public let version: UInt64
    /// When the secretariat issued it.
    public let issuedAt: Timestamp
    /// After this moment no node accepts or keeps using it.
    public let expiresAt: Timestamp
    /// The members, sorted by state.
    public let members: [RosterMember]
    /// The links, sorted by origin then recipient.
    public let links: [Link]
    /// The canonical bytes (computed once; they are what the secretariat signs).
    public let canonicalBytes: [UInt8]

    /// The format of ``canonicalBytes``: 1 while every member reads schema 1.0, else 2.
    public var format: UInt8 { Self.format(of: members) }

    private static func format(of members: [RosterMember]) -> UInt8 {
        members.allSatisfy { $0.readsSchema == RosterMember.defaultReadsSchema } ? formatVersion : formatVersionWithSchemaVersions
    }

    private let memberIndex: [StateCode: Int]
    private let linkSet: Set<Link>

    /// A roster of `members` and `links` (in any order), checked for well-formedness: unique
    /// states and keys, at most one secretariat, links only between distinct members.
    public init(
        version: UInt64, issuedAt: Timestamp, expiresAt: Timestamp, members: [RosterMember], links: [Link]
    ) throws(RosterError) {
        try self.init(
            version: version, issuedAt: issuedAt, expiresAt: expiresAt,
            sortedMembers: members.sorted { $0.state < $1.state }, sortedLinks: links.sorted())
    }

    /// Decodes canonical bytes. Members and links out of canonical order are refused.
    public init(canonicalBytes: [UInt8]) throws(RosterError) {
        var reader = ByteReader(canonicalBytes)
        let version: UInt64
        let issuedAt: Timestamp
        let expiresAt: Timestamp
        var members: [RosterMember] = []
        var links: [Link] = []
        do {
            let format = try reader.readTag(
                Roster.tag, versions: Roster.formatVersion...Roster.formatVersionWithSchemaVersions, what: "roster")
            version = try reader.readUInt64(field: "roster version")
            issuedAt = Timestamp(millisecondsSinceEpoch: try reader.readUInt64(field: "issued-at"))
            expiresAt = Timestamp(millisecondsSinceEpoch: try reader.readUInt64(field: "expires-at"))
            let memberCount = Int(try reader.readUInt16(field: "member count"))
            members.reserveCapacity(memberCount)
            for _ in 0..<memberCount {
                let roleCode = try reader.readUInt8(field: "member role")
                guard let role = MemberRole(rawValue: roleCode) else {
                    throw FormatError.invalidField(field: "member role", reason: "code \(roleCode) is not 1…3")
                }
                var readsSchema = RosterMember.defaultReadsSchema
                if format == Roster.formatVersionWithSchemaVersions {
                    readsSchema = BodySchemaVersion(
                        major: try reader.readUInt8(field: "schema major version read"),
                        minor: try reader.readUInt8(field: "schema minor version read"))
                }
                let cardLength = Int(try reader.readUInt16(field: "identity card length"))
                let cardBytes = try reader.readArray(count: cardLength, field: "identity card")
                let card = try IdentityCard(canonicalBytes: cardBytes)
                if let previous = members.last, !(previous.state < card.state) {
                    guard previous.state != card.state else { throw RosterError.duplicateState(card.state) }
                    throw FormatError.invalidField(field: "members", reason: "not sorted by state (\(card.state) after \(previous.state))")
                }
                members.append(RosterMember(card: card, role: role, readsSchema: readsSchema))
            }
            let linkCount = Int(try reader.readUInt16(field: "link count"))
            links.reserveCapacity(linkCount)
            for _ in 0..<linkCount {
                let origin = try StateCode(reading: &reader, field: "link origin")
                let recipient = try StateCode(reading: &reader, field: "link recipient")
                let link = Link(origin: origin, recipient: recipient)
                if let previous = links.last, !(previous < link) {
                    guard previous != link else { throw RosterError.duplicateLink(link) }
                    throw FormatError.invalidField(field: "links", reason: "not sorted (\(link) after \(previous))")
                }
                links.append(link)
            }
            try reader.expectEnd(of: "roster")
            guard format == Roster.format(of: members) else {
                throw FormatError.invalidField(
                    field: "roster format version",
                    reason: "format 2 with every member reading schema 1.0; that roster is written in format 1 (one roster, one encoding)")
            }
        } catch let error as RosterError {
            throw error
        } catch let error as FormatError {
            throw RosterError.malformed(error)
        } catch {
            throw RosterError.malformed(.invalidField(field: "roster", reason: "\(error)"))
        }
        try self.init(
            version: version, issuedAt: issuedAt, expiresAt: expiresAt, sortedMembers: members, sortedLinks: links)
    }

    private init(
        version: UInt64, issuedAt: Timestamp, expiresAt: Timestamp, sortedMembers members: [RosterMember],
        sortedLinks links: [Link]
    ) throws(RosterError) {
        guard !members.isEmpty else { throw RosterError.invalidSize(reason: "a roster has at least one member") }
        guard members.count <= Int(UInt16.max) else {
            throw RosterError.invalidSize(reason: "\(members.count) members, at most 65535")
        }
        guard links.count <= Int(UInt16.max) else {
            throw RosterError.invalidSize(reason: "\(links.count) links, at most 65535")
        }
        guard issuedAt < expiresAt else { throw RosterError.invalidValidity(issuedAt: issuedAt, expiresAt: expiresAt) }

        var memberIndex: [StateCode: Int] = [:]
        var signingKeys: [Ed25519.PublicKey: StateCode] = [:]
        var agreementKeys: [X25519.PublicKey: StateCode] = [:]
        var secretariats = 0
        for (index, member) in members.enumerated() {
            let state = member.state
            guard memberIndex.updateValue(index, forKey: state) == nil else { throw RosterError.duplicateState(state) }
            if let other = signingKeys.updateValue(state, forKey: member.card.signingKey) {
                throw RosterError.duplicateKey(state: state, otherState: other)
            }
            for key in [member.card.encryptionKey, member.card.transportKey] {
                if let other = agreementKeys.updateValue(state, forKey: key) {
                    throw RosterError.duplicateKey(state: state, otherState: other)
                }
            }
            guard RosterMember.isValidReadsSchema(member.readsSchema) else {
                throw RosterError.invalidReadsSchema(state: state, version: member.readsSchema)
            }
            if member.role == .secretariat { secretariats += 1 }
        }
        guard secretariats <= 1 else { throw RosterError.multipleSecretariats }

        var linkSet = Set<Link>()
        for link in links {
            guard link.origin != link.recipient else { throw RosterError.selfLink(link.origin) }
            guard memberIndex[link.origin] != nil, memberIndex[link.recipient] != nil else {
                throw RosterError.linkToNonMember(link)
            }
            guard linkSet.insert(link).inserted else { throw RosterError.duplicateLink(link) }
        }

        self.version = version
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.members = members
        self.links = links
        self.memberIndex = memberIndex
        self.linkSet = linkSet
        self.canonicalBytes = Roster.encode(
            version: version, issuedAt: issuedAt, expiresAt: expiresAt, members: members, links: links)
    }

    private static func encode(
        version: UInt64, issuedAt: Timestamp, expiresAt: Timestamp, members: [RosterMember], links: [Link]
    ) -> [UInt8] {
        var writer = ByteWriter(capacity: 32 + members.count * 240 + links.count * 4)
        let format = Self.format(of: members)
        writer.write(raw: tag)
        writer.write(format)
        writer.write(version)
        writer.write(issuedAt.millisecondsSinceEpoch)
        writer.write(expiresAt.millisecondsSinceEpoch)
        writer.write(count: members.count)
        for member in members {
            writer.write(member.role.rawValue)
            if format == formatVersionWithSchemaVersions {
                writer.write(member.readsSchema.major)
                writer.write(member.readsSchema.minor)
            }
            let card = member.card.canonicalBytes
            writer.write(UInt16(truncatingIfNeeded: card.count))
            writer.write(raw: card)
        }
        writer.write(count: links.count)
        for link in links {
            link.origin.write(to: &writer)
            link.recipient.write(to: &writer)
        }
        return writer.bytes
    }

    // MARK: Questions a node asks

    /// The member speaking for `state`, if any.
    public func member(_ state: StateCode) -> RosterMember? {
        memberIndex[state].map { members[$0] }
    }

    /// Whether `origin` may send to `recipient`.
    public func isLinked(from origin: StateCode, to recipient: StateCode) -> Bool {
        linkSet.contains(Link(origin: origin, recipient: recipient))
    }

    /// The states `origin` sends to, in order: the default recipients of its bulletins.
    public func recipients(of origin: StateCode) -> [StateCode] {
        links.filter { $0.origin == origin }.map(\.recipient)
    }

    /// The states that send to `recipient`, in order: the publishers its node subscribes to.
    public func origins(sendingTo recipient: StateCode) -> [StateCode] {
        links.filter { $0.recipient == recipient }.map(\.origin)
    }

    /// Whether the roster has expired at `now` (it is valid strictly before `expiresAt`).
    public func isExpired(at now: Timestamp) -> Bool { now >= expiresAt }

    /// The roster signed with the secretariat's roster key.
    public func signed(by secretariatKey: Ed25519.PrivateKey) -> SignedRoster {
        SignedRoster(rosterBytes: canonicalBytes, signature: secretariatKey.signature(for: canonicalBytes))
    }

    /// Rosters are equal when their canonical bytes are.
    public static func == (lhs: Roster, rhs: Roster) -> Bool {
        lhs.canonicalBytes == rhs.canonicalBytes
    }

    // MARK: JSON (for the secretariat's tools; the signature covers the canonical bytes)

    private enum CodingKeys: String, CodingKey {
        case format, version, issuedAt, expiresAt, members, links
    }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(UInt8.self, forKey: .format)
        guard format == Roster.formatVersion || format == Roster.formatVersionWithSchemaVersions else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: container,
                debugDescription: FormatError.unsupportedFormatVersion(what: "roster", version: format).description)
        }
        do {
            try self.init(
                version: container.decode(UInt64.self, forKey: .version),
                issuedAt: container.decode(Timestamp.self, forKey: .issuedAt),
                expiresAt: container.decode(Timestamp.self, forKey: .expiresAt),
                members: container.decode([RosterMember].self, forKey: .members),
                links: container.decode([Link].self, forKey: .links))
        } catch let error as RosterError {
            throw DecodingError.dataCorruptedError(forKey: .members, in: container, debugDescription: error.description)
        }
        // The same rule as the bytes: the format follows from what the members read.
        guard format == self.format else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: container,
                debugDescription: format == Roster.formatVersion
                    ? "format 1 cannot say that a member reads a schema version other than 1.0; write format 2"
                    : "format 2 with every member reading schema 1.0; that roster is written in format 1")
        }
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(version, forKey: .version)
        try container.encode(issuedAt, forKey: .issuedAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        // Format 2 names what every member reads, 1.0 included; format 1 keeps its old form.
        let writingReadsSchema = format == Roster.formatVersionWithSchemaVersions
        try container.encode(members.map { MemberForm(member: $0, writingReadsSchema: writingReadsSchema) }, forKey: .members)
        try container.encode(links, forKey: .links)
    }
}

/// A member as a roster's JSON writes it (``RosterMember/encode(to:writingReadsSchema:)``).
private struct MemberForm: Encodable {
    let member: RosterMember
    let writingReadsSchema: Bool

    func encode(to encoder: any Encoder) throws {
        try member.encode(to: encoder, writingReadsSchema: writingReadsSchema)
    }
}
