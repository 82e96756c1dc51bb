import Audit
import AuditCollection
import Exchange
import Foundation
import GRDB
import Testing

/// Every collected entry must name the node whose log it is (issue 22, bug 7: the collector not
/// checking that entries name the node's state).
@Suite("Collector: entries of another state")
struct CollectorEntryStateTests {
    /// Catches issue 22 bug 7: `AuditCollector` checking an entry's index but not its state. MA's
    /// log has one entry re-encoded as DZ's (bytes and leaf hash rewritten in the file, the tree
    /// reloaded from it), and MA validly signs a head over exactly those entries: the root checks
    /// out, so only the state check can refuse it. The result is a `badEntries` finding naming the
    /// entry, and nothing of that collection is stored.
    @Test("a head MA validly signs over an entry written as DZ's gives a bad-entries finding and stores nothing")
    func foreignEntryUnderValidHead() throws {
        let folder = try TemporaryFolder()
        let identity = try NodeIdentity(
            state: state("MA"), nodeName: "ma-1", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        let member = RosterMember(card: identity.card, role: .member)
        let store = try CollectionStore(path: folder.path("collected.sqlite"))
        let path = folder.path("ma-audit.sqlite")
        let time = Timestamp(millisecondsSinceEpoch: 1_740_830_400_000)
        do {
            let log = try AuditLog(path: path, state: identity.state)
            try log.append((0..<6).map { AuditEvent.rosterInstalled(version: UInt64($0)) }, at: time)
        }
        // Entry 3, the same event at the same index, but naming DZ.
        let foreign = try AuditEntry(index: 3, time: time, state: state("DZ"), event: .rosterInstalled(version: 3))
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: "UPDATE entry SET bytes = ?, leaf_hash = ? WHERE leaf_index = 3",
                arguments: [Data(foreign.canonicalBytes), Data(foreign.leafHash.bytes)])
        }
        try queue.close()
        let log = try AuditLog(path: path, state: identity.state)
        let source = LogSource(log: log, identity: identity)
        // The head is genuine: MA's key, over the entries as they are (the root includes the DZ entry).
        let head = try source.signedTreeHead()
        try head.verify(card: identity.card)
        #expect(head.head.rootHash == MerkleTree(leafHashes: try log.entries(in: 0..<6).map(\.leafHash)).root)

        let result = try AuditCollector(store: store).collect(member, from: source)
        #expect(result.outcome == .flagged)
        let finding = try #require(result.findings.first)
        #expect(finding.kind == .badEntries)
        #expect(finding.detail == "entry 3 says it is entry 3 of DZ", "\(finding.detail)")
        #expect(try store.lastAcceptedHead(of: identity.state) == nil)
        #expect(try store.entries(of: identity.state).isEmpty)
        #expect(try store.entries(of: state("DZ")).isEmpty)
    }
}
