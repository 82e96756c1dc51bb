import Exchange

/// Why a node refused a signed roster offered to it (docs/AUDIT.md §3.6, kind 55
/// `rosterRefused`). The codes are the entry's reason byte: they never change meaning, and a new
/// reason gets a new code (a decoder of this version refuses a code it does not know).
public enum RosterRefusal: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The signed roster is larger than a node accepts (refused before it is read).
    case tooLarge = 1
    /// The bytes are not a well-formed roster: a bad tag, a truncated or invalid field, or rules
    /// of its contents broken (a state twice, a key twice, a link to a non-member…).
    case malformed = 2
    /// The signature is not the pinned secretariat key's (refused before the roster is parsed).
    case badSignature = 3
    /// The roster is older than the one installed.
    case rollback = 4
    /// The roster has the installed version with other contents: the secretariat's key signed
    /// two rosters with one version.
    case versionConflict = 5
    /// The roster has expired.
    case expired = 6
    /// The roster does not hold this node's own identity card — its state was removed or its keys
    /// were changed — so the node does not switch to it live.
    case notThisNodesCard = 7
    /// The roster declares that this node reads a newer schema version than its schemas do.
    case schemaNotRead = 8

    /// The reason of a roster that Exchange's checks refused with `error`: its size, its
    /// signature, a rollback, a version conflict and expiry keep their own reason; every error of
    /// the roster's form or contents (malformed bytes, a state or key twice, a bad link, an
    /// invalid size or validity, a schema version below 1.0, a key history that breaks its rules)
    /// is ``malformed``.
    public init(_ error: RosterError) {
        switch error {
        case .tooLarge: self = .tooLarge
        case .badSignature: self = .badSignature
        case .rollback: self = .rollback
        case .versionConflict: self = .versionConflict
        case .expired: self = .expired
        case .malformed, .duplicateState, .duplicateKey, .multipleSecretariats, .linkToNonMember, .selfLink,
            .duplicateLink,
            .invalidSize, .invalidValidity, .invalidReadsSchema, .retiredKeysOutOfOrder, .duplicateRetiredKeys, .reusedKey,
            .retiredKeysShareKey, .invalidRevocation:
            self = .malformed
        }
    }

    /// The name in JSON, e.g. `badSignature`.
    public var description: String {
        switch self {
        case .tooLarge: "tooLarge"
        case .malformed: "malformed"
        case .badSignature: "badSignature"
        case .rollback: "rollback"
        case .versionConflict: "versionConflict"
        case .expired: "expired"
        case .notThisNodesCard: "notThisNodesCard"
        case .schemaNotRead: "schemaNotRead"
        }
    }

    /// The reason named `name` in JSON.
    public init?(name: String) {
        guard let reason = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = reason
    }
}
