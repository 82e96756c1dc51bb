import Clearance
import Exchange
import Foundation
import GRDB
import Sodium
import Store

extension AccountStore {
    /// Adds an agency system's TAXII credential and returns it with its token, to be shown once:
    /// only the token's SHA-256 is stored.
    ///
    /// Every field of `new` is checked (``NewAgency``). Throws ``AccountError/agencyNameTaken(_:)``
    /// when the name was ever used and ``AccountError/tooManyAgencies(limit:)`` past
    /// ``AccountPolicy/maximumAgencies`` credentials that are not revoked.
    public func addAgency(_ new: NewAgency, now: Date) throws(AccountError) -> (agency: AgencyCredential, token: String) {
        let agency = try new.checked(now: now, policy: policy)
        let (token, tokenHash) = Self.newAgencyToken()
        let limit = policy.maximumAgencies
        let id: Int64 = try write("add agency") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM agency WHERE name = ?", arguments: [agency.name]) == true {
                throw AccountError.agencyNameTaken(agency.name)
            }
            let live = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM agency WHERE revoked_at IS NULL") ?? 0
            guard live < limit else { throw AccountError.tooManyAgencies(limit: limit) }
            try db.execute(
                sql: """
                    INSERT INTO agency (name, working_groups, highest_tlp, agency_kind, token_hash, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    agency.name, agency.workingGroups.joined(separator: ","), agency.highestTLP, agency.agencyKind, tokenHash,
                    Self.milliseconds(now), Self.milliseconds(agency.expiresAt),
                ])
            return db.lastInsertedRowID
        }
        guard let stored = try read("agency", { db in try Self.fetchAgencies(db, where: "id = ?", arguments: [id]).first }) else {
            throw .noSuchAgency(agency.name)
        }
        return (stored, token)
    }

    /// The agency whose token is `token`, or `nil` when the token is malformed, unknown, revoked
    /// or expired at `now`. The token is looked up by its SHA-256 in an index, never compared
    /// byte by byte with a stored secret, so the time taken tells nothing about how close a
    /// guess was. An accepted token moves the agency's last-used time to `now` when the stored
    /// one is at least ``AccountPolicy/agencyLastUsedResolution`` older (no write per request).
    public func agency(token: String, now: Date) throws(AccountError) -> AgencyCredential? {
        guard let tokenHash = Self.agencyTokenHash(token) else { return nil }
        let at = Self.milliseconds(now)
        guard
            let found = try read("agency by token", { db in
                try Self.fetchAgencies(db, where: "token_hash = ?", arguments: [tokenHash]).first
            }),
            found.status(at: now) == .active
        else { return nil }
        let resolution = Int64(policy.agencyLastUsedResolution * 1000)
        if let last = found.lastUsedAt, at - Self.milliseconds(last) < resolution { return found }
        try write("agency used") { db in
            try db.execute(
                sql: "UPDATE agency SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?", arguments: [at, found.id])
        }
        return AgencyCredential(
            id: found.id, name: found.name, workingGroups: found.workingGroups, highestTLP: found.highestTLP,
            agencyKind: found.agencyKind, createdAt: found.createdAt, expiresAt: found.expiresAt, revokedAt: nil,
            lastUsedAt: Self.date(max(at, found.lastUsedAt.map(Self.milliseconds) ?? 0)))
    }

    /// Every agency credential, revoked and expired ones included, by name. No token is kept to
    /// be listed.
    public func agencies() throws(AccountError) -> [AgencyCredential] {
        try read("agencies") { db in try Self.fetchAgencies(db, where: "1", arguments: []) }
    }

    /// The agency named `name` (read in lower case), or `nil`.
    public func agency(named name: String) throws(AccountError) -> AgencyCredential? {
        try read("agency") { db in try Self.fetchAgencies(db, where: "name = ?", arguments: [name.lowercased()]).first }
    }

    /// Revokes the agency named `name` for good: its token stops working at once. The record
    /// stays, so that its number in the audit log keeps its meaning. Revoking a revoked agency
    /// changes nothing. Throws ``AccountError/noSuchAgency(_:)``.
    public func revokeAgency(named name: String, now: Date) throws(AccountError) {
        let lowered = name.lowercased()
        try write("revoke agency") { db in
            try db.execute(
                sql: "UPDATE agency SET revoked_at = COALESCE(revoked_at, ?) WHERE name = ?",
                arguments: [Self.milliseconds(now), lowered])
            guard db.changesCount == 1 else { throw AccountError.noSuchAgency(String(lowered.prefix(80))) }
        }
    }

    /// A new token for an existing agency (the old one stops working at once), with a new expiry,
    /// checked like ``NewAgency/expiresAt``. Returns the token, to be shown once. Throws
    /// ``AccountError/noSuchAgency(_:)`` or ``AccountError/agencyRevoked(_:)``.
    public func renewAgencyToken(named name: String, expiresAt: Date, now: Date) throws(AccountError) -> String {
        let lowered = name.lowercased()
        try NewAgency.checkExpiry(expiresAt, now: now, policy: policy)
        let (token, tokenHash) = Self.newAgencyToken()
        try write("renew agency token") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT revoked_at FROM agency WHERE name = ?", arguments: [lowered])
            else { throw AccountError.noSuchAgency(String(lowered.prefix(80))) }
            guard (row["revoked_at"] as Int64?) == nil else { throw AccountError.agencyRevoked(lowered) }
            try db.execute(
                sql: "UPDATE agency SET token_hash = ?, expires_at = ? WHERE name = ?",
                arguments: [tokenHash, Self.milliseconds(expiresAt), lowered])
        }
        return token
    }

    // MARK: Tokens

    /// A new agency token and the SHA-256 to store: 32 bytes from libsodium's generator in
    /// Base64url after ``AgencyCredential/tokenPrefix`` (`bnt_` and 43 characters).
    ///
    /// A plain SHA-256 suffices (as for sessions): the token is 256 random bits, so the stored
    /// digest cannot be reversed or guessed at, and a slow password hash would only cost every
    /// TAXII request its time. A copy of `console.sqlite` therefore lets nobody fetch.
    static func newAgencyToken() -> (token: String, hash: Data) {
        let bytes = SecureRandom.bytes(count: 32)
        return (AgencyCredential.tokenPrefix + Base64.encode(bytes, variant: .urlSafeUnpadded), Data(SHA256.hash(bytes)))
    }

    /// The SHA-256 of the 32 bytes of a well-formed agency token, or `nil` (length checked before
    /// any decoding, so a huge or odd value costs nothing).
    static func agencyTokenHash(_ token: String) -> Data? {
        let prefix = AgencyCredential.tokenPrefix
        guard token.utf8.count == prefix.utf8.count + 43, token.hasPrefix(prefix) else { return nil }
        guard let bytes = try? Base64.decode(String(token.dropFirst(prefix.count)), variant: .urlSafeUnpadded),
            bytes.count == 32
        else { return nil }
        return Data(SHA256.hash(bytes))
    }

    /// Agencies matching `condition`, by name, every stored value checked.
    static func fetchAgencies(_ db: Database, where condition: String, arguments: StatementArguments) throws
        -> [AgencyCredential]
    {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM agency WHERE \(condition) ORDER BY name", arguments: arguments)
        var result: [AgencyCredential] = []
        for row in rows {
            let stored = StoredRow(row, of: .agency)
            let groupsText: String = try stored.value("working_groups")
            let groups = groupsText.split(separator: ",").map(String.init)
            guard !groups.isEmpty, groups.allSatisfy({ WorkingGroup(rawValue: $0) != nil }) else {
                throw stored.invalid("working_groups", row["working_groups"], expected: "working groups of Clearance")
            }
            let tlp: String = try stored.value("highest_tlp")
            guard (try? TLP(label: tlp)) != nil else {
                throw stored.invalid("highest_tlp", row["highest_tlp"], expected: "a TLP label")
            }
            let kind: String = try stored.value("agency_kind")
            guard AgencyKind(rawValue: kind) != nil else {
                throw stored.invalid("agency_kind", row["agency_kind"], expected: "an agency kind of Clearance")
            }
            result.append(
                AgencyCredential(
                    id: try stored.value("id"), name: try stored.value("name"), workingGroups: groups, highestTLP: tlp,
                    agencyKind: kind, createdAt: date(try stored.value("created_at", as: Int64.self)),
                    expiresAt: date(try stored.value("expires_at", as: Int64.self)),
                    revokedAt: try stored.optionalValue("revoked_at", as: Int64.self).map(date),
                    lastUsedAt: try stored.optionalValue("last_used_at", as: Int64.self).map(date)))
        }
        return result
    }
}
