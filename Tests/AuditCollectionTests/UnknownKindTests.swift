import Audit
@testable import AuditCollection
import Exchange
import Foundation
import Testing

/// A node upgraded before the secretariat writes entries of kinds the collector does not know.
/// They are collected (verified against the node's signed head, bound by their leaf hashes), not
/// read, and reported as a warning, rather than flagging an honest node (docs/AUDIT.md §11).
@Suite("Collector: entries of kinds added after it was built")
struct UnknownKindTests {
    /// Serves a list of canonical entry bytes as a node would, signing heads with `identity`.
    final class BytesSource: AuditSource {
        var entries: [[UInt8]]
        let identity: NodeIdentity
        init(entries: [[UInt8]], identity: NodeIdentity) {
            self.entries = entries
            self.identity = identity
        }
        var tree: MerkleTree { MerkleTree(leafHashes: entries.map(MerkleHasher.leafHash)) }
        func signedTreeHead() throws(AuditCollectionError) -> SignedTreeHead {
            do {
                return try TreeHead(
                    state: identity.state, signingKey: identity.signingKey.publicKey, treeSize: tree.size, timestamp: .now, rootHash: tree.root
                ).signed(by: identity)
            } catch {
                throw .refused(state: identity.state, reason: "\(error)")
            }
        }
        func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(AuditCollectionError) -> ConsistencyProof {
            do { return try tree.consistencyProof(from: firstSize, to: secondSize) } catch { throw .refused(state: identity.state, reason: "\(error)") }
        }
        func entryBytes(from first: UInt64, count: UInt64) throws(AuditCollectionError) -> [[UInt8]] {
            Array(entries.dropFirst(Int(first)).prefix(Int(min(count, 1_000))))
        }
        func inclusionProof(index: UInt64, treeSize: UInt64) throws(AuditCollectionError) -> InclusionProof {
            do { return try tree.inclusionProof(leafIndex: index, treeSize: treeSize) } catch { throw .refused(state: identity.state, reason: "\(error)") }
        }
    }

