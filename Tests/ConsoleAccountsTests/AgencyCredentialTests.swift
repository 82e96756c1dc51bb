import Clearance
import ConsoleAccounts
import Exchange
import Foundation
import GRDB
import Sodium
import Testing

@Suite("console accounts: agency systems' TAXII credentials")
struct AgencyCredentialTests {
    let fixture: ConsoleFixture
    var store: AccountStore { fixture.store }
    let start = ConsoleFixture.start
    static let day: TimeInterval = 86_400

    init() throws {
        fixture = try ConsoleFixture()
    }

    func newAgency(
        _ name: String = "ma-customs", groups: [String] = ["security", "Customs", "customs"], tlp: String = "amber",
        kind: String = "law-enforcement", expires: TimeInterval = 90 * day
    ) -> NewAgency {
        NewAgency(name: name, workingGroups: groups, highestTLP: tlp, agencyKind: kind, expiresAt: start + expires)
    }

    @Test("an added agency's token is bnt_ and 32 random bytes in Base64url, accepted; only its SHA-256 is stored")
    func addAndAccept() throws {
        let (agency, token) = try store.addAgency(newAgency(), now: start)
        #expect(agency.name == "ma-customs" && agency.workingGroups == ["customs", "security"])
        #expect(agency.highestTLP == "AMBER" && agency.agencyKind == "law-enforcement")
        #expect(agency.createdAt == start && agency.expiresAt == start + 90 * Self.day)
        #expect(agency.revokedAt == nil && agency.lastUsedAt == nil)
        #expect(token.hasPrefix("bnt_") && token.count == 47)
        let bytes = try Base64.decode(String(token.dropFirst(4)), variant: .urlSafeUnpadded)
        #expect(bytes.count == 32)
        let stored = try fixture.values(of: "agency")
        let blobs = stored.compactMap { Data.fromDatabaseValue($0) }.map { [UInt8]($0) }
        #expect(blobs.contains(SHA256.hash(bytes)) && !blobs.contains(bytes))
        #expect(!stored.compactMap { String.fromDatabaseValue($0) }.contains { $0.contains(token.dropFirst(4)) })

        let found = try #require(try store.agency(token: token, now: start + 10))
        #expect(found.id == agency.id && found.lastUsedAt == start + 10)
        #expect(found.grant == AgencyGrant(workingGroups: [.customs, .security], highestTLP: .amber, agencyKind: .lawEnforcement))
        #expect(try store.agencies() == [found])
        #expect(found.status(at: start) == .active)
    }

    @Test("a wrong, garbage, huge or session-shaped token finds no agency")
    func refusedTokens() throws {
        let (_, token) = try store.addAgency(newAgency(), now: start)
        let random = "bnt_" + Base64.encode(SecureRandom.bytes(count: 32), variant: .urlSafeUnpadded)
        var flipped = Array(token)
        flipped[10] = flipped[10] == "A" ? "B" : "A"
        let candidates = [
            random, String(flipped), "", "bnt_", String(token.dropFirst(4)), "BNT_" + token.dropFirst(4), token + "A",
            String(token.dropLast()), token + "=", "bnt_" + String(repeating: "!", count: 43),
            "bnt_" + String(repeating: "A", count: 1_000_000), String(repeating: "\u{0}", count: 47),
            "Bearer " + token, " " + token,
        ]
        for candidate in candidates {
            #expect(try store.agency(token: candidate, now: start) == nil, "\(candidate.prefix(60))")
        }
        #expect(try store.agency(token: token, now: start) != nil)
    }

    @Test("a token stops working at its expiry and when revoked; a revoked agency stays listed")
    func expiryAndRevocation() throws {
        let (agency, token) = try store.addAgency(newAgency(expires: Self.day), now: start)
        #expect(try store.agency(token: token, now: start + Self.day - 1) != nil)
        #expect(try store.agency(token: token, now: start + Self.day) == nil)
        #expect(try store.agencies().first?.status(at: start + Self.day) == .expired)

        let (other, otherToken) = try store.addAgency(newAgency("ma-police"), now: start)
        #expect(other.id > agency.id)
        try store.revokeAgency(named: "MA-Police", now: start + 5)
        #expect(try store.agency(token: otherToken, now: start + 6) == nil)
        try store.revokeAgency(named: "ma-police", now: start + 50)
        let listed = try #require(try store.agency(named: "ma-police"))
        #expect(listed.revokedAt == start + 5 && listed.status(at: start + 6) == .revoked)
        #expect(throws: AccountError.self) { try store.renewAgencyToken(named: "ma-police", expiresAt: start + Self.day, now: start) }
        #expect(throws: AccountError.self) { try store.revokeAgency(named: "nobody", now: start) }
        #expect(throws: AccountError.self) { try store.renewAgencyToken(named: "nobody", expiresAt: start + Self.day, now: start) }
    }

