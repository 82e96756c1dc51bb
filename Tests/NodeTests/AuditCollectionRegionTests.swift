import Audit
import AuditCollection
import Exchange
import Foundation
import GRDB
import NodeSetup
import Sodium
import Testing
import Wire
import ZeroMQ

/// The secretariat's side with real processes: a region of MA, DZ and TN (and the secretariat XS
/// in the roster) exchanges bulletins; one envelope is forged in MA's name, TN is down for a while;
/// `audit collect` fetches every log, `audit report` names the forgery and the late link with the
/// totals the test sent; `audit prove` output verifies; `audit verify` names a changed entry.
@Suite("Audit collection in a region", .serialized)
struct AuditCollectionRegionTests {
    @Test("collect, report, prove and verify over a 3-node region with a forgery and a node down for a while")
    func region() throws {
        let region = try RegionHarness()
        let maData = try region.addNode("MA")
        try region.addNode("DZ")
        let tnData = try region.addNode("TN")
        try region.signRoster(links: [("MA", "DZ"), ("DZ", "MA"), ("DZ", "TN"), ("TN", "DZ")])
        try region.start("DZ")
        try region.start("TN")

        // 1. A forgery in MA's name (signed by another key), sent from MA's endpoint before MA's node runs.
        let morocco = try NodeDirectory(path: maData.path).loadIdentity()
        let algeria = try NodeDirectory(path: #require(region.nodes["DZ"]).path).loadCard()
        let impostor = try NodeIdentity(
            state: StateCode("MA"), nodeName: "impostor", endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        do {
            let context = try Context()
            let publisher = try Socket(context, type: .extendedPublisher)
            try publisher.makeCurveServer(secretKey: morocco.transportKey.rawRepresentation)
            try publisher.bind(morocco.card.endpoints.publish)
            _ = try #require(try receiveMessage(from: publisher, within: 30), "DZ never subscribed to MA")
            try publisher.send(Publication.envelope(try ForgedEnvelopeTests.seal(from: impostor, to: algeria).bytes).frames(to: StateCode("DZ")))
            #expect(waitUntil(seconds: 30) { (try? region.status("DZ").rejections["MA"]?["badSignature"]) == 1 })
            publisher.close()
        }
        try region.start("MA")

        // 2. Traffic: MA→DZ 2, DZ→MA and DZ→TN 3 each (2 while TN is down), TN→DZ 1.
        _ = try region.postMany(from: "MA", count: 2)
        _ = try region.postMany(from: "DZ", count: 1)
        #expect(waitUntil(seconds: 30) { region.outgoing("DZ", to: "TN")?.acknowledged == 1 })
        region.stop("TN")
        _ = try region.postMany(from: "DZ", count: 2)
        Thread.sleep(forTimeInterval: 5)  // TN stays down: its two envelopes arrive ≥ 5 s late
        try region.start("TN")
        _ = try region.postMany(from: "TN", count: 1)
        let expected = [("MA", "DZ", 2), ("DZ", "MA", 3), ("DZ", "TN", 3), ("TN", "DZ", 1)]
        for (origin, recipient, count) in expected {
            #expect(
                waitUntil(seconds: 60) { region.outgoing(origin, to: recipient)?.acknowledged == UInt64(count) },
                "\(origin)→\(recipient) not acknowledged: \(String(describing: region.outgoing(origin, to: recipient)))")
        }

        // 3. Collect twice (the second run checks consistency proofs over the wire), with one more MA post between.
        let sec = region.secretariat.path
        let first = try JSONDecoder().decode(
            CollectionRun.Summary.self, from: Data(RegionHarness.bordernet(["audit", "collect", "--data", sec, "--json"]).utf8))
        #expect(first.nodes.map(\.state.description) == ["DZ", "MA", "TN"])
        #expect(first.nodes.allSatisfy { $0.outcome == .collected }, "\(first.nodes)")
        _ = try region.postMany(from: "MA", count: 1)
        #expect(waitUntil(seconds: 30) { region.outgoing("MA", to: "DZ")?.acknowledged == 3 })
        let second = try JSONDecoder().decode(
            CollectionRun.Summary.self, from: Data(RegionHarness.bordernet(["audit", "collect", "--data", sec, "--json"]).utf8))
        #expect(second.nodes.allSatisfy { $0.outcome == .collected || $0.outcome == .upToDate }, "\(second.nodes)")
        #expect(!second.hasFindings)

        // 4. The report: totals per link, the forgery with its reason, the late link.
        let report = try JSONDecoder().decode(
            AuditReport.self,
            from: Data(RegionHarness.bordernet(["audit", "report", "--data", sec, "--json", "--late-after-ms", "3000"]).utf8))
        let links = Dictionary(uniqueKeysWithValues: report.links.map { ($0.name, $0) })
        for (origin, recipient, count) in [("MA", "DZ", 3), ("DZ", "MA", 3), ("DZ", "TN", 3), ("TN", "DZ", 1)] {
            let link = try #require(links["\(origin)→\(recipient)"])
            #expect(link.sent == count && link.received == count && link.acknowledged == count, "\(link)")
            #expect(link.missingAtRecipient.isEmpty && link.receivedNeverSent.isEmpty && link.hashMismatches.isEmpty, "\(link)")
        }
        let forged = try #require(links["MA→DZ"])
        #expect(forged.rejectedByReason == ["badSignature": 1])
        // Filed under the link from the authenticated sender, without the forged header's sequence
        // (an unverified claim is not written to the audit log: docs/AUDIT.md §1).
        #expect(forged.rejections.first?.loggedBy == "DZ" && forged.rejections.first?.sequence == 0)
        #expect(forged.health == .red)
        #expect(report.findings.contains { $0.severity == .critical && $0.subject == "MA→DZ" && $0.text.contains("203 badSignature") })
        let late = try #require(links["DZ→TN"])
        #expect(late.late.count == 2 && late.maximumDelayMilliseconds >= 4_000, "\(late)")
        #expect(late.health == .amber)
        #expect(report.findings.contains { $0.subject == "DZ→TN" && $0.text.hasPrefix("late") })
        #expect(report.nodes.map(\.state.description) == ["DZ", "MA", "TN"])
        #expect(report.nodes.allSatisfy { !$0.equivocation && ($0.lastHead?.treeSize ?? 0) > 0 })
        let text = try RegionHarness.bordernet(["audit", "report", "--data", sec, "--late-after-ms", "3000"])
        #expect(text.contains("MA→DZ") && text.contains("badSignature"))
        let html = region.root.appendingPathComponent("report.html")
        try RegionHarness.bordernet(["audit", "report", "--data", sec, "--html", html.path, "--late-after-ms", "3000"])
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("<td class=\"red\"") && page.contains("<td class=\"amber\"") && page.contains("badSignature"))
        #expect(!page.contains("<script"))

        // 5. A proof a third party can check: entry bytes → leaf hash → root of a head signed by MA's roster key.
        let proofJSON = try RegionHarness.bordernet(["audit", "prove", "--data", maData.path, "--entry", "2", "--json"])
        let evidence = try #require(try JSONSerialization.jsonObject(with: Data(proofJSON.utf8)) as? [String: Any])
        let entryBytes = try Hex.decode(try #require(evidence["entryBytes"] as? String))
        let leaf = try MerkleHash(bytes: SHA256.hash([0x00] + entryBytes))
        #expect(leaf.description == evidence["leafHash"] as? String)
        #expect(try AuditEntry(canonicalBytes: entryBytes).index == 2)
        let proof = try JSONDecoder().decode(
            InclusionProof.self, from: JSONSerialization.data(withJSONObject: try #require(evidence["proof"])))
        let head = try SignedTreeHead(serializedBytes: Hex.decode(try #require(evidence["signedTreeHeadBytes"] as? String)))
        try head.verify(card: morocco.card)
        #expect(proof.treeSize == head.head.treeSize && proof.leafIndex == 2)
        try proof.verify(leafHash: leaf, root: head.head.rootHash)

        // 6. MA's log truncated and regrown (node stopped, rows deleted, restarted): flagged, exit 2, heads kept.
        region.stop("MA")
        let maLog = try DatabaseQueue(path: maData.appendingPathComponent("audit.sqlite").path)
        try maLog.write { db in try db.execute(sql: "DELETE FROM entry WHERE leaf_index >= 4; DELETE FROM tree_head") }
        try maLog.close()
        try region.start("MA")
        _ = try region.postMany(from: "MA", count: 1)
        do {
            try RegionHarness.bordernet(["audit", "collect", "--data", sec, "--timeout-ms", "10000"])
            Issue.record("collect did not flag MA's rewritten log")
        } catch let failure as RegionHarness.CommandFailure {
            #expect(failure.status == 2)
            #expect(failure.output.contains("MA  flagged") && failure.errors.contains("MA FLAGGED"), "\(failure)")
        }
        let flagged = try JSONDecoder().decode(
            AuditReport.self, from: Data(RegionHarness.bordernet(["audit", "report", "--data", sec, "--json"]).utf8))
        #expect(flagged.nodes.first { $0.state.description == "MA" }?.equivocation == true)
        #expect(flagged.nodes.filter(\.equivocation).count == 1)
        #expect(flagged.findings.first?.subject == "MA" && flagged.findings.first?.text.contains("evidence heads") == true)

        // 7. TN stopped: its log verifies; a changed row is named.
        region.stop("TN")
        let intact = try RegionHarness.bordernet(["audit", "verify", "--data", tnData.path])
        #expect(intact.contains("intact"))
        let database = try DatabaseQueue(path: tnData.appendingPathComponent("audit.sqlite").path)
        try database.write { db in
            var bytes = try #require(try Data.fetchOne(db, sql: "SELECT bytes FROM entry WHERE leaf_index = 3"))
            bytes[20] ^= 0x01  // a bit of the entry's time: still decodes, no longer its leaf hash
            try db.execute(sql: "UPDATE entry SET bytes = ? WHERE leaf_index = 3", arguments: [bytes])
        }
        try database.close()
        let failure = try RegionHarness.bordernet(["audit", "verify", "--data", tnData.path], expectFailure: true)
        #expect(failure.contains("audit entry 3 was changed"), "\(failure)")
    }
}
