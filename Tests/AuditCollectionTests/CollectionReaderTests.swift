import Audit
import AuditCollection
import Exchange
import Foundation
import GRDB
import Testing

/// A `collected.sqlite` made by real collections (``AuditCollector`` over real ``AuditLog``s, heads
/// signed by the nodes' keys): two runs over MA, DZ and TN. MA sent DZ three envelopes and had two
/// acknowledged; DZ accepted two, rejected a forged fourth, and never logged the third (missing);
/// DZ sent MA one, received and acknowledged. TN is unreachable in the first run and signs with
/// another key in the second (badHead); DZ shows another history of the same size in the second
/// run (equivocation).
struct CollectedRegion {
    let folder: TemporaryFolder
    let path: String
    let firstRun: Timestamp
    let secondRun: Timestamp

    init() throws {
        folder = try TemporaryFolder()
        path = folder.path("collected.sqlite")
        let store = try CollectionStore(path: path)
        let collector = AuditCollector(store: store, recheckCount: 4)
        let now = Timestamp.now.millisecondsSinceEpoch
        firstRun = Timestamp(millisecondsSinceEpoch: now - 300_000)
        secondRun = Timestamp(millisecondsSinceEpoch: now - 1_000)
        let sent = Timestamp(millisecondsSinceEpoch: now - 600_000)

        func identity(_ code: String) throws -> NodeIdentity {
            try NodeIdentity(
                state: state(code), nodeName: "\(code.lowercased())-1",
                endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        }
        let ma = try identity("MA"), dz = try identity("DZ"), tn = try identity("TN")
        let maDZ = try link("MA", "DZ"), dzMA = try link("DZ", "MA")
        let bulletin = BulletinID.generate()

        let maLog = try AuditLog(path: folder.path("ma.sqlite"), state: ma.state)
        try maLog.append(
            [
                .nodeStarted(softwareVersion: "test"),
                .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: bulletin),
                .envelopeSent(link: maDZ, sequence: 2, hash: try hash(2), bulletin: bulletin),
                .envelopeSent(link: maDZ, sequence: 3, hash: try hash(3), bulletin: bulletin),
                .receiptReceived(link: maDZ, sequence: 2, hash: try hash(2), status: .accepted),
                .envelopeReceived(link: dzMA, sequence: 1, hash: try hash(9), status: .accepted),
            ], at: sent)
        let dzEvents: [AuditEvent] = [
            .nodeStarted(softwareVersion: "test"),
            .envelopeReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted),
            .envelopeReceived(link: maDZ, sequence: 2, hash: try hash(2), status: .accepted),
            .envelopeReceived(link: maDZ, sequence: 4, hash: try hash(4), status: .rejected(.badSignature)),
            .envelopeSent(link: dzMA, sequence: 1, hash: try hash(9), bulletin: bulletin),
            .receiptReceived(link: dzMA, sequence: 1, hash: try hash(9), status: .accepted),
        ]
        let dzLog = try AuditLog(path: folder.path("dz.sqlite"), state: dz.state)
        try dzLog.append(dzEvents, at: sent)
        let tnLog = try AuditLog(path: folder.path("tn.sqlite"), state: tn.state)
        try tnLog.append(.nodeStarted(softwareVersion: "test"), at: sent)

        let maSource = LogSource(log: maLog, identity: ma)
        let dzSource = LogSource(log: dzLog, identity: dz)
        let tnSource = LogSource(log: tnLog, identity: tn)
        tnSource.failure = .unreachable(state: tn.state, endpoint: "tcp://127.0.0.1:2", milliseconds: 100)
        let members = [ma, dz, tn].map { RosterMember(card: $0.card, role: .member) }

