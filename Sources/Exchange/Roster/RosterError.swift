/// Why a roster could not be built, decoded or accepted. Every case says what an operator or the
/// secretariat should do about it.
public enum RosterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The signed roster is larger than a node accepts.
    case tooLarge(size: Int, limit: Int)
    /// The bytes do not encode a roster (wrong tag, truncated, invalid field, not canonical).
    case malformed(FormatError)
    /// The signature is not the pinned secretariat key's signature of these bytes.
    case badSignature
    /// Two members speak for the same state.
    case duplicateState(StateCode)
    /// A public key appears twice (in two cards, or twice in one card).
    case duplicateKey(state: StateCode, otherState: StateCode)
    /// More than one member has the secretariat role.
    case multipleSecretariats
    /// A link names a state that is not a member.
    case linkToNonMember(Link)
    /// A state linked to itself.
    case selfLink(StateCode)
    /// A link appears twice.
    case duplicateLink(Link)
    /// The roster has no members, more members or links than the format can hold, or more key
    /// history entries than a roster holds (64 per state, 4,096 in all).
    case invalidSize(reason: String)
    /// The roster expires before (or when) it is issued.
    case invalidValidity(issuedAt: Timestamp, expiresAt: Timestamp)
    /// The offered roster is older than the installed one: a rollback, refused.
    case rollback(offered: UInt64, installed: UInt64)
    /// The offered roster has the installed version but different contents: the secretariat's
    /// key signed two rosters with one version, which only happens by mistake or compromise.
    case versionConflict(version: UInt64)
    /// The roster expired at `expiresAt`; it is `now`.
    case expired(expiresAt: Timestamp, now: Timestamp)
    /// A member declares that its node reads a schema version below 1.0, which does not exist.
    case invalidReadsSchema(state: StateCode, version: BodySchemaVersion)
    /// The key history (roster format 3) is not in canonical order: entries sorted by state, then
    /// by `until`. Only decoding meets it; a roster built in code is sorted.
    case retiredKeysOutOfOrder(state: StateCode, until: Timestamp)
    /// Two key-history entries of one state end at the same time: which keys were in force then
    /// would be ambiguous.
    case duplicateRetiredKeys(state: StateCode, until: Timestamp)
    /// A key of a key-history entry is also a key of a current card or of another entry (of the
    /// same state or `otherState`): keys are never reused.
    case reusedKey(state: StateCode, until: Timestamp, otherState: StateCode)
    /// A key-history entry's encryption and transport keys are the same key.
    case retiredKeysShareKey(state: StateCode, until: Timestamp)
    /// A revoked entry's reason is empty, longer than 200 bytes or holds a control character.
    case invalidRevocation(state: StateCode, until: Timestamp, reason: String)

    /// What went wrong and what to do about it, for an operator; never contains a secret.
    public var description: String {
        switch self {
        case .tooLarge(let size, let limit):
            "the signed roster is \(size) bytes, more than the \(limit) a node accepts"
        case .malformed(let error):
            "the roster is malformed: \(error)"
        case .badSignature:
            "the roster's signature does not verify with the pinned secretariat key; do not install it (forged, damaged, or signed with another key)"
        case .duplicateState(let state):
            "state \(state) appears twice in the roster; one node per state"
        case .duplicateKey(let state, let otherState):
            "a public key of \(state) is also used by \(otherState); every key must be unique"
        case .multipleSecretariats:
            "more than one member has the secretariat role"
        case .linkToNonMember(let link):
            "link \(link) names a state that is not in the roster"
        case .selfLink(let state):
            "link \(state)→\(state) links a state to itself"
        case .duplicateLink(let link):
            "link \(link) appears twice"
        case .invalidSize(let reason):
            "the roster's size is invalid: \(reason)"
        case .invalidValidity(let issuedAt, let expiresAt):
            "the roster expires (\(expiresAt)) no later than it is issued (\(issuedAt))"
        case .rollback(let offered, let installed):
            "roster version \(offered) is older than the installed version \(installed); rollback refused"
        case .versionConflict(let version):
            "a different roster with the installed version \(version) was offered: the secretariat key signed two rosters with one version; alert the secretariat"
        case .expired(let expiresAt, let now):
            "the roster expired at \(expiresAt) (now \(now)); ask the secretariat for a new roster"
        case .invalidReadsSchema(let state, let version):
            "\(state) is declared to read schema \(version); schema versions start at 1.0"
        case .retiredKeysOutOfOrder(let state, let until):
            "the key history entry of \(state) until \(until) is out of order (entries are sorted by state, then by until); "
                + "the roster is not canonical: do not install it, and have the secretariat sign it again with its tools"
        case .duplicateRetiredKeys(let state, let until):
            "\(state) has two key history entries until \(until); which keys were in force then is ambiguous: "
                + "the secretariat keeps one of them (a node's keys change at most once at a given moment)"
        case .reusedKey(let state, let until, let otherState):
            "a key of \(state) in force until \(until) is also a key of \(otherState) (a current card or another history entry); "
                + "keys are never reused: a rotation gives the node three new keys (bordernet init in a new folder)"
        case .retiredKeysShareKey(let state, let until):
            "the key history entry of \(state) until \(until) has the same encryption and transport key; "
                + "a card never did, so the entry was written wrongly: copy the three keys from the retired card"
        case .invalidRevocation(let state, let until, let reason):
            "the revocation reason of \(state)'s keys revoked at \(until) is invalid: \(reason) "
                + "(1–200 bytes of UTF-8 on one line, no control characters)"
        }
    }
}