    @Test("an entry of an unknown kind code with a well-formed common part is collected, kept as bytes and reported; a malformed one is still badEntries")
    func unknownKind() throws {
        let folder = try TemporaryFolder()
        let identity = try NodeIdentity(
            state: state("MA"), nodeName: "ma-1", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        let member = RosterMember(card: identity.card, role: .member)
        let store = try CollectionStore(path: folder.path("collected.sqlite"))
        let time = Timestamp(millisecondsSinceEpoch: 1_740_830_400_000)
        func known(_ index: UInt64) throws -> [UInt8] {
            try AuditEntry(index: index, time: time, state: identity.state, event: .rosterInstalled(version: index)).canonicalBytes
        }
        // Entry 1: kind 200, which no BorderNet knows yet, with 5 bytes of fields.
        var future = Array(try known(1).prefix(23))
        future += [200, 1, 2, 3, 4, 5]
        let source = BytesSource(entries: [try known(0), future, try known(2)], identity: identity)

        let result = try AuditCollector(store: store).collect(member, from: source)
        #expect(result.outcome == .collected, "\(result)")
        let held = try store.entriesAndUnknownKinds(of: identity.state)
        #expect(held.entries.map(\.index) == [0, 2])
        #expect(held.unknownKinds.map(\.index) == [1] && held.unknownKinds.first?.kindCode == 200)
        // The next collection re-checks entries by leaf hash and proof, the unknown one included.
        source.entries.append(try known(3))
        #expect(try AuditCollector(store: store, recheckCount: 1000).collect(member, from: source).outcome == .collected)

        // The report names them; nothing else about the node is flagged.
        let report = AuditReport.assemble(
            rosterVersion: 1, rosterLinks: [], logs: [NodeLogView(state: identity.state, entries: held.entries, coveredUntil: time)], nodes: [],
            nodeFindings: [], lateAfterMilliseconds: 60_000, now: time)
        #expect(report.findings.isEmpty)
        let warning = try #require(AuditReport.unknownKindFinding(state: identity.state, held.unknownKinds))
        #expect(warning.kind == .unknownKind && warning.severity == .warning && warning.entryIndex == 1)
        #expect(warning.text.hasPrefix("1 entries of kinds this BorderNet does not know (codes 200)"), "\(warning.text)")
        #expect(AuditReport.unknownKindFinding(state: identity.state, []) == nil)

        // A wrong state or index in the common part is refused whatever the kind.
        var foreign = future
        foreign.replaceSubrange(21..<23, with: Array("DZ".utf8))
        let other = BytesSource(entries: [try known(0), foreign], identity: identity)
        let otherStore = try CollectionStore(path: folder.path("other.sqlite"))
        let flagged = try AuditCollector(store: otherStore).collect(member, from: other)
        #expect(flagged.outcome == .flagged && flagged.findings.first?.kind == .badEntries, "\(flagged)")
        // A known kind with broken fields is refused as before.
        var broken = try known(1)
        broken.removeLast()
        let brokenSource = BytesSource(entries: [try known(0), broken], identity: identity)
        let brokenResult = try AuditCollector(store: try CollectionStore(path: folder.path("broken.sqlite"))).collect(member, from: brokenSource)
        #expect(brokenResult.outcome == .flagged && brokenResult.findings.first?.kind == .badEntries)
    }

    @Test("an unknown code at or below the highest known one, or an unknown-kind entry over the size bound, is badEntries")
    func unknownKindBounds() throws {
        let folder = try TemporaryFolder()
        let identity = try NodeIdentity(
            state: state("MA"), nodeName: "ma-1", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        let member = RosterMember(card: identity.card, role: .member)
        let time = Timestamp(millisecondsSinceEpoch: 1_740_830_400_000)
        let first = try AuditEntry(index: 0, time: time, state: identity.state, event: .rosterInstalled(version: 1)).canonicalBytes
        let common = Array(try AuditEntry(index: 1, time: time, state: identity.state, event: .nodeStopped).canonicalBytes.prefix(23))
        #expect(AuditEntryHeader.highestKnownKindCode == 60)
        // The largest known entry fits the bound for unknown kinds.
        let everyState = try (0..<26).flatMap { a in
            try (0..<26).map { b in try StateCode(String(decoding: [UInt8(65 + a), UInt8(65 + b)], as: UTF8.self)) }
        }
        let largest = try AuditEntry(
            index: 1, time: time, state: identity.state,
            event: .bulletinPosted(
                bulletin: BulletinID(bytes: [UInt8](repeating: 7, count: 16)), incidentType: String(repeating: "a", count: 64), tlp: .red,
                recipients: Set(everyState))
        ).canonicalBytes
        #expect(largest.count == 1_461 && largest.count <= AuditEntryHeader.maximumUnknownKindBytes)

        func outcome(_ second: [UInt8], _ name: String) throws -> NodeCollectionResult {
            let store = try CollectionStore(path: folder.path("\(name).sqlite"))
            return try AuditCollector(store: store).collect(member, from: BytesSource(entries: [first, second], identity: identity))
        }
        // Code 4 is no kind and below 60: corrupted, not "future".
        let corrupted = try outcome(common + [4, 1, 2, 3], "corrupted")
        #expect(corrupted.outcome == .flagged && corrupted.findings.first?.kind == .badEntries, "\(corrupted)")
        #expect(corrupted.findings.first?.detail.contains("not above the highest") == true, "\(corrupted)")
        // The largest agencyAccess (100 bulletins) fits it too: an earlier secretariat keeps it unread.
        let references = try (0..<AgencyAccess.maximumBulletins).map { n in
            BulletinReference(origin: identity.state, id: try BulletinID(bytes: [UInt8](repeating: 0, count: 15) + [UInt8(n)]))
        }
        let largestAgency = try AuditEntry(
            index: 1, time: time, state: identity.state, event: .agencyAccess(AgencyAccess(agency: ConsoleAccess.maximumAccount, delivered: references))
        ).canonicalBytes
        #expect(largestAgency.count == 1_834 && largestAgency.count <= AuditEntryHeader.maximumUnknownKindBytes)
        // Code 61, just above: kept when small, refused when over the bound.
        let atBound = common + [61] + [UInt8](repeating: 0, count: AuditEntryHeader.maximumUnknownKindBytes - 24)
        #expect(try outcome(atBound, "at-bound").outcome == .collected)
        let over = try outcome(atBound + [0], "over")
        #expect(over.outcome == .flagged && over.findings.first?.kind == .badEntries, "\(over)")
        #expect(over.findings.first?.detail.contains("2049 bytes") == true, "\(over)")
    }
}
