import Foundation
import Sodium
import Testing

@testable import Exchange

@Suite("Roster: well-formedness, signature, acceptance")
struct RosterTests {
    let verifier = RosterVerifier(secretariatKey: Fixtures.secretariatKey.publicKey)

    @Test("a fresh node installs a valid roster; the same roster again is already installed")
    func installAndReinstall() throws {
        let signed = Fixtures.standardRoster.signed(by: Fixtures.secretariatKey)
        let acceptance = try verifier.accept(signed, installed: nil, now: Fixtures.now)
        #expect(acceptance == .install(Fixtures.standardRoster))
        #expect(try verifier.accept(signed, installed: Fixtures.standardRoster, now: Fixtures.now) == .alreadyInstalled)
        #expect(try verifier.verify(signed, now: Fixtures.now) == Fixtures.standardRoster)
    }

    @Test("a higher version replaces the installed roster; a lower one is a rollback")
    func versions() throws {
        let newer = Fixtures.roster(version: 8).signed(by: Fixtures.secretariatKey)
        #expect(try verifier.accept(newer, installed: Fixtures.standardRoster, now: Fixtures.now) == .install(Fixtures.roster(version: 8)))
        let older = Fixtures.roster(version: 6).signed(by: Fixtures.secretariatKey)
        #expect(throws: RosterError.rollback(offered: 6, installed: 7)) {
            try verifier.accept(older, installed: Fixtures.standardRoster, now: Fixtures.now)
        }
    }

    @Test("the same version with other contents is a conflict (the secretariat key signed twice)")
    func equivocation() throws {
        let other = Fixtures.roster(version: 7, expiresAt: Fixtures.expiresAt.adding(milliseconds: 1))
        #expect(throws: RosterError.versionConflict(version: 7)) {
            try verifier.accept(other.signed(by: Fixtures.secretariatKey), installed: Fixtures.standardRoster, now: Fixtures.now)
        }
    }

    @Test("an expired roster is refused, at and after its expiry")
    func expiry() throws {
        let signed = Fixtures.roster(version: 8).signed(by: Fixtures.secretariatKey)
        for now in [Fixtures.expiresAt, Fixtures.expiresAt.adding(milliseconds: 86_400_000)] {
            #expect(throws: RosterError.expired(expiresAt: Fixtures.expiresAt, now: now)) {
                try verifier.accept(signed, installed: Fixtures.standardRoster, now: now)
            }
            #expect(throws: RosterError.expired(expiresAt: Fixtures.expiresAt, now: now)) {
                try verifier.verify(signed, now: now)
            }
        }
        let lastMoment = Timestamp(millisecondsSinceEpoch: Fixtures.expiresAt.millisecondsSinceEpoch - 1)
        #expect(try verifier.accept(signed, installed: nil, now: lastMoment) == .install(Fixtures.roster(version: 8)))
    }

    @Test("a roster signed by another key, or altered by one bit anywhere, is refused")
    func badSignature() throws {
        let byOther = Fixtures.standardRoster.signed(by: Fixtures.ma.signingKey)
        #expect(throws: RosterError.badSignature) { try verifier.accept(byOther, installed: nil, now: Fixtures.now) }
        let signed = Fixtures.standardRoster.signed(by: Fixtures.secretariatKey)
        let serialized = signed.serializedBytes
        for offset in stride(from: 0, to: serialized.count, by: 13) {
            var damaged = serialized
            damaged[offset] ^= 0x20
            #expect(throws: RosterError.badSignature, "offset \(offset)") {
                try verifier.accept(SignedRoster(serializedBytes: damaged), installed: nil, now: Fixtures.now)
            }
        }
        #expect(throws: RosterError.self) { try SignedRoster(serializedBytes: Array(serialized.prefix(64))) }
    }

    @Test("an oversized signed roster is refused before its signature is checked")
    func tooLarge() {
        let huge = SignedRoster(rosterBytes: [UInt8](repeating: 0, count: 1 << 20), signature: [UInt8](repeating: 0, count: 64))
        #expect(throws: RosterError.tooLarge(size: (1 << 20) + 64, limit: 1 << 20)) {
            try verifier.accept(huge, installed: nil, now: Fixtures.now)
        }
    }

    @Test("well-formedness: unique states and keys, one secretariat, links between distinct members, valid dates")
    func wellFormedness() throws {
        let members = Fixtures.members
        func build(members: [RosterMember] = members, links: [Link] = [], issuedAt: Timestamp = Fixtures.issuedAt) throws {
            _ = try Roster(version: 1, issuedAt: issuedAt, expiresAt: Fixtures.expiresAt, members: members, links: links)
        }
        let ma = Fixtures.ma.state
        let dz = Fixtures.dz.state
        let ly = Fixtures.ly.state
        #expect(throws: RosterError.duplicateState(ma)) {
            try build(members: members + [RosterMember(card: Fixtures.impostor.card, role: .member)])
        }
        let reusedKey = try IdentityCard(
            state: ly, nodeName: "ly", signingKey: Fixtures.ly.card.signingKey, encryptionKey: Fixtures.dz.card.encryptionKey,
            transportKey: Fixtures.ly.card.transportKey, endpoints: Fixtures.ly.card.endpoints)
        #expect(throws: RosterError.duplicateKey(state: ly, otherState: dz)) {
            try build(members: members + [RosterMember(card: reusedKey, role: .member)])
        }
        let crossedKey = try IdentityCard(
            state: ly, nodeName: "ly", signingKey: Fixtures.ly.card.signingKey, encryptionKey: Fixtures.ly.card.encryptionKey,
            transportKey: Fixtures.dz.card.encryptionKey, endpoints: Fixtures.ly.card.endpoints)
        #expect(throws: RosterError.duplicateKey(state: ly, otherState: dz)) {
            try build(members: members + [RosterMember(card: crossedKey, role: .member)])
        }
        #expect(throws: RosterError.multipleSecretariats) {
            try build(members: members + [RosterMember(card: Fixtures.ly.card, role: .secretariat)])
        }
        #expect(throws: RosterError.linkToNonMember(Link(origin: ma, recipient: ly))) {
            try build(links: [Link(origin: ma, recipient: ly)])
        }
        #expect(throws: RosterError.selfLink(ma)) { try build(links: [Link(origin: ma, recipient: ma)]) }
        #expect(throws: RosterError.duplicateLink(Link(origin: ma, recipient: dz))) {
            try build(links: [Link(origin: ma, recipient: dz), Link(origin: ma, recipient: dz)])
        }
        #expect(throws: RosterError.invalidValidity(issuedAt: Fixtures.expiresAt, expiresAt: Fixtures.expiresAt)) {
            try build(issuedAt: Fixtures.expiresAt)
        }
        #expect(throws: RosterError.invalidSize(reason: "a roster has at least one member")) { try build(members: []) }
    }

    @Test("decoding refuses members or links out of canonical order, and trailing bytes")
    func canonicalOrder() throws {
        // Build the bytes of a roster with two members swapped by hand.
        let roster = Fixtures.standardRoster
        var writer = ByteWriter()
        writer.write(raw: Roster.tag)
        writer.write(Roster.formatVersion)
        writer.write(roster.version)
        writer.write(roster.issuedAt.millisecondsSinceEpoch)
        writer.write(roster.expiresAt.millisecondsSinceEpoch)
        let swapped = [roster.members[1], roster.members[0]] + roster.members.dropFirst(2)
        writer.write(count: swapped.count)
        for member in swapped {
            writer.write(member.role.rawValue)
            let card = member.card.canonicalBytes
            writer.write(UInt16(card.count))
            writer.write(raw: card)
        }
        writer.write(count: 0)
        #expect(throws: RosterError.self) { try Roster(canonicalBytes: writer.bytes) }
        do {
            _ = try Roster(canonicalBytes: writer.bytes)
        } catch {
            guard case .malformed(.invalidField(let field, _)) = error else {
                Issue.record("expected a non-canonical order error, got \(error)")
                return
            }
            #expect(field == "members")
        }
        #expect(throws: RosterError.malformed(.trailingBytes(what: "roster", count: 1))) {
            try Roster(canonicalBytes: roster.canonicalBytes + [0])
        }
        #expect(throws: RosterError.malformed(.wrongTag(what: "roster"))) {
            try Roster(canonicalBytes: Fixtures.ma.card.canonicalBytes)
        }
    }

    @Test("bytes and JSON round-trip; members and links come out sorted whatever the input order")
    func roundTrips() throws {
        let roster = try Roster(
            version: 3, issuedAt: Fixtures.issuedAt, expiresAt: Fixtures.expiresAt, members: Fixtures.members.reversed(),
            links: Fixtures.links.reversed())
        #expect(roster == Fixtures.roster(version: 3))
        #expect(roster.members.map(\.state) == roster.members.map(\.state).sorted())
        #expect(roster.links == roster.links.sorted())
        #expect(try Roster(canonicalBytes: roster.canonicalBytes) == roster)
        let json = try JSONEncoder().encode(roster)
        #expect(try JSONDecoder().decode(Roster.self, from: json) == roster)
    }

    @Test("lookups: members, links, recipients and origins")
    func lookups() {
        let roster = Fixtures.standardRoster
        let (ma, dz, tn, mr, es) = (Fixtures.ma.state, Fixtures.dz.state, Fixtures.tn.state, Fixtures.mr.state, Fixtures.es.state)
        #expect(roster.member(ma)?.card == Fixtures.ma.card)
        #expect(roster.member(es)?.role == .partner)
        #expect(roster.member(Fixtures.ly.state) == nil)
        #expect(roster.isLinked(from: ma, to: dz) && roster.isLinked(from: dz, to: ma))
        #expect(!roster.isLinked(from: ma, to: tn))
        #expect(roster.isLinked(from: ma, to: es) && !roster.isLinked(from: es, to: ma))
        #expect(roster.recipients(of: ma) == [dz, es, mr])
        #expect(roster.origins(sendingTo: dz) == [ma, mr, tn])
        #expect(!roster.isExpired(at: Fixtures.now))
    }
}
