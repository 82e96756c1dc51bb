import Exchange
import Foundation
import GRDB
import Store
import Testing

@Suite("Stored values: Exchange's types to and from SQLite columns")
struct StoredValueTests {
    /// `value` written to SQLite and read back through a real column.
    func roundTrip<Value: StoredValue>(_ value: Value) throws -> Value? {
        let queue = try DatabaseQueue()
        return try queue.read { db in
            try Value.fromDatabaseValue(#require(try DatabaseValue.fetchOne(db, sql: "SELECT ?", arguments: [value])))
        }
    }

    @Test("state codes are their two letters; anything else does not convert")
    func stateCodes() throws {
        #expect(Fixtures.morocco.databaseValue == "MA".databaseValue)
        #expect(try roundTrip(Fixtures.algeria) == Fixtures.algeria)
        for bad: DatabaseValue in ["ma".databaseValue, "MAR".databaseValue, "".databaseValue, Data("MA".utf8).databaseValue, 1.databaseValue, .null] {
            #expect(StateCode.fromDatabaseValue(bad) == nil, "\(bad)")
        }
    }

    @Test("envelope hashes are 32-byte blobs")
    func envelopeHashes() throws {
        #expect(try roundTrip(Fixtures.hash(7)) == Fixtures.hash(7))
        #expect(Fixtures.hash(7).databaseValue == Data(repeating: 7, count: 32).databaseValue)
        for bad: DatabaseValue in [Data(repeating: 7, count: 31).databaseValue, Data(repeating: 7, count: 33).databaseValue, String(repeating: "a", count: 32).databaseValue, .null] {
            #expect(EnvelopeHash.fromDatabaseValue(bad) == nil)
        }
    }

    @Test("timestamps are non-negative integers of milliseconds; a time beyond SQLite's integers is stored as the largest")
    func timestamps() throws {
        #expect(try roundTrip(Fixtures.time(1_700_000_000_123)) == Fixtures.time(1_700_000_000_123))
        #expect(Fixtures.time(0).databaseValue == Int64(0).databaseValue)
        #expect(Timestamp(millisecondsSinceEpoch: .max).databaseValue == Int64.max.databaseValue)
        for bad: DatabaseValue in [Int64(-1).databaseValue, "12".databaseValue, 1.5.databaseValue, .null] {
            #expect(Timestamp.fromDatabaseValue(bad) == nil)
        }
    }

    @Test("bulletin references are <state>-<ULID> text")
    func references() throws {
        let reference = Fixtures.reference(255, origin: Fixtures.tunisia)  // its ULID ends in 7Z
        #expect(try roundTrip(reference) == reference)
        #expect(reference.databaseValue == reference.id.reference(origin: Fixtures.tunisia).databaseValue)
        let ulid = reference.id.ulid
        for bad in [ulid, "TN_" + ulid, "tn-" + ulid, "TN-" + ulid.lowercased(), "TN-" + ulid + "0"] {
            #expect(BulletinReference.fromDatabaseValue(bad.databaseValue) == nil, "\(bad)")
        }
    }

    @Test("TLP markings are their labels without the prefix")
    func tlps() throws {
        for tlp in TLP.allCases { #expect(try roundTrip(tlp) == tlp) }
        #expect(TLP.amberStrict.databaseValue == "AMBER+STRICT".databaseValue)
        for bad in ["TLP:AMBER", "amber", "WHITE", ""] { #expect(TLP.fromDatabaseValue(bad.databaseValue) == nil) }
        #expect(TLP.fromDatabaseValue(2.databaseValue) == nil)
    }

    @Test("receipt statuses are 0 or a rejection code 1…65535, known or not")
    func receiptStatuses() throws {
        #expect(ReceiptStatus.accepted.databaseValue == Int64(0).databaseValue)
        #expect(ReceiptStatus.rejected(.badSignature).databaseValue == Int64(203).databaseValue)
        #expect(try roundTrip(ReceiptStatus.rejected(.invalidBulletin)) == .rejected(.invalidBulletin))
        #expect(ReceiptStatus.fromDatabaseValue(Int64(65_535).databaseValue) == .rejected(RejectionReason(rawValue: 65_535)!))
        for bad: DatabaseValue in [Int64(-1).databaseValue, Int64(65_536).databaseValue, "0".databaseValue, .null] {
            #expect(ReceiptStatus.fromDatabaseValue(bad) == nil)
        }
    }

    @Test("a value that does not convert is described without its bytes")
    func summaries() {
        #expect(DatabaseValue.null.summary == "NULL")
        #expect(Int64(-3).databaseValue.summary == "the integer -3")
        #expect("Z1".databaseValue.summary == "the text 'Z1'")
        #expect(String(repeating: "x", count: 41).databaseValue.summary == "a text of 41 bytes")
        #expect(Data(repeating: 9, count: 31).databaseValue.summary == "a blob of 31 bytes")
    }
}
