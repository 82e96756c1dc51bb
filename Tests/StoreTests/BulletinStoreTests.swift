import Exchange
import Foundation
import GRDB
@testable import Store
import Testing

@Suite("BulletinStore (SQLite, WAL)")
struct BulletinStoreTests {
    let folder: TemporaryFolder
    let path: String
    let ma = Fixtures.morocco
    let dz = Fixtures.algeria
    let tn = Fixtures.tunisia

    init() throws {
        folder = try TemporaryFolder()
        path = folder.path("store.sqlite")
    }

    func rawQueue() throws -> DatabaseQueue { try folder.rawQueue("store.sqlite") }

    func bulletin(_ number: UInt8, origin: StateCode = Fixtures.morocco, type: String = "drug-trafficking", storedAt: UInt64 = 1_000)
        -> StoredBulletin
    {
        let reference = Fixtures.reference(number, origin: origin)
        return StoredBulletin(
            reference: reference, incidentType: type, tlp: .amber, createdAt: Fixtures.time(900), storedAt: Fixtures.time(storedAt),
            body: Array(#"{"id":"\#(reference)"}"#.utf8))
    }

    func seal(_ number: UInt8) -> (StateCode, ChainPosition) -> OutgoingEnvelope {
        { recipient, last in
            OutgoingEnvelope(
                recipient: recipient, sequence: last.sequence + 1, bulletin: Fixtures.reference(number),
                hash: Fixtures.hash("b\(number)->\(recipient)"), bytes: [1, 2, 3], createdAt: Fixtures.time(950))
        }
    }

    func position(_ sequence: UInt64, _ seed: String) -> ChainPosition {
        ChainPosition(sequence: sequence, hash: Fixtures.hash(seed))
    }

    @Test("opens in WAL mode with synchronous FULL and survives reopening")
    func openAndReopen() throws {
        do {
            let store = try BulletinStore(path: path)
            _ = try store.recordPost(bulletin(1), recipients: [dz], seal: seal(1))
        }
        let reopened = try BulletinStore(path: path)
        #expect(try reopened.lastOutgoingPosition(to: dz) == position(1, "b1->DZ"))
        #expect(try reopened.bulletin(Fixtures.reference(1)) == bulletin(1))
        let queue = try rawQueue()
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("a post numbers each link's envelopes 1, 2, 3… and chains the previous position")
    func postSequencesPerLink() throws {
        let store = try BulletinStore(path: path)
        var seen: [StateCode: [ChainPosition]] = [:]
        for number: UInt8 in [1, 2, 3] {
            let recipients = number == 2 ? [dz] : [dz, tn]
            _ = try store.recordPost(bulletin(number), recipients: recipients) { recipient, last in
                seen[recipient, default: []].append(last)
                return seal(number)(recipient, last)
            }
        }
        #expect(try store.lastOutgoingPosition(to: dz)?.sequence == 3)
        #expect(try store.lastOutgoingPosition(to: tn)?.sequence == 2)
        #expect(seen[tn] == [.start, position(1, "b1->TN")])
        let replay = try store.outgoingEnvelopes(to: dz, after: 1, limit: 10)
        #expect(replay.map(\.sequence) == [2, 3])
        #expect(replay.map(\.bulletin) == [Fixtures.reference(2), Fixtures.reference(3)])
        // What a replay answer reads: the same envelopes, sequence and bytes only.
        #expect(try store.replayableEnvelopes(to: dz, after: 1, limit: 10) == replay.map { ReplayableEnvelope(sequence: $0.sequence, bytes: $0.bytes) })
        #expect(try store.replayableEnvelopes(to: dz, after: 1, limit: 1).map(\.sequence) == [2])
        #expect(try store.outgoingPositions().mapValues(\.sequence) == [dz: 3, tn: 2])
        #expect(try store.outgoingEnvelope(to: dz, sequence: 2) == replay.first)
        #expect(try store.outgoingEnvelope(to: dz, sequence: 0) == nil)
    }

    @Test("a batch of posts is one transaction: positions chain across its posts, and a failure stores none")
    func batchOfPosts() throws {
        struct SealFailure: Error {}
        let store = try BulletinStore(path: path)
        let posts = [UInt8(1), 2, 3].map { BulletinStore.Post(bulletin: bulletin($0), recipients: [dz, tn]) }
        let sealed = try store.recordPosts(posts) { index, recipient, last in seal(UInt8(index + 1))(recipient, last) }
        #expect(sealed.map { $0.map(\.sequence) } == [[1, 1], [2, 2], [3, 3]])
        #expect(try store.lastOutgoingPosition(to: tn) == position(3, "b3->TN"))
        let more = [UInt8(4), 5].map { BulletinStore.Post(bulletin: bulletin($0), recipients: [dz]) }
        #expect(throws: SealFailure.self) {
            _ = try store.recordPosts(more) { index, recipient, last in
                if index == 1 { throw SealFailure() }
                return seal(UInt8(index + 4))(recipient, last)
            }
        }
        #expect(try store.bulletin(Fixtures.reference(4)) == nil)
        #expect(try store.lastOutgoingPosition(to: dz)?.sequence == 3)
    }

    @Test("a post that fails while sealing stores nothing")
    func postIsAtomic() throws {
        struct SealFailure: Error {}
        let store = try BulletinStore(path: path)
        #expect(throws: SealFailure.self) {
            _ = try store.recordPost(bulletin(1), recipients: [dz, tn]) { recipient, last in
                if recipient == tn { throw SealFailure() }
                return seal(1)(recipient, last)
            }
        }
        #expect(try store.bulletin(Fixtures.reference(1)) == nil)
        #expect(try store.lastOutgoingPosition(to: dz) == nil)
    }

    @Test("a sealed envelope that skips a sequence number is refused")
    func postRefusesGap() throws {
        let store = try BulletinStore(path: path)
        #expect {
            _ = try store.recordPost(bulletin(1), recipients: [dz]) { recipient, _ in
                OutgoingEnvelope(
                    recipient: recipient, sequence: 2, bulletin: Fixtures.reference(1), hash: Fixtures.hash(0), bytes: [], createdAt: Fixtures.time(0))
            }
        } throws: { error in
            guard case .outOfSequence(_, "outgoing_envelope", "DZ", 2, 1) = error as? StoreError else { return false }
            return true
        }
    }