        // Run 1: MA and DZ collected, TN unreachable.
        for (member, source) in zip(members, [maSource, dzSource, tnSource] as [LogSource]) {
            _ = try collector.collect(member, from: source, now: firstRun)
        }
        // Between the runs MA logs a stop; DZ forks (same size, other entries); TN answers with another key.
        try maLog.append(.nodeStopped, at: sent)
        let fork = try AuditLog(path: folder.path("dz-fork.sqlite"), state: dz.state)
        try fork.append(Array(dzEvents.dropLast()) + [.nodeStopped], at: sent)
        dzSource.log = fork
        tnSource.failure = nil
        tnSource.identity = try identity("TN")
        for (member, source) in zip(members, [maSource, dzSource, tnSource] as [LogSource]) {
            _ = try collector.collect(member, from: source, now: secondRun)
        }
    }
}

@Suite("The console's read-only view of collected.sqlite")
struct CollectionReaderTests {
    @Test("nodes: last accepted head, last attempt and findings of each, in state order")
    func nodes() throws {
        let region = try CollectedRegion()
        let reader = try CollectionReader(path: region.path)
        let nodes = try reader.nodes()
        #expect(nodes.map(\.state.description) == ["DZ", "MA", "TN"])
        let byState = Dictionary(uniqueKeysWithValues: nodes.map { ($0.state.description, $0) })
        #expect(byState["MA"]?.entriesHeld == 7 && byState["MA"]?.lastAttempt?.attempt.outcome == .collected)
        #expect(byState["MA"]?.lastAccepted?.collectedAt == region.secondRun)
        #expect(byState["DZ"]?.entriesHeld == 6 && byState["DZ"]?.equivocation == true)
        #expect(byState["DZ"]?.findings == [.equivocation: 1] && byState["DZ"]?.lastAttempt?.attempt.outcome == .flagged)
        #expect(byState["TN"]?.lastAccepted == nil && byState["TN"]?.findings == [.badHead: 1])
        #expect(try reader.node(state("MA"))?.entriesHeld == 7)
        #expect(try reader.node(state("EG")) == nil)
        #expect(try reader.acceptedHeads(of: state("MA")).map(\.treeSize) == [7, 6])
    }

    @Test("the matrix's links: sent, received, acknowledged, rejected, missing, and their colour")
    func reconciliation() throws {
        let region = try CollectedRegion()  // kept: its folder goes with it
        let reader = try CollectionReader(path: region.path)
        let reconciliation = try reader.reconcile()
        #expect(reconciliation.states.map(\.description) == ["DZ", "MA", "TN"])
        let maDZ = try #require(reconciliation.link(from: state("MA"), to: state("DZ")))
        #expect(maDZ.sent == 3 && maDZ.received == 2 && maDZ.acknowledged == 2)
        #expect(maDZ.rejections.map(\.reason) == ["badSignature"] && maDZ.missingAtRecipient == [3] && maDZ.health == .red)
        let dzMA = try #require(reconciliation.link(from: state("DZ"), to: state("MA")))
        #expect(dzMA.sent == 1 && dzMA.received == 1 && dzMA.acknowledged == 1 && dzMA.health == .green)
        #expect(reconciliation.link(from: try state("MA"), to: try state("TN")) == nil)
        #expect(reconciliation.findings.contains { $0.kind == .missing && $0.subject == "MA→DZ" })
        #expect(reconciliation.findings.contains { $0.kind == .notCollected && $0.subject == "TN" })
        // The link kinds only: MA's 5 of 7, DZ's 5 of 6 (nodeStarted and nodeStopped are not read).
        #expect(reconciliation.entriesRead == 10)
        #expect(reconciliation.version == (try reader.version()))
    }

