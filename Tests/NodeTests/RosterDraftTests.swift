import Exchange
import NodeSetup
import Testing

/// The secretariat's draft keeps a key history (issue 19): a card with new keys for a member is
/// a rotation, `revoke` a revocation from the compromise time.
@Suite("The roster draft's key history")
struct RosterDraftTests {
    private func identity(_ state: String) throws -> NodeIdentity {
        try NodeIdentity(
            state: StateCode(state), nodeName: "\(state.lowercased())-1",
            endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
    }

    private let t1 = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
    private let t2 = Timestamp(millisecondsSinceEpoch: 1_800_000_100_000)

    @Test("a card with new keys keeps the old ones until valid-from; the same keys replace the card without history")
    func rotation() throws {
        let (ma, dz) = (try identity("MA"), try identity("DZ"))
        let next = try NodeIdentity(state: ma.state, nodeName: ma.card.nodeName, endpoints: ma.card.endpoints)
        var draft = RosterDraft()
        try draft.add(RosterMember(card: ma.card, role: .member), validFrom: t1)
        draft.add(RosterMember(card: dz.card, role: .member))
        #expect(draft.retiredKeys.isEmpty, "a new member has no history")
        try draft.add(
            RosterMember(card: ma.card, role: .member, readsSchema: BodySchemaVersion(major: 1, minor: 1)),
            validFrom: t1)
        #expect(draft.retiredKeys.isEmpty, "the same keys are no rotation")
        try draft.add(RosterMember(card: next.card, role: .member), validFrom: t1)
        #expect(draft.retiredKeys == [RetiredKeys(retiring: ma.card, until: t1)])
        #expect(draft.members.first { $0.state == ma.state }?.card == next.card)
        // A later rotation must retire after the earlier one.
        let third = try NodeIdentity(state: ma.state, nodeName: ma.card.nodeName, endpoints: ma.card.endpoints)
        #expect(throws: RosterDraftError.validFromNotAfterPrevious(state: ma.state, previous: t1)) {
            try draft.add(RosterMember(card: third.card, role: .member), validFrom: t1)
        }
        let roster = try Roster(
            version: 2, issuedAt: t1, expiresAt: t2, members: draft.members, links: draft.links,
            retiredKeys: draft.retiredKeys)
        #expect(roster.format == Roster.formatVersionWithKeyHistory)
        #expect(
            roster.signingKeys(of: ma.state, at: Timestamp(millisecondsSinceEpoch: t1.millisecondsSinceEpoch - 1)) == [
                ma.card.signingKey, next.card.signingKey,
            ])
        #expect(roster.signingKeys(of: ma.state, at: t1) == [next.card.signingKey])
    }

    @Test(
        "revoke: the keys revoked from the compromise time, the state and its links removed; in a rotation's overlap the older keys too"
    )
    func revocation() throws {
        let (ma, dz) = (try identity("MA"), try identity("DZ"))
        var draft = RosterDraft()
        draft.add(RosterMember(card: ma.card, role: .member))
        draft.add(RosterMember(card: dz.card, role: .member))
        draft.link(Link(origin: ma.state, recipient: dz.state))
        draft.link(Link(origin: dz.state, recipient: ma.state))
        try draft.revoke(dz.state, since: t1, reason: "server seized")
        #expect(draft.members.map(\.state) == [ma.state])
        #expect(draft.links.isEmpty)
        #expect(draft.retiredKeys == [RetiredKeys(retiring: dz.card, until: t1, revocation: "server seized")])
        #expect(throws: RosterDraftError.notAMember(dz.state)) {
            try draft.revoke(dz.state, since: t2, reason: "again")
        }

        // A compromise in a rotation's overlap (MA rotated, its old keys trusted until t2, the
        // data folder with keys.retired/ stolen at t1): the old keys are revoked too, from just
        // before t1, and nothing either signed from t1 on is trusted.
        let next = try NodeIdentity(state: ma.state, nodeName: ma.card.nodeName, endpoints: ma.card.endpoints)
        try draft.add(RosterMember(card: next.card, role: .member), validFrom: t2)
        try draft.revoke(ma.state, since: t1, reason: "data folder stolen")
        let beforeT1 = Timestamp(millisecondsSinceEpoch: t1.millisecondsSinceEpoch - 1)
        #expect(
            draft.retiredKeys.filter { $0.state == ma.state } == [
                RetiredKeys(retiring: ma.card, until: beforeT1, revocation: "data folder stolen"),
                RetiredKeys(retiring: next.card, until: t1, revocation: "data folder stolen"),
            ])
        #expect(draft.members.isEmpty)
        let roster = try Roster(
            version: 3, issuedAt: t1, expiresAt: t2, members: draft.members.isEmpty ? [RosterMember(card: try identity("TN").card, role: .member)] : draft.members,
            links: draft.links, retiredKeys: draft.retiredKeys)
        #expect(roster.signingKeys(of: ma.state, at: t1).isEmpty)
        #expect(roster.signingKeys(of: ma.state, at: Timestamp(millisecondsSinceEpoch: t1.millisecondsSinceEpoch - 2)) == [
            ma.card.signingKey, next.card.signingKey,
        ])
        #expect(
            roster.signingKeys(of: dz.state, at: Timestamp(millisecondsSinceEpoch: t1.millisecondsSinceEpoch - 1)) == [
                dz.card.signingKey
            ])
        #expect(
            roster.signingKeys(of: dz.state, at: t1).isEmpty, "a revoked key verifies nothing from the compromise on")
        #expect(roster.acceptedTransportKeys(at: .now)[dz.state] == nil, "a removed state is never let in")
    }
}
