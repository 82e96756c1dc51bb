import Sodium

/// The list of nodes taking part in the exchange and the links between them, as signed by the
/// secretariat. A node trusts a signing, encryption or transport key only because a roster it
/// accepted lists it; key rotation and revocation are a new roster with a higher version.
///
/// Canonical bytes (docs/PROTOCOL.md §6): tag `BNRS`, format 1, 2 or 3, version, issued-at,
/// expires-at, members sorted by state, links sorted by (origin, recipient), and in format 3 the
/// key history sorted by (state, until). A roster built in code is sorted for you; decoded bytes
/// must already be in canonical order, so one roster has one encoding.
///
/// Format 2 adds to each member the schema version its node reads (``RosterMember/readsSchema``).
/// A roster is written in format 1 while every member reads 1.0, so that nodes running software
/// older than format 2 keep reading it, and in format 2 as soon as one member reads something
/// else; a format-2 encoding of a roster whose members all read 1.0 is not canonical and refused.
///
/// Format 3 is format 2 followed by a key history (``retiredKeys``): the keys each state's node
/// used before its current card, each in force until a moment, so that what was signed before a
/// rotation still verifies (``signingKey(of:at:)``, docs/PROTOCOL.md §6.5). The format follows
/// from the contents: a roster without a key history is written in format 1 or 2, byte for byte
/// as before format 3 existed, and a format-3 encoding without entries is refused. Format 3 also
/// carries the secretariat's **successor key** (``successorKey``), the roster key that signs the
/// rosters after this one (docs/PROTOCOL.md §6.6).
public struct Roster: Sendable, Equatable, Codable {
    /// The 4-byte tag that starts the canonical bytes.
    public static let tag: [UInt8] = Array("BNRS".utf8)
    /// The format version written after the tag while every member reads schema 1.0.
    public static let formatVersion: UInt8 = 1
    /// The format version written after the tag once a member reads another schema version.
    public static let formatVersionWithSchemaVersions: UInt8 = 2
    /// The format version written after the tag once the roster has a key history.
    public static let formatVersionWithKeyHistory: UInt8 = 3
    /// The most key history entries one state may have (a yearly rotation for decades).
    public static let maximumRetiredKeysPerState = 64
    /// The most key history entries a roster may have.
    public static let maximumRetiredKeys = 4_096

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
    /// The key history: keys states' nodes used before their current cards, rotated out or
    /// revoked, sorted by state then by ``RetiredKeys/until`` (empty before format 3).
    public let retiredKeys: [RetiredKeys]
    /// The roster key that will sign the rosters after this one, when the secretariat hands over
    /// to a new key (docs/PROTOCOL.md §6.6): a node that installs this roster also accepts rosters
    /// signed with it, and pins it when it installs one. `nil`: no hand-over.
    public let successorKey: Ed25519.PublicKey?
    /// The canonical bytes (computed once; they are what the secretariat signs).
    public let canonicalBytes: [UInt8]

    /// The format of ``canonicalBytes``: 3 with a key history; without one, 1 while every member
    /// reads schema 1.0, else 2.
    public var format: UInt8 { Self.format(of: members, retiredKeys: retiredKeys, successorKey: successorKey) }

    private static func format(of members: [RosterMember], retiredKeys: [RetiredKeys], successorKey: Ed25519.PublicKey?) -> UInt8 {
        if !retiredKeys.isEmpty || successorKey != nil { return formatVersionWithKeyHistory }
        return members.allSatisfy { $0.readsSchema == RosterMember.defaultReadsSchema }
            ? formatVersion : formatVersionWithSchemaVersions
    }

    private let memberIndex: [StateCode: Int]
    private let linkSet: Set<Link>
    /// Where each state's entries are in ``retiredKeys`` (oldest first).
    private let historyIndex: [StateCode: Range<Int>]

