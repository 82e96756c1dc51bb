import Audit
import AuditCollection
import Exchange
import Testing

/// Reconciliation per link on synthetic logs: sent, received, acknowledged (cumulative), rejected
/// by reason (counted once when both sides log it), missing, pending, late, never sent, mismatches.
@Suite("Link reconciliation")
struct ReconciliationTests {
    /// Entries of `node`, numbered in order.
    func log(_ node: String, coveredUntil: UInt64?, _ events: [(UInt64, AuditEvent)]) throws -> NodeLogView {
        let entries = try events.enumerated().map { index, item in
            try AuditEntry(index: UInt64(index), time: Timestamp(millisecondsSinceEpoch: item.0), state: state(node), event: item.1)
        }
        return NodeLogView(state: try state(node), entries: entries, coveredUntil: coveredUntil.map { Timestamp(millisecondsSinceEpoch: $0) })
    }

    @Test("sent, received, acknowledged, rejected, missing, late, pending, never sent and mismatched envelopes per link")
    func reconcile() throws {
        let bulletin = BulletinID.generate()
        let maDZ = try link("MA", "DZ")
        let dzMA = try link("DZ", "MA")
        let tnDZ = try link("TN", "DZ")
        let maTN = try link("MA", "TN")
        let morocco = try log("MA", coveredUntil: 200_000, [
            (1_000, .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: bulletin)),
            (2_000, .envelopeSent(link: maDZ, sequence: 2, hash: try hash(2), bulletin: bulletin)),
            (3_000, .envelopeSent(link: maDZ, sequence: 3, hash: try hash(3), bulletin: bulletin)),
            (4_000, .envelopeSent(link: maDZ, sequence: 4, hash: try hash(4), bulletin: bulletin)),
            (5_000, .envelopeSent(link: maDZ, sequence: 5, hash: try hash(8), bulletin: bulletin)),
            (95_000, .receiptReceived(link: maDZ, sequence: 3, hash: try hash(3), status: .accepted)),
            (96_000, .receiptReceived(link: maDZ, sequence: 5, hash: try hash(8), status: .rejected(.invalidBulletin))),
            (1_500, .envelopeReceived(link: dzMA, sequence: 1, hash: try hash(6), status: .accepted)),
            (1_600, .envelopeReceived(link: dzMA, sequence: 2, hash: try hash(7), status: .accepted)),
        ])
        let algeria = try log("DZ", coveredUntil: 200_000, [
            (500, .envelopeReceived(link: maDZ, sequence: 1, hash: try hash(0xEE), status: .rejected(.badSignature))),
            (1_100, .envelopeReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted)),
            (2_100, .envelopeReceived(link: maDZ, sequence: 2, hash: try hash(2), status: .accepted)),
            (93_000, .replayRequested(link: maDZ, sequences: 3...3)),
            (93_000, .envelopeReceived(link: maDZ, sequence: 3, hash: try hash(3), status: .accepted)),
            (93_500, .envelopeReceived(link: maDZ, sequence: 5, hash: try hash(8), status: .rejected(.invalidBulletin))),
            (1_000, .envelopeSent(link: dzMA, sequence: 1, hash: try hash(5), bulletin: bulletin)),
        ])
        let tunisia = try log("TN", coveredUntil: 199_000, [
            (190_000, .envelopeSent(link: tnDZ, sequence: 1, hash: try hash(9), bulletin: bulletin))
        ])

        let reports = LinkReconciler(lateAfterMilliseconds: 60_000).reconcile(
            logs: [morocco, algeria, tunisia], rosterLinks: [maDZ, dzMA, tnDZ, maTN])
        let byName = Dictionary(uniqueKeysWithValues: reports.map { ($0.name, $0) })

        let ma = try #require(byName["MA→DZ"])
        #expect(ma.sent == 5 && ma.received == 3 && ma.acknowledged == 3)
        #expect(ma.rejectedByReason == ["badSignature": 1, "invalidBulletin": 1])  // the 500 logged on both sides counts once
        #expect(ma.missingAtRecipient == [4])
        #expect(ma.late == [3] && ma.maximumDelayMilliseconds == 90_000 && ma.replayRequested == 1)
        #expect(ma.pending.isEmpty && ma.hashMismatches.isEmpty && ma.receivedNeverSent.isEmpty)
        #expect(ma.health == .red)

        let dz = try #require(byName["DZ→MA"])
        #expect(dz.sent == 1 && dz.received == 2)
        #expect(dz.hashMismatches == [LinkReport.HashMismatch(sequence: 1, sent: "\(try hash(5))", other: "\(try hash(6))", seenIn: "received")])
        #expect(dz.receivedNeverSent == [2])
        #expect(dz.health == .red)

        let tn = try #require(byName["TN→DZ"])
        #expect(tn.sent == 1 && tn.received == 0 && tn.pending == [1] && tn.missingAtRecipient.isEmpty)
        #expect(tn.health == .amber)

        #expect(try #require(byName["MA→TN"]).health == .idle)
        #expect(reports.map(\.name) == ["DZ→MA", "MA→DZ", "MA→TN", "TN→DZ"])
    }

    @Test("a link where everything was received and acknowledged by one cumulative receipt is green; a late one is amber")
    func greenAndLate() throws {
        let bulletin = BulletinID.generate()
        let maDZ = try link("MA", "DZ")
        let morocco = try log("MA", coveredUntil: 10_000, [
            (1_000, .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: bulletin)),
            (1_001, .envelopeSent(link: maDZ, sequence: 2, hash: try hash(2), bulletin: bulletin)),
            (1_200, .receiptReceived(link: maDZ, sequence: 2, hash: try hash(2), status: .accepted)),
        ])
        let algeria = try log("DZ", coveredUntil: 10_000, [
            (1_100, .envelopeReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted)),
            (1_100, .envelopeReceived(link: maDZ, sequence: 2, hash: try hash(2), status: .accepted)),
        ])
        let green = try #require(LinkReconciler(lateAfterMilliseconds: 60_000).reconcile(logs: [morocco, algeria], rosterLinks: [maDZ]).first)
        #expect(green.health == .green && green.acknowledged == 2 && green.rejections.isEmpty)
        let late = try #require(LinkReconciler(lateAfterMilliseconds: 50).reconcile(logs: [morocco, algeria], rosterLinks: [maDZ]).first)
        #expect(late.health == .amber && late.late == [1, 2])
    }

    @Test("a recipient whose log was never collected leaves what was sent pending, not missing")
    func uncollectedRecipient() throws {
        let maDZ = try link("MA", "DZ")
        let morocco = try log("MA", coveredUntil: 500_000, [
            (1_000, .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: BulletinID.generate()))
        ])
        let report = try #require(LinkReconciler().reconcile(logs: [morocco], rosterLinks: [maDZ]).first)
        #expect(report.pending == [1] && report.missingAtRecipient.isEmpty && report.health == .amber)
    }
}