    @Test("deliveries are stored in order per link, once, and a gap is refused with nothing lost")
    func deliveries() throws {
        let store = try BulletinStore(path: path)
        func delivery(_ sequence: UInt64, _ number: UInt8) -> BulletinStore.Delivery {
            .init(
                envelope: IncomingEnvelope(
                    origin: dz, sequence: sequence, bulletin: Fixtures.reference(number, origin: dz), hash: Fixtures.hash(UInt8(sequence)),
                    receivedAt: Fixtures.time(5)),
                bulletin: bulletin(number, origin: dz))
        }
        try store.recordDeliveries([delivery(1, 1), delivery(2, 2)])
        #expect(throws: StoreError.self) { try store.recordDeliveries([delivery(3, 3), delivery(5, 5)]) }
        #expect(try store.lastIncomingPosition(from: dz) == ChainPosition(sequence: 2, hash: Fixtures.hash(2)))
        #expect(try store.bulletin(Fixtures.reference(3, origin: dz)) == nil)
        // Both proposed 1_000 ms: the second is stored one millisecond after the first.
        var second = bulletin(2, origin: dz)
        second.storedAt = Fixtures.time(1_001)
        #expect(try store.bulletin(Fixtures.reference(2, origin: dz)) == second)
        #expect(try store.incomingEnvelope(from: dz, sequence: 2) == delivery(2, 2).envelope)
        #expect(try store.incomingCount(from: dz) == 2)
        #expect(try store.incomingPositions().mapValues(\.sequence) == [dz: 2])
        #expect(try store.incomingEnvelopes(from: dz, after: 0, limit: 10) == [delivery(1, 1).envelope, delivery(2, 2).envelope])
    }

