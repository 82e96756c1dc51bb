import Exchange
import Foundation
import GRDB
@testable import Store
import Testing

/// The console's read-only API over a store written through the node's own write API.
@Suite("BulletinReader (read-only, console feed)")
struct BulletinReaderTests {
    let folder: TemporaryFolder
    let path: String
    let ma = Fixtures.morocco
    let dz = Fixtures.algeria
    let tn = Fixtures.tunisia

    init() throws {
        folder = try TemporaryFolder()
        path = folder.path("store.sqlite")
    }

    var url: URL { URL(fileURLWithPath: path) }

    /// The reference of bulletin `number` (any size) of `origin`.
    static func reference(_ number: Int, origin: StateCode) -> BulletinReference {
        let bytes = withUnsafeBytes(of: UInt64(number).bigEndian) { Array($0) }
        return BulletinReference(origin: origin, id: try! BulletinID(bytes: [UInt8](repeating: 0, count: 8) + bytes))
    }

    /// A bulletin with the console's markings in its body.
    static func bulletin(
        _ number: Int, origin: StateCode, storedAt: UInt64, type: String = "drug-trafficking", tlp: TLP = .amber,
        group: String? = "customs", handling: [String] = [], title: String? = nil, corrects: BulletinReference? = nil,
        withdraws: BulletinReference? = nil
    ) -> StoredBulletin {
        let reference = reference(number, origin: origin)
        var object: [String: Any] = [
            "id": reference.description, "incidentType": type, "tlp": tlp.label,
            "title": ["fr": title ?? "Bulletin \(number)", "ar": "نشرة \(number)"],
        ]
        if let group { object["workingGroup"] = group }
        if !handling.isEmpty { object["handling"] = handling }
        if let corrects { object["corrects"] = corrects.description }
        if let withdraws { object["withdraws"] = withdraws.description }
        let body = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return StoredBulletin(
            reference: reference, incidentType: type, tlp: tlp, createdAt: Fixtures.time(storedAt >= 10 ? storedAt - 10 : 0), storedAt: Fixtures.time(storedAt),
            body: [UInt8](body))
    }

    /// Posts `bulletin` from this node (MA) to `recipients`, as the node does.
    static func post(_ bulletin: StoredBulletin, to recipients: [StateCode], in store: BulletinStore) throws {
        _ = try store.recordPost(bulletin, recipients: recipients) { recipient, last in
            OutgoingEnvelope(
                recipient: recipient, sequence: last.sequence + 1, bulletin: bulletin.reference,
                hash: Fixtures.hash("\(bulletin.reference)->\(recipient)"), bytes: [1, 2, 3], createdAt: bulletin.storedAt)
        }
    }

    /// Receives `bulletins` from their origin, as the node does.
    static func receive(_ bulletins: [StoredBulletin], in store: BulletinStore, signer: UInt64? = nil) throws {
        var next: [StateCode: UInt64] = [:]
        var deliveries: [BulletinStore.Delivery] = []
        for bulletin in bulletins {
            let last = try next[bulletin.origin] ?? store.lastIncomingPosition(from: bulletin.origin)?.sequence ?? 0
            next[bulletin.origin] = last + 1
            deliveries.append(
                BulletinStore.Delivery(
                    envelope: IncomingEnvelope(
                        origin: bulletin.origin, sequence: last + 1, bulletin: bulletin.reference,
                        hash: Fixtures.hash("in \(bulletin.reference)"), receivedAt: bulletin.storedAt, signer: signer),
                    bulletin: bulletin))
        }
        try store.recordDeliveries(deliveries)
    }

