import Audit
import AuditCollection
import Exchange
import Testing

/// Which node's word counts for which side of a link (issue 22, bugs 8 and 9).
@Suite("Link reconciliation: whose claims count")
struct ReconcilerClaimTests {
    func log(_ node: String, coveredUntil: UInt64, _ events: [(UInt64, AuditEvent)]) throws -> NodeLogView {
        let entries = try events.enumerated().map { index, item in
            try AuditEntry(index: UInt64(index), time: Timestamp(millisecondsSinceEpoch: item.0), state: state(node), event: item.1)
        }
        return NodeLogView(state: try state(node), entries: entries, coveredUntil: Timestamp(millisecondsSinceEpoch: coveredUntil))
    }

    /// Catches issue 22 bug 8: `LinkReconciler` taking "envelope sent" from any node's log. DZ's log
    /// claims MA sent sequence 1 under another hash and a sequence 2 MA never logged; in either
    /// order of the logs, MA→DZ is what MA logged: one sent, received, acknowledged, no mismatch,
    /// nothing missing or pending, green.
    @Test("an 'envelope sent' for MA→DZ in DZ's log changes nothing about what MA sent")
    func sentClaimsOnlyFromOrigin() throws {
        let maDZ = try link("MA", "DZ")
        let bulletin = BulletinID.generate()
        let morocco = try log("MA", coveredUntil: 500_000, [
            (1_000, .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: bulletin)),
            (1_200, .receiptReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted)),
        ])
        let algeria = try log("DZ", coveredUntil: 500_000, [
            (900, .envelopeSent(link: maDZ, sequence: 1, hash: try hash(7), bulletin: bulletin)),
            (950, .envelopeSent(link: maDZ, sequence: 2, hash: try hash(8), bulletin: bulletin)),
            (1_100, .envelopeReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted)),
        ])
        for logs in [[morocco, algeria], [algeria, morocco]] {
            let report = try #require(LinkReconciler().reconcile(logs: logs, rosterLinks: [maDZ]).first)
            #expect(report.sent == 1 && report.received == 1 && report.acknowledged == 1, "\(report)")
            #expect(report.hashMismatches.isEmpty, "\(report.hashMismatches)")
            #expect(report.missingAtRecipient.isEmpty && report.pending.isEmpty && report.receivedNeverSent.isEmpty)
            #expect(report.health == .green)
        }
    }

    /// Catches issue 22 bug 9: `LinkReconciler` never reporting an accepted receipt whose hash is
    /// not the one of the envelope sent at that sequence. MA logged envelope 2 under one hash and
    /// an accepted receipt for sequence 2 under another: one mismatch, seen in the receipt, and the
    /// link is red although every envelope was received.
    @Test("an accepted receipt for MA→DZ sequence 2 under another hash is a mismatch seen in the receipt; the link is red")
    func receiptHashMismatch() throws {
        let maDZ = try link("MA", "DZ")
        let bulletin = BulletinID.generate()
        let morocco = try log("MA", coveredUntil: 500_000, [
            (1_000, .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: bulletin)),
            (1_001, .envelopeSent(link: maDZ, sequence: 2, hash: try hash(2), bulletin: bulletin)),
            (1_200, .receiptReceived(link: maDZ, sequence: 2, hash: try hash(9), status: .accepted)),
        ])
        let algeria = try log("DZ", coveredUntil: 500_000, [
            (1_100, .envelopeReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted)),
            (1_100, .envelopeReceived(link: maDZ, sequence: 2, hash: try hash(2), status: .accepted)),
        ])
        let report = try #require(LinkReconciler().reconcile(logs: [morocco, algeria], rosterLinks: [maDZ]).first)
        #expect(report.sent == 2 && report.received == 2)
        #expect(report.hashMismatches == [LinkReport.HashMismatch(sequence: 2, sent: "\(try hash(2))", other: "\(try hash(9))", seenIn: "receipt")])
        #expect(report.health == .red)
    }
}
