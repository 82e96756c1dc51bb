import Audit
import Exchange
import Foundation
import NodeSetup
import Store
import Testing
import Wire
import ZeroMQ

/// The node side of the audit log: what it records while it works, and who may read it.
@Suite("Audit log of a running node", .serialized)
struct AuditServiceTests {
    /// Sends `frames` to `node`'s service socket as the holder of `keys` and returns the reply.
    func ask(_ node: IdentityCard, as keys: NodeIdentity, _ frames: [[UInt8]]) throws -> [[UInt8]]? {
        let context = try Context()
        let dealer = try Socket(context, type: .dealer)
        try dealer.makeCurveClient(
            serverKey: CurvePublicKey(rawRepresentation: node.transportKey.rawRepresentation),
            keyPair: CurveKeyPair(x25519: keys.transportKey))
        try dealer.connect(node.endpoints.service)
        try dealer.send(frames)
        return try receiveMessage(from: dealer, within: 20)?.frames
    }

    @Test("a node records what it sent and received, signs tree heads, and shows its log to the secretariat only")
    func auditTrail() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ", "XS"] { try region.addNode(state) }
        region.roles["XS"] = "secretariat"
        try region.signRoster(links: [("MA", "DZ")])
        try region.start("MA")
        try region.start("DZ")
        let posted = try region.post(from: "MA", example: "drug-trafficking")
        #expect(waitUntil(seconds: 30) { region.outgoing("MA", to: "DZ")?.acknowledged == 1 })

        let ma = try NodeDirectory(path: #require(region.nodes["MA"]).path).loadCard()
        let secretariat = try NodeDirectory(path: #require(region.nodes["XS"]).path).loadIdentity()
        let algeria = try NodeDirectory(path: #require(region.nodes["DZ"]).path).loadIdentity()

        let headReply = try #require(try ask(ma, as: secretariat, AuditRequest.head.frames))
        guard case .head(let headBytes) = try AuditAnswer(frames: headReply) else {
            Issue.record("not a head: \(headReply)")
            return
        }
        let head = try SignedTreeHead(serializedBytes: headBytes)
        try head.verify(card: ma)
        #expect(head.head.treeSize >= 4)  // started, roster, posted, sent, (receipt received)

        let entriesReply = try #require(try ask(ma, as: secretariat, AuditRequest.entries(from: 0, count: head.head.treeSize).frames))
        guard case .entries(0, let entryBytes) = try AuditAnswer(frames: entriesReply) else {
            Issue.record("not the entries from 0: \(entriesReply)")
            return
        }
        let entries = try entryBytes.map { try AuditEntry(canonicalBytes: $0) }
        #expect(entries.count == Int(head.head.treeSize))
        var tree = MerkleTree()
        for entry in entries { tree.append(leafHash: entry.leafHash) }
        #expect(tree.root == head.head.rootHash)
        let kinds = entries.map(\.event.kind.description)
        #expect(kinds.starts(with: ["nodeStarted", "rosterInstalled"]))
        #expect(kinds.contains("bulletinPosted") && kinds.contains("envelopeSent"))
        #expect(!entries.contains { "\($0.event)".contains("Guerguerat") }, "content in the audit log")

        let refused = try #require(try ask(ma, as: algeria, AuditRequest.head.frames))
        #expect(try AuditAnswer(frames: refused) == .refused(reason: "only the secretariat may read the audit log"))

        // DZ's own log: received and acknowledged; verified end to end after a clean stop.
        region.stop("DZ")
        let log = try AuditLog(path: #require(region.nodes["DZ"]).appendingPathComponent("audit.sqlite").path, state: algeria.state)
        let dzKinds = try log.entries(in: 0..<log.size).map(\.event.kind.description)
        #expect(dzKinds.contains("envelopeReceived") && dzKinds.contains("receiptSent") && dzKinds.last == "nodeStopped")
        _ = try log.verify(signingKey: algeria.signingKey.publicKey)
        _ = posted
    }

}

@Suite("Audit log recovery", .serialized)
struct AuditRecoveryTests {
    @Test("envelopes and receipts in the store without audit entries are logged at the next start")
    func missingEntriesAreRecovered() throws {
        let region = try RegionHarness()
        let ma = try region.addNode("MA")
        try region.addNode("DZ")
        try region.signRoster(links: [("MA", "DZ")])
        try region.start("MA")
        try region.start("DZ")
        let ids = try region.postMany(from: "MA", count: 3, to: ["DZ"])
        #expect(waitUntil(seconds: 60) { region.outgoing("MA", to: "DZ")?.acknowledged == 3 })
        region.stop("MA")
        region.stop("DZ")
        // As if the node had stopped between the store's commit and the audit log's: a new,
        // empty audit log beside a store that holds three sent envelopes and DZ's receipts.
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(at: ma.appendingPathComponent("audit.sqlite" + suffix))
        }
        try region.start("MA")
        region.stop("MA")
        let identity = try NodeDirectory(path: ma.path).loadIdentity()
        let log = try AuditLog(path: ma.appendingPathComponent("audit.sqlite").path, state: identity.state)
        let events = try log.entries(in: 0..<log.size).map(\.event)
        let sent = events.compactMap { event -> UInt64? in
            if case .envelopeSent(_, let sequence, _, _) = event { return sequence }
            return nil
        }
        #expect(sent == [1, 2, 3])
        let receipts = events.compactMap { event -> UInt64? in
            if case .receiptReceived(_, let sequence, _, .accepted) = event { return sequence }
            return nil
        }
        let stored = try BulletinStore(path: ma.appendingPathComponent("store.sqlite").path).receipts(from: StateCode("DZ"), after: 0, limit: 100)
        #expect(!stored.isEmpty)
        #expect(receipts == stored.map(\.sequence))
        #expect(receipts.last == 3)
        #expect(ids.count == 3)
        #expect(region.log("MA").contains("audit entries recovered from the store"))
    }
}
