import Audit
import AuditCollection
import Exchange
import Foundation
import NodeSetup
import Testing

/// Issue 13, defect 1 on the secretariat's side: what a hostile member made an honest node log
/// (a replay of `1…2^64−1`, 78 times) goes through `collect`, the store and `report` — text,
/// JSON and HTML — without trapping, and is reported as an `implausibleValue` finding naming the
/// node and the entry. Before the fix, the report trapped ("Distance is not representable in
/// Int") on every run, for good.
@Suite("Extreme values through collection and report")
struct ExtremeValueTests {
    let folder: TemporaryFolder
    let directory: SecretariatDirectory
    let morocco: NodeIdentity
    let algeria: NodeIdentity
    let store: CollectionStore
    let now = Timestamp.now

    init() throws {
        folder = try TemporaryFolder()
        directory = SecretariatDirectory(path: folder.path("sec"))
        _ = try directory.create()
        _ = try directory.createNode(state: state("XS"), nodeName: "secretariat-1")
        morocco = try NodeIdentity(
            state: state("MA"), nodeName: "ma-1", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        algeria = try NodeIdentity(
            state: state("DZ"), nodeName: "dz-1", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:3", service: "tcp://127.0.0.1:4"))
        var draft = try directory.loadDraft()
        draft.add(RosterMember(card: morocco.card, role: .member))
        draft.add(RosterMember(card: algeria.card, role: .member))
        draft.link(try link("MA", "DZ"))
        draft.link(try link("DZ", "MA"))
        try directory.saveDraft(draft)
        _ = try directory.signDraft(now: Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - 3_600_000), validityDays: 1)
        store = try CollectionStore(path: directory.collectionStorePath)
    }

    func log(_ identity: NodeIdentity, _ events: [AuditEvent], at time: Timestamp) throws -> AuditLog {
        let log = try AuditLog(path: folder.path("\(identity.state).sqlite"), state: identity.state)
        try log.append(events, at: time)
        return log
    }

    @Test("replayRequested(1…2^64−1) ×78 goes through collect, the store and report (text, JSON, HTML) and is a finding")
    func reportedCase() throws {
        let maDZ = try link("MA", "DZ")
        let tenMinutesAgo = Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - 600_000)
        let maLog = try log(
            morocco,
            [
                .nodeStarted(softwareVersion: "0.13.0"),
                .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: BulletinID.generate()),
            ], at: tenMinutesAgo)
        let attack = [AuditEvent](repeating: .replayRequested(link: maDZ, sequences: 1...UInt64.max), count: 78)
        let dzLog = try log(
            algeria,
            [.nodeStarted(softwareVersion: "0.13.0"), .envelopeReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted)]
                + attack, at: tenMinutesAgo)

        let collector = AuditCollector(store: store)
        for (identity, log) in [(morocco, maLog), (algeria, dzLog)] {
            let result = try collector.collect(RosterMember(card: identity.card, role: .member), from: LogSource(log: log, identity: identity))
            #expect(result.outcome == .collected, "\(result)")
        }
        // Stored for good, re-checked on the next run: still no trap.
        let again = try collector.collect(RosterMember(card: algeria.card, role: .member), from: LogSource(log: dzLog, identity: algeria))
        #expect(again.outcome == .upToDate && again.rechecked == 18)

        let report = try AuditReport.make(directory: directory, lateAfterMilliseconds: 60_000, now: now)
        let link = try #require(report.links.first { $0.name == "MA→DZ" })
        #expect(link.replayRequested == UInt64.max)  // 78 × (2^64 − 1), saturated
        #expect(link.sent == 1 && link.received == 1)

        let ranges = report.implausibleValues.filter { $0.what == .replayRange }
        #expect(ranges.count == 78 && ranges.allSatisfy { $0.state.description == "DZ" })
        #expect(ranges.compactMap(\.entryIndex) == Array(2...79))
        #expect(report.implausibleValues.filter { $0.what == .replayBeyondSent }.count == 78)  // MA's log records one send only
        let first = try #require(report.findings.first { $0.kind == .implausibleValue && $0.entryIndex == 2 })
        #expect(first.severity == .critical && first.subject == "DZ")
        #expect(first.text.contains("18446744073709551615"), "\(first.text)")
        #expect(report.findings.filter { $0.kind == .implausibleValue }.count == AuditReport.implausibleFindingsPerNode + 1)
        #expect(report.nodes.first { $0.state.description == "DZ" }?.findings["implausibleValue"] == 156)

        #expect(report.text.contains("implausible value (replayRange) in entry 2 of DZ's log"))
        #expect(report.text.contains("156 implausible values"))
        #expect(report.html.contains("Implausible values (156)") && report.html.contains("<td>DZ</td><td>2</td><td>replayRange</td>"))
        let json = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(AuditReport.self, from: json)
        #expect(decoded.implausibleValues == report.implausibleValues && decoded.findings == report.findings)
    }

    @Test("a head claiming 2^64−1 entries is a badHead finding, kept as evidence; nothing is fetched")
    func headOfImplausibleSize() throws {
        let dzLog = try log(algeria, [.nodeStarted(softwareVersion: "0.13.0")], at: now)
        let source = ForgedHeadSource(inner: LogSource(log: dzLog, identity: algeria), identity: algeria, treeSize: .max)
        let result = try AuditCollector(store: store).collect(RosterMember(card: algeria.card, role: .member), from: source)
        #expect(result.outcome == .flagged && result.findings.first?.kind == .badHead)
        #expect(result.detail.contains("18446744073709551615"))
        #expect(source.entryRequests == 0)
        #expect(try store.heads(of: algeria.state).map(\.head.treeSize) == [UInt64.max])  // the exact size survives in the signed bytes
        #expect(try store.lastAcceptedHead(of: algeria.state) == nil)
        let report = try AuditReport.make(directory: directory, lateAfterMilliseconds: 60_000, now: now)
        #expect(report.findings.contains { $0.kind == .badHead && $0.subject == "DZ" })
    }

    @Test("a head of size 0 with a root that is not the empty tree's is badEntries, not a trap")
    func emptyHeadWithRoot() throws {
        let dzLog = try log(algeria, [.nodeStarted(softwareVersion: "0.13.0")], at: now)
        let source = ForgedHeadSource(inner: LogSource(log: dzLog, identity: algeria), identity: algeria, treeSize: 0)
        let result = try AuditCollector(store: store).collect(RosterMember(card: algeria.card, role: .member), from: source)
        #expect(result.outcome == .flagged && result.findings.first?.kind == .badEntries, "\(result)")
        #expect(result.detail.contains("the 0 entries"))
    }

    @Test("an accepted head stamped 2^64−1 ms and entries before 2013 are findings; the head's age is 0, not a trap")
    func implausibleTimes() throws {
        let dzLog = try log(algeria, [.nodeStarted(softwareVersion: "0.13.0"), .nodeStopped], at: Timestamp(millisecondsSinceEpoch: 0))
        let source = ForgedHeadSource(inner: LogSource(log: dzLog, identity: algeria), identity: algeria, timestamp: Timestamp(millisecondsSinceEpoch: .max))
        #expect(try AuditCollector(store: store).collect(RosterMember(card: algeria.card, role: .member), from: source).outcome == .collected)
        let report = try AuditReport.make(directory: directory, lateAfterMilliseconds: .max, now: now)
        #expect(report.nodes.first { $0.state.description == "DZ" }?.lastHead?.ageMilliseconds == 0)
        let values = report.implausibleValues.filter { $0.state.description == "DZ" }
        #expect(values.contains { $0.what == .headTimestamp && $0.entryIndex == nil })
        #expect(values.filter { $0.what == .time }.compactMap(\.entryIndex) == [0, 1])
        #expect(!report.text.isEmpty && !report.html.isEmpty)
    }
}