    @Test("an envelope whose content was refused keeps its place in the chain, without a bulletin")
    func refusedContentAdvancesChain() throws {
        let store = try BulletinStore(path: path)
        let refused = IncomingEnvelope(
            origin: dz, sequence: 1, bulletin: Fixtures.reference(9, origin: dz), hash: Fixtures.hash(1), receivedAt: Fixtures.time(5),
            status: .rejected(.invalidBulletin))
        try store.recordDeliveries([.init(envelope: refused, bulletin: nil)])
        #expect(try store.lastIncomingPosition(from: dz) == ChainPosition(sequence: 1, hash: Fixtures.hash(1)))
        #expect(try store.incomingEnvelope(from: dz, sequence: 1)?.status == .rejected(.invalidBulletin))
        #expect(try store.bulletin(Fixtures.reference(9, origin: dz)) == nil)
    }

    @Test("the feed query filters by type, origin and time and returns the latest oldest-first")
    func feedQuery() throws {
        let store = try BulletinStore(path: path)
        try store.recordDeliveries(
            (1...5).map { (n: UInt8) in
                .init(
                    envelope: IncomingEnvelope(
                        origin: dz, sequence: UInt64(n), bulletin: Fixtures.reference(n, origin: dz), hash: Fixtures.hash(1),
                        receivedAt: Fixtures.time(0)),
                    bulletin: bulletin(n, origin: dz, type: n % 2 == 0 ? "arms-trafficking" : "drug-trafficking", storedAt: UInt64(n)))
            })
        _ = try store.recordPost(bulletin(100, storedAt: 10), recipients: [dz], seal: seal(100))
        func numbers(_ query: BulletinStore.BulletinQuery) throws -> [UInt8] {
            try store.bulletins(matching: query, localState: ma).map { $0.reference.id.bytes[15] }
        }
        #expect(try numbers(.init()) == [1, 2, 3, 4, 5])
        #expect(try numbers(.init(receivedOnly: false)).last == 100)
        #expect(try numbers(.init(incidentType: "arms-trafficking")) == [2, 4])
        #expect(try numbers(.init(storedSince: Fixtures.time(4))) == [4, 5])
        #expect(try numbers(.init(limit: 2)) == [4, 5])
        #expect(try numbers(.init(origin: tn)).isEmpty)
        #expect(try numbers(.init(origin: dz)).count == 5)
    }

    @Test("receipts give each link's acknowledged position; duplicates are kept once")
    func receipts() throws {
        let store = try BulletinStore(path: path)
        func receipt(_ sequence: UInt64, _ status: ReceiptStatus) -> StoredReceipt {
            StoredReceipt(recipient: dz, sequence: sequence, envelopeHash: Fixtures.hash(9), status: status, receivedAt: Fixtures.time(1), bytes: [7])
        }
        #expect(try store.recordReceipts([receipt(1, .accepted), receipt(3, .accepted), receipt(3, .accepted)]) == [true, true, false])
        try store.recordReceipt(receipt(4, .rejected(RejectionReason(rawValue: 5)!)))
        try store.recordReceipt(receipt(2, .rejected(.invalidBulletin)))
        #expect(try store.acknowledgedPositions() == [dz: 3])
        #expect(try store.receipts(from: dz, after: 1, limit: 10).map(\.sequence) == [2, 3, 4])
        #expect(try store.receipts(from: dz, after: 3, limit: 10) == [receipt(4, .rejected(RejectionReason(rawValue: 5)!))])
        #expect(try store.receiptTimeline(recipient: dz).map(\.sequence) == [1, 3])
    }

    @Test("rejections are counted per peer and reason")
    func rejections() throws {
        let store = try BulletinStore(path: path)
        try store.recordRejection(Rejection(peer: "DZ", sequence: 4, reason: "badSignature", at: 1))
        try store.recordRejection(Rejection(peer: "DZ", sequence: nil, reason: "badSignature", at: 2))
        try store.recordRejection(Rejection(peer: "TN", sequence: 1, reason: "wrongRecipient", at: 3))
        #expect(try store.rejectionCounts() == ["DZ": ["badSignature": 2], "TN": ["wrongRecipient": 1]])
    }