    /// A store with a mix: own posts (MA) and bulletins received from DZ and TN.
    func mixedStore() throws -> BulletinStore {
        let store = try BulletinStore(path: path)
        try Self.post(Self.bulletin(1, origin: ma, storedAt: 1_000, tlp: .green, group: "customs"), to: [dz, tn], in: store)
        try Self.receive(
            [
                Self.bulletin(2, origin: dz, storedAt: 2_000, type: "migrant-smuggling", tlp: .amber, group: "security", handling: ["not-for-third-states"]),
                Self.bulletin(3, origin: dz, storedAt: 3_000, tlp: .amberStrict, group: "customs", handling: ["law-enforcement-use-only", "no-further-dissemination"]),
                Self.bulletin(4, origin: tn, storedAt: 4_000, tlp: .red, group: "intelligence", title: "Convoi 100% _confirmé_"),
                Self.bulletin(5, origin: tn, storedAt: 5_000, tlp: .clear, group: nil),
            ], in: store)
        try Self.post(Self.bulletin(6, origin: ma, storedAt: 6_000, tlp: .amber, group: "justice", handling: ["x-from-a-newer-schema"]), to: [dz], in: store)
        return store
    }

    func ids(_ page: BulletinPage) -> [Int] {
        page.items.map { item in Int(item.id.description.suffix(2), radix: 32) ?? -1 }
    }

    func numbers(_ page: BulletinPage) -> [String] { page.items.map { $0.title["fr"] ?? "" } }

