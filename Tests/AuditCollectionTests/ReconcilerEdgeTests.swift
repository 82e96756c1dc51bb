import Audit
import AuditCollection
import Exchange
import Testing

/// Reconciliation cases found missing by `make mutate` (Tests/Mutations/).
@Suite("Link reconciliation: receipt order and the lateness limit")
struct ReconcilerEdgeTests {
    func log(_ node: String, _ events: [(UInt64, AuditEvent)]) throws -> NodeLogView {
        let entries = try events.enumerated().map { index, item in
            try AuditEntry(index: UInt64(index), time: Timestamp(millisecondsSinceEpoch: item.0), state: state(node), event: item.1)
        }
        return NodeLogView(state: try state(node), entries: entries, coveredUntil: Timestamp(millisecondsSinceEpoch: 500_000))
    }

    /// Catches mutation `reconciler-acknowledged-last-receipt`: the acknowledged position taken from
    /// the receipt logged last instead of the highest. A receipt for 3 followed by a late one for 2
    /// (a receipt sent again) still acknowledges 1…3.
    @Test("a receipt for 2 logged after the one for 3 leaves 3 acknowledged")
    func receiptsOutOfOrder() throws {
        let maDZ = try link("MA", "DZ")
        let bulletin = BulletinID.generate()
        let morocco = try log("MA", [
            (1_000, .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: bulletin)),
            (1_001, .envelopeSent(link: maDZ, sequence: 2, hash: try hash(2), bulletin: bulletin)),
            (1_002, .envelopeSent(link: maDZ, sequence: 3, hash: try hash(3), bulletin: bulletin)),
            (1_200, .receiptReceived(link: maDZ, sequence: 3, hash: try hash(3), status: .accepted)),
            (1_300, .receiptReceived(link: maDZ, sequence: 2, hash: try hash(2), status: .accepted)),
        ])
        let algeria = try log("DZ", (1...3).map { (1_100, .envelopeReceived(link: maDZ, sequence: $0, hash: try! hash(UInt8($0)), status: .accepted)) })
        let report = try #require(LinkReconciler().reconcile(logs: [morocco, algeria], rosterLinks: [maDZ]).first)
        #expect(report.acknowledged == 3)
        #expect(report.health == .green)
    }

    /// Catches mutation `reconciler-late-boundary`: an envelope received exactly at the lateness
    /// limit counted as late. The limit is inclusive: 60 000 ms is on time, 60 001 ms is late.
    @Test("received exactly at the lateness limit is on time; one millisecond more is late")
    func latenessLimit() throws {
        let maDZ = try link("MA", "DZ")
        let bulletin = BulletinID.generate()
        let morocco = try log("MA", [
            (1_000, .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: bulletin)),
            (2_000, .envelopeSent(link: maDZ, sequence: 2, hash: try hash(2), bulletin: bulletin)),
            (70_000, .receiptReceived(link: maDZ, sequence: 2, hash: try hash(2), status: .accepted)),
        ])
        let algeria = try log("DZ", [
            (61_000, .envelopeReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted)),
            (62_001, .envelopeReceived(link: maDZ, sequence: 2, hash: try hash(2), status: .accepted)),
        ])
        let report = try #require(LinkReconciler(lateAfterMilliseconds: 60_000).reconcile(logs: [morocco, algeria], rosterLinks: [maDZ]).first)
        #expect(report.late == [2])
        #expect(report.maximumDelayMilliseconds == 60_001)
    }
}
