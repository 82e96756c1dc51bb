import Exchange
import Foundation
import Testing

@testable import Store

/// The console's reader sees the flags for review the node writes (`bulletin_flag`).
@Suite("BulletinReader: bulletins flagged for review")
struct BulletinReaderFlagTests {
    let folder: TemporaryFolder
    let path: String
    let ma = Fixtures.morocco
    let dz = Fixtures.algeria
    let tn = Fixtures.tunisia

    init() throws {
        folder = try TemporaryFolder()
        path = folder.path("store.sqlite")
    }

    /// An own bulletin (1, MA) and bulletins received from DZ (2: created at 1,990, stored at
    /// 2,000; 3: created at 2,990, stored at 3,000) and TN (4); DZ's keys revoked from 2,500 in
    /// roster 7: bulletin 3 alone is flagged.
    func flaggedStore() throws -> BulletinStore {
        let store = try BulletinStore(path: path)
        try BulletinReaderTests.post(BulletinReaderTests.bulletin(1, origin: ma, storedAt: 1_000), to: [dz], in: store)
        try BulletinReaderTests.receive(
            [
                BulletinReaderTests.bulletin(2, origin: dz, storedAt: 2_000),
                BulletinReaderTests.bulletin(3, origin: dz, storedAt: 3_000),
                BulletinReaderTests.bulletin(4, origin: tn, storedAt: 4_000),
            ], in: store, signer: 7)
        let flags = try store.flagBulletinsOfRevokedKey(
            origin: dz, signer: 7, since: Fixtures.time(2_500), rosterVersion: 7, at: Fixtures.time(9_000))
        #expect(flags?.first.map(\.bulletin) == [BulletinReaderTests.reference(3, origin: dz)])
        return store
    }

    @Test("a page marks the flagged bulletin alone, and so do a summary and a page with bodies")
    func pageMarksFlagged() throws {
        let store = try flaggedStore()
        let reader = try BulletinReader(storeFile: URL(fileURLWithPath: path))
        let flagged = BulletinReaderTests.reference(3, origin: dz)
        let page = try reader.page(BulletinQuery())
        #expect(page.items.count == 4)
        #expect(page.items.filter(\.flagged).map(\.id) == [flagged])
        #expect(try reader.summary(id: flagged.description)?.flagged == true)
        #expect(try reader.summary(id: BulletinReaderTests.reference(2, origin: dz).description)?.flagged == false)
        var query = BulletinQuery()
        query.oldestFirst = true
        #expect(try reader.pageWithBodies(query).items.filter(\.summary.flagged).map(\.summary.id) == [flagged])
        _ = store
    }

    @Test("a record carries its flag as the node wrote it; an unflagged record has none")
    func recordCarriesFlag() throws {
        let store = try flaggedStore()
        let reader = try BulletinReader(storeFile: URL(fileURLWithPath: path))
        let flagged = BulletinReaderTests.reference(3, origin: dz)
        let record = try #require(try reader.bulletin(id: flagged.description))
        #expect(
            record.flag
                == BulletinFlag(
                    bulletin: flagged, reason: .revokedKey, since: Fixtures.time(2_500), rosterVersion: 7,
                    flaggedAt: Fixtures.time(9_000)))
        #expect(record.summary.flagged)
        for number in [2, 4] {
            let origin = number == 4 ? tn : dz
            let other = try #require(
                try reader.bulletin(id: BulletinReaderTests.reference(number, origin: origin).description))
            #expect(other.flag == nil && !other.summary.flagged)
        }
        let own = try #require(try reader.bulletin(id: BulletinReaderTests.reference(1, origin: ma).description))
        #expect(own.flag == nil && !own.summary.flagged)
        _ = store
    }
}