    @Test("a page is newest first with every summary field read from the columns and the body")
    func summaries() throws {
        let store = try mixedStore()
        let reader = try BulletinReader(storeFile: url)
        let page = try reader.page(BulletinQuery())
        #expect(numbers(page) == ["Bulletin 6", "Bulletin 5", "Convoi 100% _confirmé_", "Bulletin 3", "Bulletin 2", "Bulletin 1"])
        #expect(page.next == nil)
        let three = try #require(page.items.first { $0.id == Self.reference(3, origin: dz) })
        #expect(three == BulletinSummary(
            id: Self.reference(3, origin: dz), origin: dz, incidentType: "drug-trafficking", tlp: .amberStrict, workingGroup: "customs",
            handling: ["law-enforcement-use-only", "no-further-dissemination"], storedAt: Fixtures.time(3_000), createdAt: Fixtures.time(2_990),
            title: ["fr": "Bulletin 3", "ar": "نشرة 3"], isOwn: false, correctsID: nil, withdrawsID: nil))
        #expect(page.items.map(\.isOwn) == [true, false, false, false, false, true])
        #expect(page.items.first { $0.title["fr"] == "Bulletin 5" }?.workingGroup == nil)
        _ = store
    }

    @Test("oldest first (TAXII's order): pages after a cursor, with the bodies, and the later bulletins of a chain")
    func oldestFirst() throws {
        let store = try mixedStore()
        let reader = try BulletinReader(storeFile: url)
        var query = BulletinQuery(limit: 2)
        query.oldestFirst = true
        var seen: [String] = []
        for _ in 0..<10 {
            let page = try reader.pageWithBodies(query)
            seen += page.items.map { $0.summary.title["fr"] ?? "" }
            #expect(page.items.allSatisfy { !$0.body.isEmpty })
            guard let next = page.next else { break }
            query.after = next
        }
        #expect(seen == ["Bulletin 1", "Bulletin 2", "Bulletin 3", "Convoi 100% _confirmé_", "Bulletin 5", "Bulletin 6"])
        // `before` is not read oldest first; filters still are.
        query.after = nil
        query.before = BulletinCursor(storedAt: Fixtures.time(2_500), id: Self.reference(2, origin: dz))
        query.workingGroups = ["customs"]
        #expect(try reader.pageWithBodies(query).items.map { $0.summary.title["fr"] ?? "" } == ["Bulletin 1", "Bulletin 3"])
        #expect(try reader.summaryAndBody(id: Self.reference(3, origin: dz).description)?.summary.tlp == .amberStrict)
        #expect(try reader.summaryAndBody(id: "not an id") == nil)
        #expect(try reader.laterBulletins(of: Self.reference(3, origin: dz).description).isEmpty)
        _ = store
    }

    @Test("filters: ownership, type, origin, TLP set, working groups, handling code, permitted handling, dates")
    func filters() throws {
        let store = try mixedStore()
        let reader = try BulletinReader(storeFile: url)
        func titles(_ query: BulletinQuery) throws -> [String] { numbers(try reader.page(query)) }
        #expect(try titles(BulletinQuery(ownership: .own)) == ["Bulletin 6", "Bulletin 1"])
        #expect(try titles(BulletinQuery(ownership: .received)).count == 4)
        #expect(try titles(BulletinQuery(incidentType: "migrant-smuggling")) == ["Bulletin 2"])
        #expect(try titles(BulletinQuery(origin: dz)) == ["Bulletin 3", "Bulletin 2"])
        #expect(try titles(BulletinQuery(tlps: [.green, .amber])) == ["Bulletin 6", "Bulletin 2", "Bulletin 1"])
        #expect(try titles(BulletinQuery(tlps: [])) == [])
        #expect(try titles(BulletinQuery(workingGroups: ["customs"])) == ["Bulletin 3", "Bulletin 1"])
        #expect(try titles(BulletinQuery(workingGroups: ["customs", "security"])) == ["Bulletin 3", "Bulletin 2", "Bulletin 1"])
        #expect(try titles(BulletinQuery(workingGroups: [])) == [])
        #expect(try titles(BulletinQuery(handlingCode: "law-enforcement-use-only")) == ["Bulletin 3"])
        #expect(try titles(BulletinQuery(handlingCode: "no-such-code")) == [])
        // A reader's scope: only known codes that allow the agency; bulletins without codes pass.
        let permitted: Set<String> = ["law-enforcement-use-only", "not-for-third-states", "no-judicial-use-without-consent", "no-action-without-consultation"]
        #expect(try titles(BulletinQuery(permittedHandling: permitted)) == ["Bulletin 5", "Convoi 100% _confirmé_", "Bulletin 2", "Bulletin 1"])
        #expect(try titles(BulletinQuery(permittedHandling: [])) == ["Bulletin 5", "Convoi 100% _confirmé_", "Bulletin 1"])
        #expect(try titles(BulletinQuery(storedSince: Fixtures.time(2_000), storedUntil: Fixtures.time(4_000))).count == 3)
        #expect(try titles(BulletinQuery(storedSince: Fixtures.time(6_001))) == [])
        // Combined, as a customs reader cleared up to AMBER would ask.
        #expect(try titles(BulletinQuery(ownership: .received, tlps: [.clear, .green, .amber], workingGroups: ["customs"], permittedHandling: permitted)) == [])
        #expect(try titles(BulletinQuery(tlps: [.clear, .green, .amber], workingGroups: ["customs"], permittedHandling: permitted)) == ["Bulletin 1"])
        _ = store
    }

    @Test("contains is a literal, case-insensitive substring: % and _ are no wildcards, quotes are text")
    func containsIsLiteral() throws {
        let store = try mixedStore()
        let reader = try BulletinReader(storeFile: url)
        #expect(numbers(try reader.page(BulletinQuery(contains: "CONVOI"))) == ["Convoi 100% _confirmé_"])
        #expect(numbers(try reader.page(BulletinQuery(contains: "100%"))) == ["Convoi 100% _confirmé_"])
        #expect(numbers(try reader.page(BulletinQuery(contains: "%"))) == ["Convoi 100% _confirmé_"])
        #expect(numbers(try reader.page(BulletinQuery(contains: "_confirm"))) == ["Convoi 100% _confirmé_"])
        #expect(try reader.page(BulletinQuery(contains: "Bulletin_1")).items.isEmpty)
        #expect(try reader.page(BulletinQuery(contains: "' OR '1'='1")).items.isEmpty)
        #expect(try reader.page(BulletinQuery(contains: "\"); DROP TABLE bulletin; --")).items.isEmpty)
        #expect(try reader.page(BulletinQuery(contains: "")).items.count == 6)
        #expect(try reader.page(BulletinQuery()).items.count == 6)
        _ = store
    }

    @Test("limits are bounded to 1…200, default 50, and pages follow each other without gaps or repeats")
    func paginationAndLimits() throws {
        let store = try BulletinStore(path: path)
        // 260 received bulletins, in pairs stored at the same millisecond (order then by id). The
        // store no longer writes ties (each stored_at follows the last); a store written before
        // it can hold them, so they are put back by hand.
        let bulletins = (1...260).map { Self.bulletin($0, origin: dz, storedAt: 10_000 + UInt64($0 / 2)) }
        try Self.receive(bulletins, in: store)
        try folder.rawQueue("store.sqlite").write { db in
            for bulletin in bulletins {
                try db.execute(sql: "UPDATE bulletin SET stored_at = ? WHERE id = ?", arguments: [bulletin.storedAt, bulletin.reference])
            }
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT stored_at) FROM bulletin") == 131)
        }
        let reader = try BulletinReader(storeFile: url)
        #expect(try reader.page(BulletinQuery()).items.count == 50)
        #expect(try reader.page(BulletinQuery(limit: 10_000)).items.count == 200)
        #expect(try reader.page(BulletinQuery(limit: 0)).items.count == 1)
        #expect(try reader.page(BulletinQuery(limit: -5)).items.count == 1)
        var seen: [BulletinReference] = []
        var query = BulletinQuery(limit: 7)
        var pages = 0
        while true {
            let page = try reader.page(query)
            seen += page.items.map(\.id)
            pages += 1
            // Newer bulletins arriving between pages do not shift the pages already read.
            if pages == 3 { try Self.receive([Self.bulletin(1_000, origin: tn, storedAt: 99_999)], in: store) }
            guard let next = page.next else { break }
            #expect(next == page.items.last?.cursor)
            // The cursor survives a URL.
            query.before = try #require(BulletinCursor(next.description))
        }
        #expect(seen.count == 260)
        #expect(Set(seen).count == 260)
        #expect(seen == (1...260).reversed().map { Self.reference($0, origin: dz) })
        #expect(pages == 38)
        // A cursor a person edited is refused, not guessed.
        #expect(BulletinCursor("12.DZ-'; DROP") == nil)
        #expect(BulletinCursor("abc.\(Self.reference(1, origin: dz))") == nil)
    }

    @Test("a bulletin's record: body, own recipients with receipts (accepted, refused, covered, awaiting), the correction and withdrawal chain")
    func record() throws {
        let store = try BulletinStore(path: path)
        let morocco = ma
        let original = Self.bulletin(1, origin: morocco, storedAt: 1_000)
        try Self.post(original, to: [dz, tn, Fixtures.state("LY")], in: store)
        try Self.post(Self.bulletin(2, origin: morocco, storedAt: 2_000), to: [dz, tn], in: store)
        // DZ: its own receipt accepts 1. TN: no receipt for 1, a receipt for 2 covers it. LY: none.
        try store.recordReceipts([
            StoredReceipt(recipient: dz, sequence: 1, envelopeHash: Fixtures.hash("a"), status: .accepted, receivedAt: Fixtures.time(1_100), bytes: [9]),
            StoredReceipt(recipient: tn, sequence: 2, envelopeHash: Fixtures.hash("b"), status: .accepted, receivedAt: Fixtures.time(2_100), bytes: [9]),
            StoredReceipt(recipient: dz, sequence: 2, envelopeHash: Fixtures.hash("c"), status: .rejected(.malformed), receivedAt: Fixtures.time(2_200), bytes: [9]),
        ])
        let correction = Self.bulletin(3, origin: morocco, storedAt: 3_000, corrects: original.reference)
        try Self.post(correction, to: [dz], in: store)
        try Self.receive([Self.bulletin(4, origin: dz, storedAt: 4_000, withdraws: original.reference)], in: store)

        let reader = try BulletinReader(storeFile: url)
        let record = try #require(try reader.bulletin(id: original.reference.description))
        #expect(record.body == original.body)
        #expect(record.summary.isOwn && record.summary.title["fr"] == "Bulletin 1")
        #expect(record.recipients == [
            RecipientDelivery(recipient: dz, sequence: 1, sealedAt: Fixtures.time(1_000), state: .accepted(receivedAt: Fixtures.time(1_100))),
            RecipientDelivery(recipient: Fixtures.state("LY"), sequence: 1, sealedAt: Fixtures.time(1_000), state: .awaitingReceipt),
            RecipientDelivery(recipient: tn, sequence: 1, sealedAt: Fixtures.time(1_000), state: .covered(bySequence: 2, receivedAt: Fixtures.time(2_100))),
        ])
        #expect(record.laterBulletins == [
            BulletinRecord.ChainLink(id: correction.reference, kind: .correction, storedAt: Fixtures.time(3_000)),
            BulletinRecord.ChainLink(id: Self.reference(4, origin: dz), kind: .withdrawal, storedAt: Fixtures.time(4_000)),
        ])
        let second = try #require(try reader.bulletin(id: Self.reference(2, origin: morocco).description))
        #expect(second.recipients.first { $0.recipient == dz }?.state == .refused(.malformed, receivedAt: Fixtures.time(2_200)))
        let corrected = try #require(try reader.bulletin(id: correction.reference.description))
        #expect(corrected.summary.correctsID == original.reference && corrected.laterBulletins.isEmpty)
        let received = try #require(try reader.bulletin(id: Self.reference(4, origin: dz).description))
        #expect(received.recipients.isEmpty && !received.summary.isOwn && received.summary.withdrawsID == original.reference)
        // Hostile or unknown ids: nil, never SQL.
        #expect(try reader.bulletin(id: "MA-' OR '1'='1") == nil)
        #expect(try reader.bulletin(id: "\"; DROP TABLE bulletin; --") == nil)
        #expect(try reader.bulletin(id: Self.reference(77, origin: morocco).description) == nil)
        #expect(try reader.page(BulletinQuery()).items.count == 4)
    }

    @Test("the reader cannot write: its connections are read-only, and it never creates a store")
    func readOnly() throws {
        let store = try mixedStore()
        let reader = try BulletinReader(storeFile: url)
        #expect {
            try reader.read("attempted write") { db in try db.execute(sql: "DELETE FROM bulletin") }
        } throws: { error in
            (error as? StoreError)?.sqliteResultCode == .SQLITE_READONLY
        }
        #expect(try reader.page(BulletinQuery()).items.count == 6)
        let missing = folder.path("missing.sqlite")
        #expect {
            _ = try BulletinReader(storeFile: URL(fileURLWithPath: missing))
        } throws: { error in
            guard case .cannotOpen(file: "store", _, _) = error as? StoreError else { return false }
            return true
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
        _ = store
    }

    @Test("a store of an older or newer schema is refused with what to do")
    func schemaVersions() throws {
        do { _ = try BulletinStore(path: path) }
        let queue = try folder.rawQueue("store.sqlite")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        #expect {
            _ = try BulletinReader(storeFile: url)
        } throws: { error in
            guard case .newerSchema("store", _, ["v9-from-the-future"]) = error as? StoreError else { return false }
            return true
        }
        let older = folder.path("older.sqlite")
        let olderQueue = try folder.rawQueue("older.sqlite")
        try olderQueue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try StoreMigrations.migrator.migrate(olderQueue, upTo: "v2-outgoing-envelopes-rowid")
        try olderQueue.close()
        #expect {
            _ = try BulletinReader(storeFile: URL(fileURLWithPath: older))
        } throws: { error in
            guard case .olderSchema("store", _, ["v3-bulletin-console-columns", "v4-bulletin-flags", "v5-attachments"]) = error as? StoreError else { return false }
            return "\(error)".contains("start the node")
        }
    }

    @Test("a store written before the console columns is backfilled by the migration: own, working group, handling, chain")
    func migrationBackfill() throws {
        let queue = try folder.rawQueue("store.sqlite")
        try StoreMigrations.migrator.migrate(queue, upTo: "v2-outgoing-envelopes-rowid")
        let own = Self.bulletin(1, origin: ma, storedAt: 1_000, group: "justice", handling: ["not-for-third-states"])
        let received = Self.bulletin(2, origin: dz, storedAt: 2_000, group: "security", handling: ["law-enforcement-use-only"], corrects: Self.reference(9, origin: dz))
        try queue.write { db in
            for bulletin in [own, received] {
                try db.execute(
                    sql: "INSERT INTO bulletin (id, origin, incident_type, tlp, created_at, stored_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [bulletin.reference, bulletin.origin, bulletin.incidentType, bulletin.tlp, bulletin.createdAt, bulletin.storedAt, Data(bulletin.body)])
            }
            try db.execute(
                sql: "INSERT INTO incoming_envelope (origin, sequence, bulletin_id, hash, received_at, status) VALUES ('DZ', 1, ?, ?, 2000, 0)",
                arguments: [received.reference, Fixtures.hash(1)])
        }
        try queue.close()
        let store = try BulletinStore(path: path)
        let reader = try BulletinReader(storeFile: url)
        let page = try reader.page(BulletinQuery())
        #expect(page.items.map(\.isOwn) == [false, true])
        #expect(page.items.map(\.workingGroup) == ["security", "justice"])
        #expect(page.items.first?.correctsID == Self.reference(9, origin: dz))
        #expect(numbers(try reader.page(BulletinQuery(handlingCode: "law-enforcement-use-only"))) == ["Bulletin 2"])
        #expect(numbers(try reader.page(BulletinQuery(ownership: .own, workingGroups: ["justice"]))) == ["Bulletin 1"])
        // The node's write path fills the same columns after the migration.
        try Self.post(Self.bulletin(3, origin: ma, storedAt: 3_000, group: "customs", handling: ["no-further-dissemination"]), to: [dz], in: store)
        #expect(numbers(try reader.page(BulletinQuery(ownership: .own, workingGroups: ["customs"], handlingCode: "no-further-dissemination"))) == ["Bulletin 3"])
    }

    @Test("a post whose id is already stored is still refused, and a received bulletin stored twice is kept once")
    func insertRules() throws {
        let store = try BulletinStore(path: path)
        let bulletin = Self.bulletin(1, origin: ma, storedAt: 1_000, handling: ["not-for-third-states"])
        try Self.post(bulletin, to: [dz], in: store)
        #expect(throws: (any Error).self) { try Self.post(bulletin, to: [tn], in: store) }
        let received = Self.bulletin(2, origin: dz, storedAt: 2_000, handling: ["law-enforcement-use-only"])
        try Self.receive([received, received], in: store)
        let reader = try BulletinReader(storeFile: url)
        #expect(try reader.page(BulletinQuery()).items.map(\.id) == [received.reference, bulletin.reference])
        #expect(try reader.page(BulletinQuery(handlingCode: "law-enforcement-use-only")).items.count == 1)
    }

    @Test("a reader pages while the node's writer commits: every page is consistent and the last sees everything")
    func concurrentReaderAndWriter() async throws {
        let store = try BulletinStore(path: path)
        try Self.post(Self.bulletin(0, origin: ma, storedAt: 1), to: [dz], in: store)
        let reader = try BulletinReader(storeFile: url)
        let count = 400
        let writer = Task.detached {
            for number in 1...count {
                if number.isMultiple(of: 2) {
                    try Self.post(Self.bulletin(number, origin: Fixtures.morocco, storedAt: UInt64(number) + 1), to: [Fixtures.algeria], in: store)
                } else {
                    try Self.receive([Self.bulletin(number, origin: Fixtures.tunisia, storedAt: UInt64(number) + 1, handling: ["not-for-third-states"])], in: store)
                }
            }
        }
        var reads = 0
        var previousNewest: Timestamp = Fixtures.time(0)
        while true {
            let page = try reader.page(BulletinQuery(limit: 200))
            let times = page.items.map(\.storedAt)
            #expect(times == times.sorted(by: >))
            #expect(Set(page.items.map(\.id)).count == page.items.count)
            let newest = times.first ?? Fixtures.time(0)
            #expect(newest >= previousNewest)
            previousNewest = newest
            reads += 1
            if newest == Fixtures.time(UInt64(count) + 1) { break }
            try await Task.sleep(for: .milliseconds(1))
            if reads > 100_000 { break }
        }
        try await writer.value
        #expect(reads >= 1)
        #expect(try reader.page(BulletinQuery(limit: 200)).items.count == 200)
        let own = try reader.page(BulletinQuery(ownership: .own, limit: 200))
        #expect(own.items.count == 200 && own.next != nil)
        #expect(try reader.page(BulletinQuery(ownership: .own, before: own.next)).items.map(\.id) == [Self.reference(0, origin: Fixtures.morocco)])
        #expect(try reader.page(BulletinQuery(handlingCode: "not-for-third-states", limit: 200)).items.count == 200)
    }
}