    /// A roster of `members`, `links` and `retiredKeys` (each in any order), checked for
    /// well-formedness: unique states and keys, at most one secretariat, links only between
    /// distinct members, and a key history whose keys are all new (docs/PROTOCOL.md §6.1).
    public init(
        version: UInt64, issuedAt: Timestamp, expiresAt: Timestamp, members: [RosterMember], links: [Link],
        retiredKeys: [RetiredKeys] = [], successorKey: Ed25519.PublicKey? = nil
    ) throws(RosterError) {
        try self.init(
            version: version, issuedAt: issuedAt, expiresAt: expiresAt,
            sortedMembers: members.sorted { $0.state < $1.state }, sortedLinks: links.sorted(),
            sortedRetiredKeys: retiredKeys.sorted(by: RetiredKeys.precedes), successorKey: successorKey)
    }

    /// Decodes canonical bytes. Members, links and key history entries out of canonical order are
    /// refused.
    public init(canonicalBytes: [UInt8]) throws(RosterError) {
        var reader = ByteReader(canonicalBytes)
        let version: UInt64
        let issuedAt: Timestamp
        let expiresAt: Timestamp
        var members: [RosterMember] = []
        var links: [Link] = []
        var retiredKeys: [RetiredKeys] = []
        var successorKey: Ed25519.PublicKey?
        do {
            let format = try reader.readTag(
                Roster.tag, versions: Roster.formatVersion...Roster.formatVersionWithKeyHistory, what: "roster")
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
                if format >= Roster.formatVersionWithSchemaVersions {
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
            if format == Roster.formatVersionWithKeyHistory {
                let entryCount = Int(try reader.readUInt16(field: "key history count"))
                guard entryCount <= Roster.maximumRetiredKeys else {
                    throw RosterError.invalidSize(reason: "\(entryCount) key history entries, at most \(Roster.maximumRetiredKeys)")
                }
                retiredKeys.reserveCapacity(entryCount)
                for _ in 0..<entryCount {
                    let entry = try RetiredKeys(reading: &reader)
                    if let previous = retiredKeys.last, !RetiredKeys.precedes(previous, entry) {
                        guard previous.state != entry.state || previous.until != entry.until else {
                            throw RosterError.duplicateRetiredKeys(state: entry.state, until: entry.until)
                        }
                        throw RosterError.retiredKeysOutOfOrder(state: entry.state, until: entry.until)
                    }
                    retiredKeys.append(entry)
                }
                switch try reader.readUInt8(field: "successor key presence") {
                case 0: break
                case 1:
                    let bytes = try reader.readArray(count: 32, field: "successor key")
                    do {
                        successorKey = try Ed25519.PublicKey(rawRepresentation: bytes)
                    } catch {
                        throw FormatError.invalidField(field: "successor key", reason: "not an Ed25519 public key")
                    }
                case let other:
                    throw FormatError.invalidField(field: "successor key presence", reason: "\(other) is neither 0 nor 1")
                }
            }
            try reader.expectEnd(of: "roster")
            guard format == Roster.format(of: members, retiredKeys: retiredKeys, successorKey: successorKey) else {
                throw FormatError.invalidField(
                    field: "roster format version",
                    reason: format == Roster.formatVersionWithKeyHistory
                        ? "format 3 with no key history entry and no successor key; that roster is written in format 1 or 2 (one roster, one encoding)"
                        : "format 2 with every member reading schema 1.0; that roster is written in format 1 (one roster, one encoding)")
            }
        } catch let error as RosterError {
            throw error
        } catch let error as FormatError {
            throw RosterError.malformed(error)
        } catch {
            throw RosterError.malformed(.invalidField(field: "roster", reason: "\(error)"))
        }
        try self.init(
            version: version, issuedAt: issuedAt, expiresAt: expiresAt, sortedMembers: members, sortedLinks: links,
            sortedRetiredKeys: retiredKeys, successorKey: successorKey)
    }

    private init(
        version: UInt64, issuedAt: Timestamp, expiresAt: Timestamp, sortedMembers members: [RosterMember],
        sortedLinks links: [Link], sortedRetiredKeys retiredKeys: [RetiredKeys], successorKey: Ed25519.PublicKey?
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

        let historyIndex = try Roster.checkHistory(
            retiredKeys, signingKeys: &signingKeys, agreementKeys: &agreementKeys)

        self.version = version
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.members = members
        self.links = links
        self.retiredKeys = retiredKeys
        self.successorKey = successorKey
        self.memberIndex = memberIndex
        self.linkSet = linkSet
        self.historyIndex = historyIndex
        self.canonicalBytes = Roster.encode(
            version: version, issuedAt: issuedAt, expiresAt: expiresAt, members: members, links: links,
            retiredKeys: retiredKeys, successorKey: successorKey)
    }

    /// Checks the key history (sorted by state, then `until`) against the keys of the cards and
    /// of each other, adding its keys to theirs; returns where each state's entries are.
    ///
    /// An entry's state need not be a member, and its `until` may be in the future (a scheduled
    /// rotation): neither is checked.
    private static func checkHistory(
        _ retiredKeys: [RetiredKeys], signingKeys: inout [Ed25519.PublicKey: StateCode],
        agreementKeys: inout [X25519.PublicKey: StateCode]
    ) throws(RosterError) -> [StateCode: Range<Int>] {
        guard retiredKeys.count <= maximumRetiredKeys else {
            throw RosterError.invalidSize(reason: "\(retiredKeys.count) key history entries, at most \(maximumRetiredKeys)")
        }
        var historyIndex: [StateCode: Range<Int>] = [:]
        var start = 0
        for (index, entry) in retiredKeys.enumerated() {
            let state = entry.state
            if index > start {
                let previous = retiredKeys[index - 1]
                if previous.state == state {
                    guard previous.until != entry.until else {
                        throw RosterError.duplicateRetiredKeys(state: state, until: entry.until)
                    }
                    guard previous.until < entry.until else {
                        throw RosterError.retiredKeysOutOfOrder(state: state, until: entry.until)
                    }
                } else {
                    guard previous.state < state else { throw RosterError.retiredKeysOutOfOrder(state: state, until: entry.until) }
                    historyIndex[previous.state] = start..<index
                    start = index
                }
            }
            guard index - start < maximumRetiredKeysPerState else {
                throw RosterError.invalidSize(
                    reason: "\(state) has more than \(maximumRetiredKeysPerState) key history entries")
            }
            if let revocation = entry.revocation, let problem = RetiredKeys.revocationProblem(revocation) {
                throw RosterError.invalidRevocation(state: state, until: entry.until, reason: problem)
            }
            guard entry.encryptionKey != entry.transportKey else {
                throw RosterError.retiredKeysShareKey(state: state, until: entry.until)
            }
            if let other = signingKeys.updateValue(state, forKey: entry.signingKey) {
                throw RosterError.reusedKey(state: state, until: entry.until, otherState: other)
            }
            for key in [entry.encryptionKey, entry.transportKey] {
                if let other = agreementKeys.updateValue(state, forKey: key) {
                    throw RosterError.reusedKey(state: state, until: entry.until, otherState: other)
                }
            }
        }
        if let last = retiredKeys.last { historyIndex[last.state] = start..<retiredKeys.count }
        return historyIndex
    }

    private static func encode(
        version: UInt64, issuedAt: Timestamp, expiresAt: Timestamp, members: [RosterMember], links: [Link],
        retiredKeys: [RetiredKeys], successorKey: Ed25519.PublicKey?
    ) -> [UInt8] {
        var writer = ByteWriter(capacity: 67 + members.count * 240 + links.count * 4 + retiredKeys.count * 160)
        let format = Self.format(of: members, retiredKeys: retiredKeys, successorKey: successorKey)
        writer.write(raw: tag)
        writer.write(format)
        writer.write(version)
        writer.write(issuedAt.millisecondsSinceEpoch)
        writer.write(expiresAt.millisecondsSinceEpoch)
        writer.write(count: members.count)
        for member in members {
            writer.write(member.role.rawValue)
            if format >= formatVersionWithSchemaVersions {
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
        if format == formatVersionWithKeyHistory {
            writer.write(count: retiredKeys.count)
            for entry in retiredKeys { entry.write(to: &writer) }
            if let successorKey {
                writer.write(UInt8(1))
                writer.write(raw: successorKey.rawRepresentation)
            } else {
                writer.write(UInt8(0))
            }
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

    // MARK: Keys over time (docs/PROTOCOL.md §6.5)

    /// The key history entries of `state`, oldest first (ascending `until`); empty when it has none.
    public func retiredKeys(of state: StateCode) -> ArraySlice<RetiredKeys> {
        historyIndex[state].map { retiredKeys[$0] } ?? []
    }

    /// The entry of `state` in force at `time`: the first whose `until` is after `time`; `nil`
    /// when the current card is (or, for a state that is no longer a member, nothing is).
    private func entryInForce(of state: StateCode, at time: Timestamp) -> RetiredKeys? {
        retiredKeys(of: state).first { $0.until > time }
    }

    /// The key that verifies what `state`'s node signed at `time` (an envelope's created-at, a
    /// receipt's received-at, an audit tree head's timestamp): the key of the state's first key
    /// history entry whose `until` is after `time`; without one, the current card's key; `nil` for
    /// a state that is no longer a member when no entry covers `time`.
    ///
    /// A retired or revoked key verifies nothing dated at or after its `until`: a stolen key
    /// cannot sign anything new (only backdate, which the link's hash chain bounds:
    /// docs/PROTOCOL.md §6.5).
    public func signingKey(of state: StateCode, at time: Timestamp) -> Ed25519.PublicKey? {
        entryInForce(of: state, at: time)?.signingKey ?? member(state)?.card.signingKey
    }

    /// The keys whose signature on something of `state` dated `time` is accepted (an envelope's
    /// created-at, a receipt's received-at, a tree head's timestamp), docs/PROTOCOL.md §6.5:
    /// every key history entry of the state whose `until` is after `time`, and the current card's
    /// key whatever the time. A node switches to its new keys when it installs the roster that
    /// holds them, which may be before the `until` of its old ones: both are trusted meanwhile,
    /// and nothing either signed is lost. A retired or revoked key verifies nothing dated at or
    /// after its `until`. Empty for a state that is no longer a member and has no entry then.
    public func signingKeys(of state: StateCode, at time: Timestamp) -> [Ed25519.PublicKey] {
        RetiredKeys.trustedSigningKeys(history: retiredKeys(of: state), current: member(state)?.card.signingKey, at: time)
    }

    /// The encryption key of `state` the schedule puts in force at `time`, chosen like
    /// ``signingKey(of:at:)``. BorderNet's nodes seal to the current card's key (the recipient
    /// opens with any key it holds: docs/PROTOCOL.md §6.5); this says what a sender keeping to the
    /// schedule would use.
    public func encryptionKey(of state: StateCode, at time: Timestamp) -> X25519.PublicKey? {
        entryInForce(of: state, at: time)?.encryptionKey ?? member(state)?.card.encryptionKey
    }

    /// The three keys of `state` in force at `time` (those of ``signingKey(of:at:)``), revoked
    /// or not; `nil` when the state has none then.
    public func keysInForce(of state: StateCode, at time: Timestamp) -> (
        signing: Ed25519.PublicKey, encryption: X25519.PublicKey, transport: X25519.PublicKey
    )? {
        if let entry = entryInForce(of: state, at: time) {
            return (entry.signingKey, entry.encryptionKey, entry.transportKey)
        }
        guard let card = member(state)?.card else { return nil }
        return (card.signingKey, card.encryptionKey, card.transportKey)
    }

    /// The CURVE keys a node lets in at `time` (its ZAP allow-list), per member state: the key of
    /// the state's first non-revoked key history entry whose `until` is after `time`, else its
    /// current card's. A revoked key is never let in, whatever the time; states that are no
    /// longer members are not listed. One key per state; rebuild the list at
    /// ``nextKeyChange(after:)``.
    public func transportKeys(at time: Timestamp) -> [StateCode: [X25519.PublicKey]] {
        var keys: [StateCode: [X25519.PublicKey]] = [:]
        keys.reserveCapacity(members.count)
        for member in members {
            let entry = retiredKeys(of: member.state).first { !$0.isRevoked && $0.until > time }
            keys[member.state] = [entry?.transportKey ?? member.card.transportKey]
        }
        return keys
    }

    /// The CURVE keys a node accepts at `time` (its ZAP allow-list), per member state: every
    /// member's current transport key, and the key of each non-revoked history entry whose
    /// `until` is after `time` — a node that has not yet installed the roster holding its new
    /// card still connects with its old key until then. Revoked keys and states that are no
    /// longer members are never let in. Rebuild it at ``nextKeyChange(after:)``.
    public func acceptedTransportKeys(at time: Timestamp) -> [StateCode: [X25519.PublicKey]] {
        var keys: [StateCode: [X25519.PublicKey]] = [:]
        keys.reserveCapacity(members.count)
        for member in members {
            keys[member.state] =
                retiredKeys(of: member.state).filter { !$0.isRevoked && $0.until > time }.map(\.transportKey) + [member.card.transportKey]
        }
        return keys
    }

    /// The revoked entries of `state`'s key history, oldest first: keys that were stolen or may
    /// have been, each trusted only for what is dated before its `until`.
    public func revocations(of state: StateCode) -> [RetiredKeys] {
        retiredKeys(of: state).filter(\.isRevoked)
    }

    /// When `state`'s current card comes into force: the largest `until` of its key history
    /// entries (in the future while a rotation is scheduled); `nil` when it has none.
    public func switchTime(of state: StateCode) -> Timestamp? {
        retiredKeys(of: state).last?.until
    }

    /// The first moment after `time` at which a state's keys in force change (the smallest
    /// `until` later than `time`), when a node rebuilds its transport allow-list and picks the
    /// keys it seals to; `nil` when none is scheduled.
    public func nextKeyChange(after time: Timestamp) -> Timestamp? {
        retiredKeys.lazy.map(\.until).filter { $0 > time }.min()
    }

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
        case format, version, issuedAt, expiresAt, members, links, retiredKeys, successorKey
    }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(UInt8.self, forKey: .format)
        guard (Roster.formatVersion...Roster.formatVersionWithKeyHistory).contains(format) else {
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
                links: container.decode([Link].self, forKey: .links),
                retiredKeys: container.decodeIfPresent([RetiredKeys].self, forKey: .retiredKeys) ?? [],
                successorKey: Roster.decodeSuccessorKey(from: container))
        } catch let error as RosterError {
            let key: CodingKeys =
                switch error {
                case .retiredKeysOutOfOrder, .duplicateRetiredKeys, .reusedKey, .retiredKeysShareKey, .invalidRevocation:
                    .retiredKeys
                default: .members
                }
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: error.description)
        }
        // The same rule as the bytes: the format follows from the key history and what the
        // members read.
        guard format == self.format else {
            let reason =
                if self.format == Roster.formatVersionWithKeyHistory {
                    "format \(format) cannot hold a key history (retiredKeys) or a successor key; write format 3"
                } else if format == Roster.formatVersionWithKeyHistory {
                    "format 3 without a key history (retiredKeys) or a successor key; that roster is written in format \(self.format)"
                } else if format == Roster.formatVersion {
                    "format 1 cannot say that a member reads a schema version other than 1.0; write format 2"
                } else {
                    "format 2 with every member reading schema 1.0; that roster is written in format 1"
                }
            throw DecodingError.dataCorruptedError(forKey: .format, in: container, debugDescription: reason)
        }
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(version, forKey: .version)
        try container.encode(issuedAt, forKey: .issuedAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        // Formats 2 and 3 name what every member reads, 1.0 included; format 1 keeps its old form.
        let writingReadsSchema = format >= Roster.formatVersionWithSchemaVersions
        try container.encode(members.map { MemberForm(member: $0, writingReadsSchema: writingReadsSchema) }, forKey: .members)
        try container.encode(links, forKey: .links)
        // Only format 3 has the member, so that rosters without a key history keep their JSON.
        if !retiredKeys.isEmpty { try container.encode(retiredKeys, forKey: .retiredKeys) }
        if let successorKey { try container.encode(Hex.encode(successorKey.rawRepresentation), forKey: .successorKey) }
    }

    private static func decodeSuccessorKey(from container: KeyedDecodingContainer<CodingKeys>) throws -> Ed25519.PublicKey? {
        guard let text = try container.decodeIfPresent(String.self, forKey: .successorKey) else { return nil }
        guard let bytes = try? Hex.decode(text), bytes.count == 32, let key = try? Ed25519.PublicKey(rawRepresentation: bytes) else {
            throw DecodingError.dataCorruptedError(
                forKey: .successorKey, in: container, debugDescription: "successorKey: 64 hexadecimal digits of an Ed25519 public key")
        }
        return key
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