    @Test("a store of the first schema version keeps every outgoing envelope when it is migrated")
    func migrationFromFirstVersion() throws {
        // The first version's tables and rows, written as that version wrote them: references and
        // states as text, hashes as blobs, times as integers.
        let queue = try rawQueue()
        try StoreMigrations.migrator.migrate(queue, upTo: "v1-bulletins-envelopes-receipts")
        try queue.write { db in
            for index: UInt8 in 1...3 {
                try db.execute(
                    sql: "INSERT INTO bulletin (id, origin, incident_type, tlp, created_at, stored_at, body) VALUES (?, 'MA', 'drug-trafficking', 'AMBER', 900, 1000, ?)",
                    arguments: [Fixtures.reference(index).description, Data("{}".utf8)])
                for recipient in ["DZ", "TN"] {
                    try db.execute(
                        sql: "INSERT INTO outgoing_envelope (recipient, sequence, bulletin_id, hash, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [
                            recipient, index, Fixtures.reference(index).description, Data(Fixtures.hash("b\(index)->\(recipient)").bytes),
                            Data(repeating: index, count: 2_000), 950 + Int(index),
                        ])
                }
            }
        }
        try queue.close()
        let store = try BulletinStore(path: path)
        #expect(try store.outgoingPositions() == [dz: position(3, "b3->DZ"), tn: position(3, "b3->TN")])
        let replay = try store.outgoingEnvelopes(to: tn, after: 1, limit: 10)
        #expect(replay.map(\.sequence) == [2, 3])
        #expect(replay.map(\.bytes) == [Array(repeating: 2, count: 2_000), Array(repeating: 3, count: 2_000)])
        #expect(replay.map(\.createdAt) == [Fixtures.time(952), Fixtures.time(953)])
        #expect(try store.bulletin(Fixtures.reference(2))?.tlp == .amber)
        // And it goes on numbering from there; a sequence cannot be taken twice.
        _ = try store.recordPost(bulletin(4), recipients: [dz], seal: seal(4))
        #expect(try store.lastOutgoingPosition(to: dz)?.sequence == 4)
        #expect(throws: (any Error).self) {
            try rawQueue().write { db in
                try db.execute(
                    sql: "INSERT INTO outgoing_envelope (recipient, sequence, bulletin_id, hash, created_at, bytes) VALUES ('DZ', 4, 'b4', x'00', 1, x'00')")
            }
        }
    }

    @Test("values are written in the encodings earlier versions wrote: text states and references, blob hashes, integer times and codes")
    func onDiskEncodings() throws {
        let store = try BulletinStore(path: path)
        try store.recordDeliveries([
            .init(
                envelope: IncomingEnvelope(
                    origin: dz, sequence: 1, bulletin: Fixtures.reference(7, origin: dz), hash: Fixtures.hash(3), receivedAt: Fixtures.time(42),
                    status: .rejected(.invalidBulletin)),
                bulletin: nil)
        ])
        _ = try store.recordPost(bulletin(1), recipients: [dz], seal: seal(1))
        let queue = try rawQueue()
        let envelope = try #require(try queue.read { try Row.fetchOne($0, sql: "SELECT * FROM incoming_envelope") })
        #expect(envelope["origin"] as DatabaseValue == "DZ".databaseValue)
        #expect(envelope["bulletin_id"] as DatabaseValue == ("DZ-" + String(repeating: "0", count: 25) + "7").databaseValue)
        #expect(envelope["hash"] as DatabaseValue == Data(repeating: 3, count: 32).databaseValue)
        #expect(envelope["received_at"] as DatabaseValue == Int64(42).databaseValue)
        #expect(envelope["status"] as DatabaseValue == Int64(500).databaseValue)
        let stored = try #require(try queue.read { try Row.fetchOne($0, sql: "SELECT * FROM bulletin") })
        #expect(stored["id"] as DatabaseValue == ("MA-" + String(repeating: "0", count: 25) + "1").databaseValue)
        #expect(stored["origin"] as DatabaseValue == "MA".databaseValue)
        #expect(stored["tlp"] as DatabaseValue == "AMBER".databaseValue)
        #expect(stored["created_at"] as DatabaseValue == Int64(900).databaseValue)
    }

    @Test("an unwritable location is a clear error that keeps its cause")
    func cannotOpen() {
        #expect {
            _ = try BulletinStore(path: "/proc/bordernet/store.sqlite")
        } throws: { error in
            guard let error = error as? StoreError, case .cannotOpen(file: "store", _, _) = error else { return false }
            return error.cause != nil && "\(error)".contains("cannot open the store")
        }
    }
}