    @Test("renewing gives a new token and expiry; the old token stops working, even an expired agency's")
    func renewal() throws {
        let (agency, old) = try store.addAgency(newAgency(expires: Self.day), now: start)
        let later = start + 2 * Self.day
        #expect(try store.agency(token: old, now: later) == nil)
        let new = try store.renewAgencyToken(named: "ma-customs", expiresAt: later + 30 * Self.day, now: later)
        #expect(new != old && new.hasPrefix("bnt_"))
        #expect(try store.agency(token: old, now: later) == nil)
        #expect(try store.agency(token: old, now: start) == nil)
        let found = try #require(try store.agency(token: new, now: later))
        #expect(found.id == agency.id && found.expiresAt == later + 30 * Self.day)
        #expect(throws: AccountError.self) { try store.renewAgencyToken(named: "ma-customs", expiresAt: later, now: later) }
        #expect(throws: AccountError.self) {
            try store.renewAgencyToken(named: "ma-customs", expiresAt: later + 6 * 366 * Self.day, now: later)
        }
    }

    @Test("the last-used time moves at most once a minute")
    func lastUsedResolution() throws {
        let (_, token) = try store.addAgency(newAgency(), now: start)
        #expect(try store.agency(token: token, now: start)?.lastUsedAt == start)
        #expect(try store.agency(token: token, now: start + 59)?.lastUsedAt == start)
        #expect(try store.agency(named: "ma-customs")?.lastUsedAt == start)
        #expect(try store.agency(token: token, now: start + 60)?.lastUsedAt == start + 60)
        #expect(try store.agency(named: "ma-customs")?.lastUsedAt == start + 60)
    }

    @Test("names, groups, TLP, kind and expiry are checked; a name is never used twice, revoked or not")
    func validation() throws {
        let bad: [NewAgency] = [
            newAgency("ab"), newAgency(String(repeating: "a", count: 65)), newAgency("ma customs"), newAgency("ma/customs"),
            newAgency("مغرب"), newAgency("ma-customs\u{0}"), newAgency(groups: []), newAgency(groups: ["customs", "navy"]),
            newAgency(tlp: "orange"), newAgency(tlp: ""), newAgency(kind: "police"), newAgency(expires: 0),
            newAgency(expires: -1), newAgency(expires: 1_828 * Self.day),
        ]
        for agency in bad {
            #expect(throws: AccountError.self, "\(agency)") { try store.addAgency(agency, now: start) }
        }
        #expect(try store.agencies().isEmpty)
        let red = try store.addAgency(newAgency("ma.dgsn_1", tlp: "TLP:red", kind: "intelligence", expires: 1_827 * Self.day), now: start)
        #expect(red.agency.highestTLP == "RED" && red.agency.grant.highestTLP == .red)
        let strict = try store.addAgency(newAgency("ma-justice", groups: ["justice"], tlp: "amber+strict"), now: start)
        #expect(strict.agency.highestTLP == "AMBER+STRICT")
        do {
            _ = try store.addAgency(newAgency("MA.DGSN_1"), now: start)
            Issue.record("a duplicate name was accepted")
        } catch {
            guard case .agencyNameTaken("ma.dgsn_1") = error else { throw error }
            #expect(error.description.contains("agency renew"))
        }
        try store.revokeAgency(named: "ma.dgsn_1", now: start)
        #expect(throws: AccountError.self) { try store.addAgency(newAgency("ma.dgsn_1"), now: start) }
    }

    @Test("at most the policy's number of agencies are not revoked at once")
    func bounded() throws {
        var policy = AccountPolicy.standard
        policy.maximumAgencies = 3
        let small = try ConsoleFixture(policy: policy)
        for index in 0..<3 { _ = try small.store.addAgency(newAgency("agency-\(index)"), now: start) }
        do {
            _ = try small.store.addAgency(newAgency("agency-3"), now: start)
            Issue.record("a fourth agency was accepted")
        } catch {
            guard case .tooManyAgencies(limit: 3) = error else { throw error }
        }
        try small.store.revokeAgency(named: "agency-0", now: start)
        _ = try small.store.addAgency(newAgency("agency-3"), now: start)
        #expect(try small.store.agencies().count == 4)
    }

    @Test("agency ids are never reused and survive reopening the file")
    func stableIDs() throws {
        let first = try store.addAgency(newAgency("first-agency"), now: start).agency
        let queue = try DatabaseQueue(path: store.path)
        try queue.write { db in try db.execute(sql: "DELETE FROM agency") }
        let second = try store.addAgency(newAgency("second-agency"), now: start).agency
        #expect(second.id > first.id)
        let reopened = try AccountStore.open(folder: fixture.folder)
        #expect(try reopened.agencies() == [second])
    }
}
