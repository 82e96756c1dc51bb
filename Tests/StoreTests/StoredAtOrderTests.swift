import Exchange
import Foundation
import GRDB
@testable import Store
import Testing

/// `stored_at` is strictly increasing in commit order, whatever the clock the node passes in:
/// readers paging on `(stored_at, id)` (TAXII's `added_after`, the console's feed, `export stix
/// --since`) never find a later commit behind a position they passed (issue 17).
@Suite("BulletinStore: stored_at follows commit order")
struct StoredAtOrderTests {
    let folder: TemporaryFolder
    let path: String
    let ma = Fixtures.morocco
    let dz = Fixtures.algeria
    let tn = Fixtures.tunisia

    init() throws {
        folder = try TemporaryFolder()
        path = folder.path("store.sqlite")
    }

    /// Bulletin `number` of `origin`, stored at `storedAt` by the node's clock.
    func bulletin(_ number: Int, origin: StateCode, storedAt: UInt64) -> StoredBulletin {
        let reference = BulletinReaderTests.reference(number, origin: origin)
        return StoredBulletin(
            reference: reference, incidentType: "drug-trafficking", tlp: .amber, createdAt: Fixtures.time(1), storedAt: Fixtures.time(storedAt),
            body: Array(#"{"id":"\#(reference)","handling":["not-for-third-states"]}"#.utf8))
    }

    /// Every bulletin's id and stored_at, in the order they were inserted (rowid).
    func stored() throws -> [(id: String, storedAt: Int64)] {
        try folder.rawQueue("store.sqlite").read { db in
            try Row.fetchAll(db, sql: "SELECT id, stored_at FROM bulletin ORDER BY rowid").map { ($0["id"], $0["stored_at"]) }
        }
    }

    /// The handling rows' stored_at per bulletin id: the same value as the bulletin's.
    func handlingTimes() throws -> [String: Int64] {
        try folder.rawQueue("store.sqlite").read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT bulletin_id, stored_at FROM bulletin_handling").map {
                    ($0["bulletin_id"] as String, $0["stored_at"] as Int64)
                })
        }
    }

    func isStrictlyIncreasing(_ values: [Int64]) -> Bool { zip(values, values.dropFirst()).allSatisfy { $0 < $1 } }

    @Test("many bulletins in the same millisecond, posted and received, in batches and alone: strictly increasing in insert order")
    func sameMillisecond() throws {
        let store = try BulletinStore(path: path)
        // A TN bulletin then a DZ one (whose id sorts first) at the same millisecond: the defect's case.
        try BulletinReaderTests.receive([bulletin(1, origin: tn, storedAt: 5_000)], in: store)
        try BulletinReaderTests.receive([bulletin(2, origin: dz, storedAt: 5_000)], in: store)
        // A batch of 100 received bulletins and 50 single posts, all proposing the same millisecond.
        try BulletinReaderTests.receive((3...102).map { bulletin($0, origin: $0.isMultiple(of: 2) ? dz : tn, storedAt: 5_000) }, in: store)
        for number in 103...152 { try BulletinReaderTests.post(bulletin(number, origin: ma, storedAt: 5_000), to: [dz], in: store) }
        let rows = try stored()
        #expect(rows.count == 152)
        #expect(rows.map(\.storedAt) == (0..<152).map { 5_000 + Int64($0) })
        #expect(try handlingTimes() == Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.storedAt) }))
        // A reader that passed the TN bulletin finds the DZ one after it.
        let reader = try BulletinReader(storeFile: URL(fileURLWithPath: path))
        var query = BulletinQuery(limit: 1)
        query.oldestFirst = true
        let first = try reader.page(query).items
        #expect(first.map(\.id) == [BulletinReaderTests.reference(1, origin: tn)])
        query.after = first.first?.cursor
        #expect(try reader.page(query).items.map(\.id) == [BulletinReaderTests.reference(2, origin: dz)])
    }

    @Test("a clock that steps back: each bulletin still follows the last, and the clock is used again once it is ahead")
    func clockStepsBack() throws {
        let store = try BulletinStore(path: path)
        let proposed: [UInt64] = [10_000, 10_000, 9_000, 3_000, 10_001, 10_010, 10_010, 0, 20_000]
        for (index, time) in proposed.enumerated() {
            if index.isMultiple(of: 2) {
                try BulletinReaderTests.receive([bulletin(index, origin: dz, storedAt: time)], in: store)
            } else {
                try BulletinReaderTests.post(bulletin(index, origin: ma, storedAt: time), to: [tn], in: store)
            }
        }
        #expect(try stored().map(\.storedAt) == [10_000, 10_001, 10_002, 10_003, 10_004, 10_010, 10_011, 10_012, 20_000])
        // Read back through the store's API, a bulletin carries the time it was stored at.
        #expect(try store.bulletin(BulletinReaderTests.reference(3, origin: ma))?.storedAt == Fixtures.time(10_003))
    }

    @Test("reopening continues after the highest stored_at, including rows written before this version")
    func reopening() throws {
        do {
            let store = try BulletinStore(path: path)
            try BulletinReaderTests.receive([bulletin(1, origin: dz, storedAt: 7_000), bulletin(2, origin: dz, storedAt: 7_000)], in: store)
        }
        do {
            let store = try BulletinStore(path: path)
            try BulletinReaderTests.post(bulletin(3, origin: ma, storedAt: 6_000), to: [dz], in: store)
        }
        // A row with a later time written by hand (an older version's tie, a restored file).
        try folder.rawQueue("store.sqlite").write { db in
            try db.execute(sql: "UPDATE bulletin SET stored_at = 8500 WHERE id = ?", arguments: [BulletinReaderTests.reference(1, origin: dz)])
        }
        let store = try BulletinStore(path: path)
        try BulletinReaderTests.receive([bulletin(4, origin: tn, storedAt: 100)], in: store)
        #expect(try stored().map(\.storedAt) == [8_500, 7_001, 7_002, 8_501])
    }

    @Test("a bulletin already stored takes no time; a rolled-back batch leaves later bulletins above every committed one")
    func duplicatesAndRollbacks() throws {
        let store = try BulletinStore(path: path)
        let first = bulletin(1, origin: dz, storedAt: 4_000)
        try BulletinReaderTests.receive([first, first], in: store)
        try BulletinReaderTests.receive([bulletin(2, origin: dz, storedAt: 4_000)], in: store)
        #expect(try stored().map(\.storedAt) == [4_000, 4_001])
        // A batch of posts whose sealing fails stores nothing.
        #expect(throws: (any Error).self) {
            _ = try store.recordPosts(
                [3, 4].map { BulletinStore.Post(bulletin: bulletin($0, origin: ma, storedAt: 4_000), recipients: [dz]) }
            ) { post, _, _ in
                struct SealingFailed: Error {}
                throw SealingFailed()
            }
        }
        #expect(try stored().count == 2)
        try BulletinReaderTests.post(bulletin(5, origin: ma, storedAt: 4_000), to: [dz], in: store)
        let times = try stored().map(\.storedAt)
        #expect(times.count == 3)
        #expect(isStrictlyIncreasing(times))
    }

    @Test("a stored_at that is not a time stops the opening, naming the row")
    func damagedLastTime() throws {
        do {
            let store = try BulletinStore(path: path)
            try BulletinReaderTests.receive([bulletin(1, origin: dz, storedAt: 1_000)], in: store)
        }
        try folder.rawQueue("store.sqlite").write { db in
            try db.execute(sql: "UPDATE bulletin SET stored_at = -5")
        }
        #expect { try BulletinStore(path: path) } throws: {
            isInvalidValue($0, table: "bulletin", column: "stored_at", row: BulletinReaderTests.reference(1, origin: dz).description)
        }
    }
}