/// A source that re-signs its inner log's heads with another size or timestamp (a node lying
/// about its log under its own key) and counts the entry requests it gets.
final class ForgedHeadSource: AuditSource {
    let inner: LogSource
    let identity: NodeIdentity
    let treeSize: UInt64?
    let timestamp: Timestamp?
    private(set) var entryRequests = 0

    init(inner: LogSource, identity: NodeIdentity, treeSize: UInt64? = nil, timestamp: Timestamp? = nil) {
        self.inner = inner
        self.identity = identity
        self.treeSize = treeSize
        self.timestamp = timestamp
    }

    func signedTreeHead() throws(AuditCollectionError) -> SignedTreeHead {
        let real = try inner.signedTreeHead().head
        let head = TreeHead(
            state: real.state, signingKey: real.signingKey, treeSize: treeSize ?? real.treeSize, timestamp: timestamp ?? real.timestamp,
            rootHash: real.rootHash)
        do {
            return try head.signed(by: identity)
        } catch {
            throw .refused(state: identity.state, reason: "\(error)")
        }
    }

    func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(AuditCollectionError) -> ConsistencyProof {
        try inner.consistencyProof(from: firstSize, to: secondSize)
    }

    func entryBytes(from first: UInt64, count: UInt64) throws(AuditCollectionError) -> [[UInt8]] {
        entryRequests += 1
        return try inner.entryBytes(from: first, count: count)
    }

    func inclusionProof(index: UInt64, treeSize: UInt64) throws(AuditCollectionError) -> InclusionProof {
        try inner.inclusionProof(index: index, treeSize: treeSize)
    }
}
