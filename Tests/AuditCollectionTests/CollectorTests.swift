import Audit
import AuditCollection
import Exchange
import Testing

/// The collector's checks without sockets: a node's log answered by ``LogSource``.
@Suite("Collector verification")
struct CollectorTests {
    let folder: TemporaryFolder
    let identity: NodeIdentity
    let member: RosterMember
    let store: CollectionStore
    let collector: AuditCollector

    init() throws {
        folder = try TemporaryFolder()
        identity = try NodeIdentity(
            state: state("MA"), nodeName: "ma-1", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        member = RosterMember(card: identity.card, role: .member)
        store = try CollectionStore(path: folder.path("collected.sqlite"))
        collector = AuditCollector(store: store, batchSize: 3)  // small batches: several requests per collection
    }

    /// A log of MA at `name` with `count` events; `variant` changes the events (another history).
    func makeLog(_ name: String, count: Int, variant: UInt64 = 0, time: UInt64 = 1_740_830_400_000) throws -> AuditLog {
        let log = try AuditLog(path: folder.path(name), state: identity.state)
        try append(to: log, count: count, variant: variant, time: time)
        return log
    }

    func append(to log: AuditLog, count: Int, variant: UInt64 = 0, time: UInt64 = 1_740_830_400_000) throws {
        let events = (0..<count).map { AuditEvent.rosterInstalled(version: variant * 1_000 + log.size + UInt64($0)) }
        try log.append(events, at: Timestamp(millisecondsSinceEpoch: time))
    }

    @Test("a growing log is collected in batches; each new head must extend the last; nothing new is up to date")
    func growingLog() throws {
        let log = try makeLog("ma.sqlite", count: 10)
        let source = LogSource(log: log, identity: identity)
        let first = try collector.collect(member, from: source)
        #expect(first.outcome == .collected && first.newEntries == 10 && first.treeSize == 10)
        try append(to: log, count: 5)
        let second = try collector.collect(member, from: source)
        #expect(second.outcome == .collected && second.newEntries == 5 && second.treeSize == 15)
        #expect(try collector.collect(member, from: source).outcome == .upToDate)
        #expect(try store.entries(of: identity.state).map(\.index) == Array(0..<15))
        #expect(try store.lastAcceptedHead(of: identity.state)?.head.treeSize == 15)
        #expect(try store.findings().isEmpty)
    }

    @Test("a log truncated and regrown past the last accepted head is flagged inconsistent; the accepted head stays")
    func truncatedAndRegrown() throws {
        let source = LogSource(log: try makeLog("ma.sqlite", count: 15), identity: identity)
        #expect(try collector.collect(member, from: source).outcome == .collected)
        // The node keeps its first 7 entries, drops the rest and logs other events: 20 entries now.
        let regrown = try makeLog("ma-regrown.sqlite", count: 7)
        try append(to: regrown, count: 13, variant: 9)
        source.log = regrown
        let result = try collector.collect(member, from: source)
        #expect(result.outcome == .flagged)
        let finding = try #require(result.findings.first)
        #expect(finding.kind == .inconsistent && finding.kind.isEquivocation)
        #expect(finding.detail.contains("does not extend the accepted head of size 15"))
        #expect(finding.headIDs.count == 2)  // the new head as evidence, and the accepted one it contradicts
        #expect(try store.lastAcceptedHead(of: identity.state)?.head.treeSize == 15)
        #expect(try store.entries(of: identity.state).count == 15)

        // Shrunk below the accepted size: inconsistent too.
        source.log = try makeLog("ma-short.sqlite", count: 4)
        let shrunk = try collector.collect(member, from: source)
        #expect(shrunk.outcome == .flagged && shrunk.findings.first?.kind == .inconsistent)
        #expect(shrunk.detail.contains("shrank"))
    }

    @Test("a forked head (same size, other root) is flagged as equivocation with both heads kept")
    func forkedHead() throws {
        let source = LogSource(log: try makeLog("ma.sqlite", count: 10), identity: identity)
        #expect(try collector.collect(member, from: source).outcome == .collected)
        source.log = try makeLog("ma-fork.sqlite", count: 10, variant: 7)
        let result = try collector.collect(member, from: source)
        #expect(result.outcome == .flagged)
        let finding = try #require(result.findings.first)
        #expect(finding.kind == .equivocation)
        #expect(finding.detail.contains("EQUIVOCATION"))
        let heads = try store.heads(of: identity.state).filter { $0.head.treeSize == 10 }
        #expect(heads.count == 2 && Set(heads.map(\.head.rootHash)).count == 2)
        #expect(Set(heads.map(\.status)) == [.accepted, .evidence])
        #expect(Set(finding.headIDs) == Set(heads.map(\.id)))
        for head in heads { try head.signed.verify(card: identity.card) }  // both are the node's own signatures: evidence
        #expect(try store.lastAcceptedHead(of: identity.state)?.head.rootHash == heads.first { $0.status == .accepted }?.head.rootHash)
    }

    @Test("a head signed by another key, entries that are not the signed ones, and a silent node")
    func badAnswers() throws {
        let log = try makeLog("ma.sqlite", count: 6)
        let source = LogSource(log: log, identity: identity)
        let impostor = try NodeIdentity(
            state: state("MA"), nodeName: "impostor", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        source.identity = impostor
        let forged = try collector.collect(member, from: source)
        #expect(forged.outcome == .flagged && forged.findings.first?.kind == .badHead)

        source.identity = identity
        source.entriesFrom = try makeLog("other.sqlite", count: 6, variant: 3)
        let substituted = try collector.collect(member, from: source)
        #expect(substituted.outcome == .flagged && substituted.findings.first?.kind == .badEntries)
        #expect(try store.lastAcceptedHead(of: identity.state) == nil)

        source.failure = .unreachable(state: identity.state, endpoint: "tcp://127.0.0.1:2", milliseconds: 100)
        let silent = try collector.collect(member, from: source)
        #expect(silent.outcome == .unreachable && silent.findings.isEmpty)
        #expect(try store.lastAttempts()[identity.state]?.outcome == .unreachable)

        source.failure = nil
        source.entriesFrom = nil
        #expect(try collector.collect(member, from: source).outcome == .collected)
    }
}
