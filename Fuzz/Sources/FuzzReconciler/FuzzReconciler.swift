import Audit
import AuditCollection
import Exchange
import Foundation
import FuzzSupport

// The reconciler's input (AuditCollection/Reconciliation, docs/AUDIT.md §12.4): every value of a
// collected entry comes from a node and can be anything its encoding holds (issue 13 defect 1:
// a replay of 1…2^64−1 once made every `audit report` trap). `LinkReconciler.reconcile` over logs
// built from the fuzzer's bytes, then the whole report as `audit report` makes it
// (`AuditReport.assemble`: reconciliation, plausibility findings) in text, HTML and JSON.
//
// Input: an option byte (bit 0: a u64 lateness limit follows, else 60 s; bit 1: a u64 "now"
// follows, else the vectors' time), then up to 8 logs:
//   state (index into the vector states and LY, a state outside the roster), bit 0 of a byte: a
//   u64 "covered until" follows, an entry count (≤ 64), then each entry: a byte < 0x80 introduces
//   canonical entry bytes (`u16` length, `AuditEntry(canonicalBytes:)`; entries that do not decode
//   or name another state are dropped, as the collector drops them); a byte ≥ 0x80 introduces an
//   entry built from raw values (kind, link, sequence or range, hash, time, reason), which reach
//   the extremes that canonical seeds take long to find.
// Seeds: MA's vector log, and handwritten regions (a link both ways, gaps, duplicates, rejections,
// extreme sequences and times).

private let vectors = FuzzVectors.shared
private let states: [StateCode] = vectors.roster.members.map(\.card.state) + [try! StateCode("LY")]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReconciler(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let options = input.byte()
    let lateAfter = options & 1 != 0 ? input.uint64() : 60_000
    let now = options & 2 != 0 ? Timestamp(millisecondsSinceEpoch: input.uint64()) : vectors.now
    var logs: [NodeLogView] = []
    while !input.isAtEnd, logs.count < 8 {
        let state = states[Int(input.byte()) % states.count]
        let covered = input.bool() ? Timestamp(millisecondsSinceEpoch: input.uint64()) : nil
        let count = Int(input.byte() % 65)
        var entries: [AuditEntry] = []
        for index in 0..<count where !input.isAtEnd {
            let kind = input.byte()
            let entry: AuditEntry?
            if kind < 0x80 {
                entry = try? AuditEntry(canonicalBytes: input.chunk())
            } else {
                entry = built(&input, kind: kind, index: UInt64(index), state: state)
            }
            if let entry, entry.state == state { entries.append(entry) }
        }
        logs.append(NodeLogView(state: state, entries: entries, coveredUntil: covered))
    }

    let reports = LinkReconciler(lateAfterMilliseconds: lateAfter).reconcile(
        logs: logs, rosterLinks: vectors.roster.links)
    for report in reports {
        fuzzRequire(report.acknowledged <= report.sent, "more acknowledged than sent in \(report)")
    }
    _ = try? JSONEncoder().encode(reports)

    let report = AuditReport.assemble(
        rosterVersion: vectors.roster.version, rosterLinks: vectors.roster.links, logs: logs, nodes: [],
        nodeFindings: [],
        lateAfterMilliseconds: lateAfter, now: now)
    _ = report.text
    _ = report.html
    _ = try? JSONEncoder().encode(report)
    return 0
}

/// An entry of `state` from raw values; `nil` when they break the event rules (`validate()`).
private func built(_ input: inout FuzzInput, kind: UInt8, index: UInt64, state: StateCode) -> AuditEntry? {
    let link = Link(
        origin: states[Int(input.byte()) % states.count], recipient: states[Int(input.byte()) % states.count])
    let sequence = input.uint64()
    let hash = (try? EnvelopeHash(bytes: [UInt8](repeating: input.byte(), count: EnvelopeHash.byteCount))) ?? .zero
    let time = Timestamp(millisecondsSinceEpoch: input.uint64())
    let reason = RejectionReason(rawValue: input.uint16()) ?? .malformed
    let status: ReceiptStatus = kind & 1 == 0 ? .accepted : .rejected(reason)
    let event: AuditEvent
    switch (kind >> 1) % 6 {
    case 0:
        let bulletin = (try? BulletinID(bytes: [UInt8](repeating: 1, count: BulletinID.byteCount)))!
        event = .envelopeSent(link: link, sequence: sequence, hash: hash, bulletin: bulletin)
    case 1: event = .envelopeReceived(link: link, sequence: sequence, hash: hash, status: status)
    case 2: event = .receiptReceived(link: link, sequence: sequence, hash: hash, status: status)
    case 3: event = .envelopeUnreadable(peer: link.origin, byteCount: sequence, hash: hash, reason: reason)
    case 4:
        let other = input.uint64()
        event = .replayRequested(link: link, sequences: min(sequence, other)...max(sequence, other))
    default:
        let other = input.uint64()
        event = .replayServed(link: link, sequences: min(sequence, other)...max(sequence, other))
    }
    return try? AuditEntry(index: index, time: time, state: state, event: event)
}