    @Test("a store holding more entries than allowed is refused before any entry is read")
    func bounded() throws {
        let region = try CollectedRegion()  // kept: its folder goes with it
        let reader = try CollectionReader(path: region.path)
        #expect {
            try reader.reconcile(maximumEntries: 9)
        } throws: { error in
            guard case AuditCollectionError.tooLargeToReconcile(10, 9) = error else { return false }
            return true
        }
    }

    @Test("the matrix reads and counts only the link kinds: console accesses do not fill its bound, an unknown kind is a warning")
    func reconciledKindsOnly() throws {
        let folder = try TemporaryFolder()
        let ma = try NodeIdentity(
            state: state("MA"), nodeName: "ma-1", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        let time = Timestamp(millisecondsSinceEpoch: Timestamp.now.millisecondsSinceEpoch - 60_000)
        let maDZ = try link("MA", "DZ")
        var events: [AuditEvent] = [
            .nodeStarted(softwareVersion: "test"),
            .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: BulletinID.generate()),
        ]
        events += Array(repeating: .consoleAccess(ConsoleAccess(account: 3, role: .reader, action: .signIn, outcome: .succeeded)), count: 40)
        events += [.consoleAccessDropped(count: 7), .envelopeSent(link: maDZ, sequence: 2, hash: try hash(2), bulletin: BulletinID.generate())]
        var entries = try events.enumerated().map { try AuditEntry(index: UInt64($0.offset), time: time, state: ma.state, event: $0.element).canonicalBytes }
        // Entry 44: a kind a newer BorderNet added.
        entries.append(Array(try AuditEntry(index: 44, time: time, state: ma.state, event: .nodeStopped).canonicalBytes.prefix(23)) + [200, 9, 9])
        let store = try CollectionStore(path: folder.path("collected.sqlite"))
        let result = try AuditCollector(store: store).collect(
            RosterMember(card: ma.card, role: .member), from: UnknownKindTests.BytesSource(entries: entries, identity: ma))
        #expect(result.outcome == .collected, "\(result)")

        // 45 entries held; 2 envelopeSent and 1 consoleAccessDropped are read, within a bound of 3.
        let reader = try CollectionReader(path: folder.path("collected.sqlite"))
        let reconciliation = try reader.reconcile(maximumEntries: 3)
        #expect(reconciliation.entriesRead == 3)
        #expect(reconciliation.link(from: ma.state, to: try state("DZ"))?.sent == 2)
        let unknown = try #require(reconciliation.findings.first { $0.kind == .unknownKind })
        #expect(unknown.subject == "MA" && unknown.entryIndex == 44 && unknown.severity == .warning)
        #expect(unknown.text.hasPrefix("1 entries of kinds this BorderNet does not know (codes 200)"), "\(unknown.text)")
        #expect(reconciliation.findings.contains { $0.kind == .accessDropped })
        #expect {
            try reader.reconcile(maximumEntries: 2)
        } throws: { error in
            guard case AuditCollectionError.tooLargeToReconcile(3, 2) = error else { return false }
            return true
        }
    }

    @Test("findings newest first, filtered by node and kind, in pages")
    func findings() throws {
        let region = try CollectedRegion()  // kept: its folder goes with it
        let reader = try CollectionReader(path: region.path)
        let all = try reader.findings(FindingQuery())
        #expect(all.items.map(\.kind) == [.badHead, .equivocation] && all.next == nil)
        #expect(all.items.last?.headIDs.count == 2)
        let first = try reader.findings(FindingQuery(limit: 1))
        #expect(first.items.map(\.kind) == [.badHead])
        #expect(first.next != nil)
        let second = try reader.findings(FindingQuery(before: first.next, limit: 1))
        #expect(second.items.map(\.kind) == [.equivocation] && second.next == nil)
        #expect(try reader.findings(FindingQuery(state: state("DZ"))).items.map(\.kind) == [.equivocation])
        #expect(try reader.findings(FindingQuery(kind: .badEntries)).items.isEmpty)
        #expect(FindingQuery(limit: 1_000_000).boundedLimit == FindingQuery.maximumLimit)
        let evidence = try reader.heads(ids: all.items.last?.headIDs ?? [])
        #expect(evidence.map(\.status) == [.evidence, .accepted] && evidence.map(\.treeSize) == [6, 6])
    }

    @Test("the history: runs newest first, each node once per run, the head accepted at the time, the failures")
    func history() throws {
        let region = try CollectedRegion()
        let reader = try CollectionReader(path: region.path)
        let page = try reader.history()
        #expect(page.runs.count == 2 && page.next == nil)
        let (second, first) = (page.runs[0], page.runs[1])
        #expect(first.startedAt == region.firstRun && second.startedAt == region.secondRun)
        #expect(first.attempts.map(\.attempt.state.description) == ["MA", "DZ", "TN"])
        #expect(first.attempts.map(\.acceptedHead?.treeSize) == [6, 6, nil])
        #expect(first.failures.map(\.attempt.outcome) == [.unreachable])
        #expect(second.attempts.map(\.acceptedHead?.treeSize) == [7, 6, nil])
        #expect(second.failures.map(\.attempt.outcome) == [.flagged, .flagged])
        // Two attempts a page: the older page starts where this one ended.
        let cut = try reader.history(maximumAttempts: 2)
        #expect(cut.runs.map { $0.attempts.count } == [2] && cut.next != nil)
        let rest = try reader.history(before: cut.next, maximumAttempts: 10)
        #expect(rest.runs.map { $0.attempts.count } == [1, 3])
        #expect(try reader.history(state: state("TN")).runs.map { $0.attempts.map(\.attempt.outcome) } == [[.flagged], [.unreachable]])
    }

    @Test("opening never creates or changes the file; a newer store is refused")
    func readOnly() throws {
        let folder = try TemporaryFolder()
        let missing = folder.path("collected.sqlite")
        #expect(throws: AuditCollectionError.self) { try CollectionReader(path: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))

        let region = try CollectedRegion()
        let before = try Data(contentsOf: URL(fileURLWithPath: region.path))
        let reader = try CollectionReader(path: region.path)
        _ = try reader.nodes()
        _ = try reader.reconcile()
        _ = try reader.history()
        #expect(try Data(contentsOf: URL(fileURLWithPath: region.path)) == before)

        let queue = try DatabaseQueue(path: region.path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')") }
        #expect {
            try CollectionReader(path: region.path)
        } throws: { error in
            guard case AuditCollectionError.storage(.newerSchema(_, _, ["v9-from-the-future"])) = error else { return false }
            return true
        }
    }

    @Test("a long history is read in pages of bounded size, every attempt once, runs told apart")
    func longHistory() throws {
        let folder = try TemporaryFolder()
        let store = try CollectionStore(path: folder.path("collected.sqlite"))
        let states = try ["DZ", "MA", "TN"].map(state)
        // 400 runs, 15 minutes apart, each node once a run (as the timer of docs/OPERATIONS.md).
        for run in 0..<400 {
            for (offset, node) in states.enumerated() {
                let at = Timestamp(millisecondsSinceEpoch: 1_780_000_000_000 + UInt64(run) * 900_000 + UInt64(offset) * 1_000)
                try store.recordAttempt(CollectionAttempt(state: node, at: at, outcome: .unreachable, detail: "run \(run)"))
            }
        }
        let reader = try CollectionReader(path: store.path)
        var seen: [Int64] = []
        var before: Int64?
        var pages = 0
        repeat {
            let page = try reader.history(before: before, maximumAttempts: 10_000)  // clamped to 500
            let ids = page.runs.flatMap { $0.attempts.map(\.id) }
            #expect(ids.count <= CollectionReader.maximumHistoryAttempts)
            #expect(page.runs.allSatisfy { Set($0.attempts.map(\.attempt.state)).count == $0.attempts.count })
            seen += ids
            before = page.next
            pages += 1
        } while before != nil && pages < 10
        #expect(pages == 3 && Set(seen).count == 1_200 && seen.count == 1_200)
        #expect(try reader.history(maximumAttempts: 30).runs.count == 10)
    }
}
