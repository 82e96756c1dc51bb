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
    /// The roster has no members, or more members or links than the format can hold.
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
        }
    }
}
