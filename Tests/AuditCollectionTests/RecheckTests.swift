import Audit
import AuditCollection
import Exchange
import Foundation
import GRDB
import Testing

/// Issue 13, defect 7: a node that rewrites an entry the secretariat already collected must be
/// caught by the next `collect`, not only by its own `audit verify`. The node here is a real
/// ``AuditLog`` on a real SQLite file; the rewrite is done on the file, behind the log's back,
/// as a dishonest operator would.
@Suite("Re-check of collected entries")
struct RecheckTests {
    let folder: TemporaryFolder
    let identity: NodeIdentity
    let member: RosterMember
    let store: CollectionStore

    init() throws {
        folder = try TemporaryFolder()
        identity = try NodeIdentity(
            state: state("MA"), nodeName: "ma-1", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        member = RosterMember(card: identity.card, role: .member)
        store = try CollectionStore(path: folder.path("collected.sqlite"))
    }

    /// MA's log with `count` envelopes sent to DZ (sequences 1…count).
    func makeLog(count: Int) throws -> AuditLog {
        let log = try AuditLog(path: folder.path("ma-audit.sqlite"), state: identity.state)
        try append(to: log, count: count)
        return log
    }

    func append(to log: AuditLog, count: Int) throws {
        let maDZ = try link("MA", "DZ")
        let events = try (0..<count).map { offset in
            AuditEvent.envelopeSent(
                link: maDZ, sequence: log.size + UInt64(offset) + 1, hash: try hash(UInt8(truncatingIfNeeded: offset)),
                bulletin: BulletinID.generate())
        }
        try log.append(events, at: Timestamp(millisecondsSinceEpoch: 1_740_830_400_000))
    }

    /// Rewrites entry `index` on disk: its time changes by one millisecond (the entry still decodes).
    /// With `leafHash`, the stored leaf hash is updated too (so the node's own tree, once reopened, agrees).
    func rewrite(_ log: AuditLog, entry index: Int64, leafHash: Bool = false) throws {
        let database = try DatabaseQueue(path: log.path)
        try database.write { db in
            var bytes = try #require(try Data.fetchOne(db, sql: "SELECT bytes FROM entry WHERE leaf_index = ?", arguments: [index]))
            bytes[20] ^= 0x01  // the low byte of the entry's time
            try db.execute(sql: "UPDATE entry SET bytes = ? WHERE leaf_index = ?", arguments: [bytes, index])
            if leafHash {
                try db.execute(
                    sql: "UPDATE entry SET leaf_hash = ? WHERE leaf_index = ?",
                    arguments: [Data(MerkleHasher.leafHash(Array(bytes)).bytes), index])
            }
        }
        try database.close()
    }

    @Test("an entry rewritten after a first collection is equivocation at the next collect, naming the entry; the accepted head stays")
    func rewrittenEntryIsCaught() throws {
        let log = try makeLog(count: 10)
        let source = LogSource(log: log, identity: identity)
        let collector = AuditCollector(store: store, batchSize: 4)
        let first = try collector.collect(member, from: source)
        #expect(first.outcome == .collected && first.treeSize == 10 && first.rechecked == 0)
        let collectedBytes = try #require(try store.entry(of: identity.state, index: 4)).bytes

        try rewrite(log, entry: 4)
        #expect(throws: AuditVerificationError.self) { try log.verify() }  // the node's own check sees it…
        try append(to: log, count: 3)  // …and the node goes on logging: its new head is consistent (its tree is unchanged)

        let second = try collector.collect(member, from: source)
        #expect(second.outcome == .flagged)
        let finding = try #require(second.findings.first)
        #expect(finding.kind == .equivocation && finding.kind.isEquivocation)
        #expect(finding.entryIndex == 4)
        #expect(finding.detail.contains("entry 4 was rewritten"), "\(finding.detail)")
        #expect(finding.headIDs.count == 2)
        #expect(try store.findings().map(\.entryIndex) == [4])  // kept with the entry index
        #expect(try store.lastAcceptedHead(of: identity.state)?.head.treeSize == 10)
        #expect(try store.entry(of: identity.state, index: 4)?.bytes == collectedBytes)  // what was collected is never overwritten
        #expect(try store.lastAttempts()[identity.state]?.outcome == .flagged)
    }

    @Test("a rewrite is caught even when the log did not grow (the run would otherwise be 'up to date')")
    func rewrittenEntryWithoutGrowth() throws {
        let log = try makeLog(count: 6)
        let source = LogSource(log: log, identity: identity)
        let collector = AuditCollector(store: store)
        #expect(try collector.collect(member, from: source).outcome == .collected)
        let quiet = try collector.collect(member, from: source)
        #expect(quiet.outcome == .upToDate && quiet.rechecked == 6)
        try rewrite(log, entry: 2)
        let result = try collector.collect(member, from: source)
        #expect(result.outcome == .flagged && result.findings.first?.kind == .equivocation && result.findings.first?.entryIndex == 2)
    }

    @Test("in a large log the first and the last collected entries are always re-checked, and the sample is bounded")
    func firstAndLastAlwaysChecked() throws {
        let log = try makeLog(count: 300)
        let source = LogSource(log: log, identity: identity)
        let collector = AuditCollector(store: store, recheckCount: 16)
        #expect(try collector.collect(member, from: source).outcome == .collected)
        try append(to: log, count: 5)
        let honest = try collector.collect(member, from: source)
        #expect(honest.outcome == .collected && honest.rechecked == 18, "\(honest)")  // 16 at random + first + last
        #expect(honest.detail.contains("18 earlier entries re-checked"))

        for index: Int64 in [0, 304] {
            try rewrite(log, entry: index)
            let result = try collector.collect(member, from: source)
            #expect(result.outcome == .flagged && result.findings.first?.entryIndex == UInt64(index), "\(result)")
            try rewrite(log, entry: index)  // back as it was: the next run passes again
            #expect(try collector.collect(member, from: source).outcome != .flagged)
        }
    }

    @Test("a rewrite of bytes and leaf hash, with the node restarted on it, is flagged too (its new head contradicts the held one)")
    func rewrittenAndRestarted() throws {
        let log = try makeLog(count: 10)
        let source = LogSource(log: log, identity: identity)
        let collector = AuditCollector(store: store)
        #expect(try collector.collect(member, from: source).outcome == .collected)
        try rewrite(log, entry: 7, leafHash: true)
        source.log = try AuditLog(path: log.path, state: identity.state)  // the node restarts: its tree is rebuilt from the rewritten row
        let sameSize = try collector.collect(member, from: source)
        #expect(sameSize.outcome == .flagged && sameSize.findings.first?.kind == .equivocation)  // another root for size 10
        try append(to: source.log, count: 2)
        let grown = try collector.collect(member, from: source)
        #expect(grown.outcome == .flagged && grown.findings.first?.kind.isEquivocation == true)
    }

    @Test("a node that refuses to prove an entry it committed to is flagged; one that does not answer is only unreachable")
    func refusalAndSilence() throws {
        let log = try makeLog(count: 5)
        let source = LogSource(log: log, identity: identity)
        let collector = AuditCollector(store: store)
        #expect(try collector.collect(member, from: source).outcome == .collected)
        let truncated = RefusingInclusion(inner: source, failure: .refused(state: identity.state, reason: "no such entry"))
        let refused = try collector.collect(member, from: truncated)
        #expect(refused.outcome == .flagged && refused.findings.first?.kind == .equivocation && refused.findings.first?.entryIndex == 0)
        let silent = RefusingInclusion(inner: source, failure: .unreachable(state: identity.state, endpoint: "tcp://127.0.0.1:2", milliseconds: 10))
        let unreachable = try collector.collect(member, from: silent)
        #expect(unreachable.outcome == .unreachable && unreachable.findings.isEmpty)
    }

    @Test("the sample: sorted, distinct, inside the log, first and last always, exactly count + 2 when the log is larger")
    func sampleProperties() {
        var generator = SeededGenerator(seed: 7)
        let sizes: [UInt64] = Array(0...40) + [100, 1_000, 65_537, 1 << 40, UInt64.max]
        for size in sizes {
            for count in [0, 1, 2, 16, 1_000] {
                let sample = AuditCollector.recheckSample(heldSize: size, count: count, using: &generator)
                #expect(sample == sample.sorted() && Set(sample).count == sample.count)
                #expect(sample.allSatisfy { $0 < size })
                #expect(UInt64(sample.count) == min(size, UInt64(count) + 2), "size \(size) count \(count)")
                if size > 0 { #expect(sample.first == 0 && sample.last == size - 1) }
            }
        }
    }
}

/// A source whose inclusion proofs fail with `failure` (a node that will not, or cannot, prove).
final class RefusingInclusion: AuditSource {
    let inner: LogSource
    let failure: AuditCollectionError

    init(inner: LogSource, failure: AuditCollectionError) {
        self.inner = inner
        self.failure = failure
    }

    func signedTreeHead() throws(AuditCollectionError) -> SignedTreeHead { try inner.signedTreeHead() }
    func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(AuditCollectionError) -> ConsistencyProof {
        try inner.consistencyProof(from: firstSize, to: secondSize)
    }
    func entryBytes(from first: UInt64, count: UInt64) throws(AuditCollectionError) -> [[UInt8]] { try inner.entryBytes(from: first, count: count) }
    func inclusionProof(index: UInt64, treeSize: UInt64) throws(AuditCollectionError) -> InclusionProof { throw failure }
}
