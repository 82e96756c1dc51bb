import Exchange
import Foundation
import Testing

@testable import Store

/// What a revocation flags in the store (docs/PROTOCOL.md §6.5): exactly what the revoked key
/// signed from the compromise time, once.
@Suite("BulletinStore: flags of a revoked key")
struct BulletinFlagTests {
    let folder: TemporaryFolder
    let dz = Fixtures.algeria
    let tn = Fixtures.tunisia

    init() throws { folder = try TemporaryFolder() }

    @Test(
        "a revocation flags what its key signed, created or stored from the compromise time: not the state's new key's, not another state's, not a refused envelope's, and only once"
    )
    func exactlyWhatTheKeySigned() throws {
        let store = try BulletinStore(path: folder.path("store.sqlite"))
        let bulletin = BulletinReaderTests.bulletin
        // DZ's stolen key (fingerprint 7) signed 1 (before) and 2, 3 (from 2,500); its new key (8)
        // signed 4; TN's key with the same fingerprint signed 5; none before store v4 (nil): 6.
        try BulletinReaderTests.receive(
            [bulletin(1, dz, 2_000), bulletin(2, dz, 2_600), bulletin(3, dz, 3_000)], in: store, signer: 7)
        try BulletinReaderTests.receive([bulletin(4, dz, 4_000)], in: store, signer: 8)
        try BulletinReaderTests.receive([bulletin(5, tn, 5_000)], in: store, signer: 7)
        try BulletinReaderTests.receive([bulletin(6, dz, 6_000)], in: store, signer: nil)

        #expect(try store.bulletinsToFlag(origin: dz, signer: 7, since: Fixtures.time(2_500)) == 2)
        let flagged = try #require(
            try store.flagBulletinsOfRevokedKey(
                origin: dz, signer: 7, since: Fixtures.time(2_500), rosterVersion: 4, at: Fixtures.time(9_000)))
        #expect(flagged.count == 2)
        #expect(flagged.first.map(\.bulletin) == [2, 3].map { BulletinReaderTests.reference($0, origin: dz) })
        #expect(
            flagged.first.allSatisfy {
                $0.reason == .revokedKey && $0.since == Fixtures.time(2_500) && $0.rosterVersion == 4
            })
        // Applied once: a second call (a restart, the next roster) changes nothing.
        #expect(try store.bulletinsToFlag(origin: dz, signer: 7, since: Fixtures.time(2_500)) == nil)
        #expect(
            try store.flagBulletinsOfRevokedKey(
                origin: dz, signer: 7, since: Fixtures.time(2_500), rosterVersion: 5, at: Fixtures.time(9_500)) == nil)
        #expect(try store.flaggedCount() == 2)
        let all = (1...6).map { BulletinReaderTests.reference($0, origin: $0 == 5 ? tn : dz) }
        #expect(try store.flags(of: all).keys.sorted() == [all[1], all[2]].sorted())
        #expect(
            try store.bulletins(matching: .init(flaggedOnly: true), localState: try StateCode("MA")).map(\.reference)
                == [all[1], all[2]])
    }

    @Test("a flag given with a delivery is stored in its transaction, with the bulletin")
    func flagOnArrival() throws {
        let store = try BulletinStore(path: folder.path("store.sqlite"))
        let stored = BulletinReaderTests.bulletin(1, dz, 3_000)
        let flag = BulletinFlag(
            bulletin: stored.reference, reason: .revokedKey, since: Fixtures.time(2_500), rosterVersion: 4,
            flaggedAt: Fixtures.time(3_000))
        try store.recordDeliveries([
            BulletinStore.Delivery(
                envelope: IncomingEnvelope(
                    origin: dz, sequence: 1, bulletin: stored.reference, hash: Fixtures.hash("arrival"),
                    receivedAt: Fixtures.time(3_000), signer: 7),
                bulletin: stored, flag: flag)
        ])
        #expect(try store.flags(of: [stored.reference]) == [stored.reference: flag])
        #expect(try store.incomingEnvelope(from: dz, sequence: 1)?.signer == 7)
    }
}

extension BulletinReaderTests {
    /// A bulletin `number` of `origin` created 10 ms before it is stored at `storedAt` ms.
    static func bulletin(_ number: Int, _ origin: StateCode, _ storedAt: UInt64) -> StoredBulletin {
        bulletin(number, origin: origin, storedAt: storedAt)
    }
}
