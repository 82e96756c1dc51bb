import Clearance
import Exchange
import Foundation

/// An agency system's TAXII credential (no secret in it): a police, customs or intelligence
/// platform of the member state (MISP, OpenCTI) that reads its node's bulletins as STIX 2.1
/// through the console's TAXII server (issue 17; docs/CONSOLE.md, "Agency credentials (TAXII)").
///
/// What it may receive is ``grant``, which `Clearance.ClearancePolicy.decide(agency:for:)`
/// judges; this target only keeps and checks the values.
public struct AgencyCredential: Sendable, Hashable, Codable {
    /// A stable number, never reused (even after revocation): the agency's pseudonym in the
    /// node's audit log, which never holds its name or token.
    public let id: Int64
    /// 3–64 characters of `a-z 0-9 . _ -` (like usernames), unique among all agencies ever
    /// added, revoked ones included: `ma-customs`.
    public let name: String
    /// The working groups whose bulletins the agency receives: raw values of
    /// `Clearance.WorkingGroup`, sorted, at least one.
    public let workingGroups: [String]
    /// The highest TLP the agency receives: `CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT` or `RED`
    /// (`RED`: the agency is a named recipient of TLP:RED bulletins).
    public let highestTLP: String
    /// The kind of agency, a raw value of `Clearance.AgencyKind` (`law-enforcement`).
    public let agencyKind: String
    /// When the credential was added.
    public let createdAt: Date
    /// When its token stops working (``AccountStore/renewAgencyToken(named:expiresAt:now:)``
    /// gives a new token and a new expiry).
    public let expiresAt: Date
    /// When it was revoked, for good; `nil` while not revoked.
    public let revokedAt: Date?
    /// When its token was last accepted, to a minute (``AccountPolicy/agencyLastUsedResolution``);
    /// `nil` when never.
    public let lastUsedAt: Date?

    /// A credential as stored.
    public init(
        id: Int64, name: String, workingGroups: [String], highestTLP: String, agencyKind: String, createdAt: Date,
        expiresAt: Date, revokedAt: Date?, lastUsedAt: Date?
    ) {
        self.id = id
        self.name = name
        self.workingGroups = workingGroups
        self.highestTLP = highestTLP
        self.agencyKind = agencyKind
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    /// What the agency may receive, for `ClearancePolicy.decide(agency:for:)` and
    /// `readableScope(agency:)`. Every stored value is checked when it is read, so nothing is
    /// dropped here; were one unknown, it would narrow the grant (no group, CLEAR, `other`),
    /// never widen it.
    public var grant: AgencyGrant {
        AgencyGrant(
            workingGroups: Set(workingGroups.compactMap(WorkingGroup.init(rawValue:))),
            highestTLP: (try? TLP(label: highestTLP)) ?? .clear,
            agencyKind: AgencyKind(rawValue: agencyKind) ?? .other)
    }

    /// Whether the token works at `now`: `active`, `expired` or `revoked` (revocation first).
    public func status(at now: Date) -> Status {
        if revokedAt != nil { return .revoked }
        return now < expiresAt ? .active : .expired
    }

    /// Whether a credential's token works.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Neither revoked nor expired.
        case active
        /// Past its expiry: `agency renew` gives a new token.
        case expired
        /// Revoked for good.
        case revoked
    }

    /// The prefix of every agency token, so that one found in a log or a paste is recognised
    /// (and a secret scanner can look for it).
    public static let tokenPrefix = "bnt_"
    /// The working groups an agency may be given (`Clearance.WorkingGroup`), sorted.
    public static let workingGroupNames = WorkingGroup.allCases.map(\.rawValue).sorted()
    /// The agency kinds (`Clearance.AgencyKind`).
    public static let agencyKinds = AgencyKind.allCases.map(\.rawValue)
}

/// What an operator gives to add an agency (``AccountStore/addAgency(_:now:)``).
public struct NewAgency: Sendable, Hashable {
    /// See ``AgencyCredential/name``; read in lower case.
    public var name: String
    /// See ``AgencyCredential/workingGroups``; any order, repeats ignored, lower case accepted.
    public var workingGroups: [String]
    /// See ``AgencyCredential/highestTLP``; `TLP:` before the label and lower case are accepted.
    public var highestTLP: String
    /// See ``AgencyCredential/agencyKind``.
    public var agencyKind: String
    /// When the token stops working: after the moment of adding, at most
    /// ``AccountPolicy/maximumAgencyTokenLifetime`` (5 years) later.
    public var expiresAt: Date

    /// A new agency's details.
    public init(name: String, workingGroups: [String], highestTLP: String, agencyKind: String, expiresAt: Date) {
        self.name = name
        self.workingGroups = workingGroups
        self.highestTLP = highestTLP
        self.agencyKind = agencyKind
        self.expiresAt = expiresAt
    }

    /// The details with every rule checked and spellings made canonical, or the first broken rule.
    func checked(now: Date, policy: AccountPolicy) throws(AccountError) -> NewAgency {
        var agency = self
        agency.name = try Self.checkedName(name)
        var groups = Set<String>()
        for group in workingGroups {
            let lowered = group.lowercased()
            guard WorkingGroup(rawValue: lowered) != nil else {
                throw .invalidField(
                    field: "working group", value: String(group.prefix(64)),
                    rule: "one of " + AgencyCredential.workingGroupNames.joined(separator: ", "))
            }
            groups.insert(lowered)
        }
        guard !groups.isEmpty else {
            throw .invalidField(
                field: "working groups", value: "",
                rule: "at least one of " + AgencyCredential.workingGroupNames.joined(separator: ", ")
                    + " (an agency with none would receive nothing)")
        }
        agency.workingGroups = groups.sorted()
        agency.highestTLP = try Self.checkedTLP(highestTLP)
        let kind = agencyKind.lowercased()
        guard AgencyKind(rawValue: kind) != nil else {
            throw .invalidField(
                field: "agency kind", value: String(agencyKind.prefix(64)),
                rule: "one of " + AgencyCredential.agencyKinds.joined(separator: ", "))
        }
        agency.agencyKind = kind
        try Self.checkExpiry(expiresAt, now: now, policy: policy)
        return agency
    }

    /// `text` as an agency name: 3–64 characters of `a-z 0-9 . _ -` after lower-casing.
    static func checkedName(_ text: String) throws(AccountError) -> String {
        let name = text.lowercased()
        guard (3...64).contains(name.utf8.count), name.utf8.allSatisfy(NewUser.isUsernameByte) else {
            throw .invalidAgencyName(
                String(text.prefix(80)), rule: "3–64 characters, each a letter a–z, a digit, '.', '_' or '-' (e.g. ma-customs)")
        }
        return name
    }

    /// `text` as a TLP label (`amber`, `TLP:AMBER+STRICT`), upper case without `TLP:`.
    static func checkedTLP(_ text: String) throws(AccountError) -> String {
        var tlp = text.uppercased()
        if tlp.hasPrefix("TLP:") { tlp.removeFirst(4) }
        guard let label = try? TLP(label: tlp).label else {
            throw .invalidField(
                field: "highest TLP", value: String(text.prefix(64)), rule: "one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED")
        }
        return label
    }

    /// Refuses an expiry not after `now` or further than the policy's longest token lifetime.
    static func checkExpiry(_ expiresAt: Date, now: Date, policy: AccountPolicy) throws(AccountError) {
        guard expiresAt > now, expiresAt.timeIntervalSince(now) <= policy.maximumAgencyTokenLifetime else {
            throw .invalidAgencyExpiry(expiresAt, longest: policy.maximumAgencyTokenLifetime)
        }
    }
}
