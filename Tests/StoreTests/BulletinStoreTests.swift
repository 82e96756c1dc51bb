import Foundation
import GRDB
@testable import Store
import Testing

@Suite("BulletinStore (SQLite, WAL)")
struct BulletinStoreTests {
    let directory: URL
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bordernet-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("store.sqlite").path
    }

    /// A plain connection to the store's file, waiting (bounded) while the store's checkpoint
    /// thread holds it.
    func rawQueue() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    func bulletin(_ id: String, origin: String = "MA", type: String = "drug-trafficking", storedAt: Int64 = 1_000) -> StoredBulletin {
        StoredBulletin(
            id: id, origin: origin, incidentType: type, tlp: "AMBER", createdAt: 900, storedAt: storedAt,
            body: Array(#"{"id":"\#(id)"}"#.utf8))
    }

    func seal(_ id: String) -> (String, LinkPosition?) -> OutgoingEnvelope {
        { recipient, last in
            OutgoingEnvelope(
                recipient: recipient, sequence: (last?.sequence ?? 0) + 1, bulletinID: id,
                hash: Array("\(id)->\(recipient)".utf8), bytes: [1, 2, 3], createdAt: 950)
        }
    }

    @Test("opens in WAL mode with synchronous FULL and survives reopening")
    func openAndReopen() throws {
        do {
            let store = try BulletinStore(path: path)
            _ = try store.recordPost(bulletin("b1"), recipients: ["DZ"], seal: seal("b1"))
        }
        let reopened = try BulletinStore(path: path)
        #expect(try reopened.lastOutgoingPosition(to: "DZ") == LinkPosition(sequence: 1, hash: Array("b1->DZ".utf8)))
        let queue = try rawQueue()
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("a post numbers each link's envelopes 1, 2, 3… and chains the previous position")
    func postSequencesPerLink() throws {
        let store = try BulletinStore(path: path)
        var seen: [String: [LinkPosition?]] = [:]
        for id in ["b1", "b2", "b3"] {
            let recipients = id == "b2" ? ["DZ"] : ["DZ", "TN"]
            _ = try store.recordPost(bulletin(id), recipients: recipients) { recipient, last in
                seen[recipient, default: []].append(last)
                return seal(id)(recipient, last)
            }
        }
        #expect(try store.lastOutgoingPosition(to: "DZ")?.sequence == 3)
        #expect(try store.lastOutgoingPosition(to: "TN")?.sequence == 2)
        #expect(seen["TN"] == [nil, LinkPosition(sequence: 1, hash: Array("b1->TN".utf8))])
        let replay = try store.outgoingEnvelopes(to: "DZ", after: 1, limit: 10)
        #expect(replay.map(\.sequence) == [2, 3])
        #expect(replay.map(\.bulletinID) == ["b2", "b3"])
        #expect(try store.outgoingPositions().mapValues(\.sequence) == ["DZ": 3, "TN": 2])
    }

    @Test("a batch of posts is one transaction: positions chain across its posts, and a failure stores none")
    func batchOfPosts() throws {
        struct SealFailure: Error {}
        let store = try BulletinStore(path: path)
        let posts = ["b1", "b2", "b3"].map { BulletinStore.Post(bulletin: bulletin($0), recipients: ["DZ", "TN"]) }
        let sealed = try store.recordPosts(posts) { index, recipient, last in seal("b\(index + 1)")(recipient, last) }
        #expect(sealed.map { $0.map(\.sequence) } == [[1, 1], [2, 2], [3, 3]])
        #expect(try store.lastOutgoingPosition(to: "TN") == LinkPosition(sequence: 3, hash: Array("b3->TN".utf8)))
        let more = ["b4", "b5"].map { BulletinStore.Post(bulletin: bulletin($0), recipients: ["DZ"]) }
        #expect(throws: SealFailure.self) {
            _ = try store.recordPosts(more) { index, recipient, last in
                if index == 1 { throw SealFailure() }
                return seal("b\(index + 4)")(recipient, last)
            }
        }
        #expect(try store.bulletin(id: "b4") == nil)
        #expect(try store.lastOutgoingPosition(to: "DZ")?.sequence == 3)
    }

    @Test("a post that fails while sealing stores nothing")
    func postIsAtomic() throws {
        struct SealFailure: Error {}
        let store = try BulletinStore(path: path)
        #expect(throws: SealFailure.self) {
            _ = try store.recordPost(bulletin("b1"), recipients: ["DZ", "TN"]) { recipient, last in
                if recipient == "TN" { throw SealFailure() }
                return seal("b1")(recipient, last)
            }
        }
        #expect(try store.bulletin(id: "b1") == nil)
        #expect(try store.lastOutgoingPosition(to: "DZ") == nil)
    }

    @Test("a sealed envelope that skips a sequence number is refused")
    func postRefusesGap() throws {
        let store = try BulletinStore(path: path)
        #expect(throws: StoreError.self) {
            _ = try store.recordPost(bulletin("b1"), recipients: ["DZ"]) { recipient, _ in
                OutgoingEnvelope(recipient: recipient, sequence: 2, bulletinID: "b1", hash: [], bytes: [], createdAt: 0)
            }
        }
    }

    @Test("deliveries are stored in order per link, once, and a gap is refused with nothing lost")
    func deliveries() throws {
        let store = try BulletinStore(path: path)
        func delivery(_ sequence: UInt64, _ id: String) -> BulletinStore.Delivery {
            .init(
                envelope: IncomingEnvelope(origin: "DZ", sequence: sequence, bulletinID: id, hash: [UInt8(sequence)], receivedAt: 5),
                bulletin: bulletin(id, origin: "DZ"))
        }
        try store.recordDeliveries([delivery(1, "x1"), delivery(2, "x2")])
        #expect(throws: StoreError.self) { try store.recordDeliveries([delivery(3, "x3"), delivery(5, "x5")]) }
        #expect(try store.lastIncomingPosition(from: "DZ") == LinkPosition(sequence: 2, hash: [2]))
        #expect(try store.bulletin(id: "x3") == nil)
        #expect(try store.incomingEnvelope(from: "DZ", sequence: 2)?.bulletinID == "x2")
        #expect(try store.incomingCount(from: "DZ") == 2)
        #expect(try store.incomingPositions().mapValues(\.sequence) == ["DZ": 2])
    }

    @Test("an envelope whose content was refused keeps its place in the chain, without a bulletin")
    func refusedContentAdvancesChain() throws {
        let store = try BulletinStore(path: path)
        let refused = IncomingEnvelope(origin: "DZ", sequence: 1, bulletinID: "bad", hash: [1], receivedAt: 5, status: 500)
        try store.recordDeliveries([.init(envelope: refused, bulletin: nil)])
        #expect(try store.lastIncomingPosition(from: "DZ") == LinkPosition(sequence: 1, hash: [1]))
        #expect(try store.incomingEnvelope(from: "DZ", sequence: 1)?.status == 500)
        #expect(try store.bulletin(id: "bad") == nil)
    }

    @Test("the feed query filters by type, origin and time and returns the latest oldest-first")
    func feedQuery() throws {
        let store = try BulletinStore(path: path)
        try store.recordDeliveries(
            (1...5).map { n in
                .init(
                    envelope: IncomingEnvelope(origin: "DZ", sequence: UInt64(n), bulletinID: "d\(n)", hash: [1], receivedAt: 0),
                    bulletin: bulletin("d\(n)", origin: "DZ", type: n % 2 == 0 ? "arms-trafficking" : "drug-trafficking", storedAt: Int64(n)))
            })
        _ = try store.recordPost(bulletin("own", origin: "MA", storedAt: 10), recipients: ["DZ"], seal: seal("own"))
        #expect(try store.bulletins(matching: .init(), localState: "MA").map(\.id) == ["d1", "d2", "d3", "d4", "d5"])
        #expect(try store.bulletins(matching: .init(receivedOnly: false), localState: "MA").last?.id == "own")
        #expect(try store.bulletins(matching: .init(incidentType: "arms-trafficking"), localState: "MA").map(\.id) == ["d2", "d4"])
        #expect(try store.bulletins(matching: .init(storedSince: 4), localState: "MA").map(\.id) == ["d4", "d5"])
        #expect(try store.bulletins(matching: .init(limit: 2), localState: "MA").map(\.id) == ["d4", "d5"])
        #expect(try store.bulletins(matching: .init(origin: "TN"), localState: "MA").isEmpty)
    }

    @Test("receipts give each link's acknowledged position; duplicates are kept once")
    func receipts() throws {
        let store = try BulletinStore(path: path)
        for sequence: UInt64 in [1, 3, 3] {
            try store.recordReceipt(
                StoredReceipt(recipient: "DZ", sequence: sequence, envelopeHash: [9], status: 0, receivedAt: 1, bytes: [7]))
        }
        try store.recordReceipt(StoredReceipt(recipient: "DZ", sequence: 4, envelopeHash: [9], status: 5, receivedAt: 1, bytes: [7]))
        #expect(try store.acknowledgedPositions() == ["DZ": 3])
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
        // The first version's tables and rows, written as that version wrote them.
        let queue = try rawQueue()
        try StoreMigrations.migrator.migrate(queue, upTo: "v1-bulletins-envelopes-receipts")
        try queue.write { db in
            for index in 1...3 {
                try db.execute(
                    sql: "INSERT INTO bulletin (id, origin, incident_type, tlp, created_at, stored_at, body) VALUES (?, 'MA', 'drug-trafficking', 'AMBER', 900, 1000, ?)",
                    arguments: ["b\(index)", Data("{}".utf8)])
                for recipient in ["DZ", "TN"] {
                    try db.execute(
                        sql: "INSERT INTO outgoing_envelope (recipient, sequence, bulletin_id, hash, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [recipient, index, "b\(index)", Data("b\(index)->\(recipient)".utf8), Data(repeating: UInt8(index), count: 2_000), 950 + index])
                }
            }
        }
        try queue.close()
        let store = try BulletinStore(path: path)
        #expect(try store.outgoingPositions() == ["DZ": LinkPosition(sequence: 3, hash: Array("b3->DZ".utf8)), "TN": LinkPosition(sequence: 3, hash: Array("b3->TN".utf8))])
        let replay = try store.outgoingEnvelopes(to: "TN", after: 1, limit: 10)
        #expect(replay.map(\.sequence) == [2, 3])
        #expect(replay.map(\.bytes) == [Array(repeating: 2, count: 2_000), Array(repeating: 3, count: 2_000)])
        #expect(replay.map(\.createdAt) == [952, 953])
        // And it goes on numbering from there; a sequence cannot be taken twice.
        _ = try store.recordPost(bulletin("b4"), recipients: ["DZ"], seal: seal("b4"))
        #expect(try store.lastOutgoingPosition(to: "DZ")?.sequence == 4)
        #expect(throws: (any Error).self) {
            try rawQueue().write { db in
                try db.execute(
                    sql: "INSERT INTO outgoing_envelope (recipient, sequence, bulletin_id, hash, created_at, bytes) VALUES ('DZ', 4, 'b4', x'00', 1, x'00')")
            }
        }
    }

    @Test("a store written by a newer BorderNet is refused with a clear error")
    func unknownMigration() throws {
        _ = try BulletinStore(path: path)
        let queue = try rawQueue()
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        #expect {
            _ = try BulletinStore(path: path)
        } throws: { error in
            "\(error)".contains("v99-from-the-future")
        }
    }

    @Test("an unwritable location is a clear error")
    func cannotOpen() {
        #expect {
            _ = try BulletinStore(path: "/proc/bordernet/store.sqlite")
        } throws: { error in
            "\(error)".contains("cannot open the store")
        }
    }
}
