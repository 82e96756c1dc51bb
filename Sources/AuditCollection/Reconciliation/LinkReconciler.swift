import Audit
import Exchange

/// Reconciles, per link, what origins' logs say they sent and had acknowledged with what
/// recipients' logs say they received (docs/AUDIT.md §12.3), envelopes and attachments alike.
/// Pure: entries in, reports out.
///
/// Only a node's statements about its own side count: an origin's `envelopeSent` and
/// `receiptReceived` for links it is the origin of, a recipient's accepted `envelopeReceived` for
/// links it is the recipient of. Rejections are filed under the link the entry names (a signed
/// header's link, or for `envelopeUnreadable` the link from the peer that sent the bytes),
/// whoever logged them. Attachments are matched file by file (``AttachmentLedger``): the origin's
/// `attachmentStored` of each bulletin its `envelopeSent` entries put on the link, against the
/// recipient's `attachmentReceived` and the origin's `attachmentAcknowledged`.
///
/// Every number comes from a node and may be anything a `u64` holds (a hostile neighbour can
/// make an honest node log a replay of `1…2^64−1`): the arithmetic here is checked or
/// saturating and never converts a range to `Int`, so no collected value can make it trap.
/// Whether a value is believable is ``Plausibility``'s question, not this type's.
public struct LinkReconciler: Sendable {
    /// Envelopes received later than this after they were sent are late; envelopes sent longer
    /// than this before the recipient's log was collected, and not in it, are missing.
    public let lateAfterMilliseconds: UInt64

    /// A file stored longer than this before the recipient's log was collected, and not in it,
    /// is overdue (a warning); until then it is in transfer. Files are pulled after their
    /// bulletin, one at a time per origin, within the link's byte cap: much slower than an envelope.
    public let attachmentGraceMilliseconds: UInt64

    /// The default ``attachmentGraceMilliseconds``: one hour.
    public static let defaultAttachmentGraceMilliseconds: UInt64 = 3_600_000

    /// A reconciler with the given lateness limit and attachment grace period.
    public init(
        lateAfterMilliseconds: UInt64 = 60_000, attachmentGraceMilliseconds: UInt64 = defaultAttachmentGraceMilliseconds
    ) {
        self.lateAfterMilliseconds = lateAfterMilliseconds
        self.attachmentGraceMilliseconds = attachmentGraceMilliseconds
    }

    private struct Sighting {
        let hash: EnvelopeHash
        let time: Timestamp
        /// The bulletin an `envelopeSent` carries (`nil` for a received envelope: its entry does not say).
        var bulletin: BulletinID? = nil
    }

    private struct LinkLedger {
        var sent: [UInt64: Sighting] = [:]
        var received: [UInt64: Sighting] = [:]
        var acknowledgedUpTo: UInt64 = 0
        var acceptedReceipts: [(sequence: UInt64, hash: EnvelopeHash)] = []
        var rejections: [LinkReport.Rejection] = []
        var replayRequested: UInt64 = 0
    }

    /// The report of every link of `rosterLinks` and of every other link the logs mention, in link order.
    public func reconcile(logs: [NodeLogView], rosterLinks: [Link]) -> [LinkReport] {
        var ledgers: [Link: LinkLedger] = [:]
        var attachments = AttachmentLedger()
        for link in rosterLinks { ledgers[link] = LinkLedger() }
        var coveredUntil: [StateCode: Timestamp] = [:]
        for log in logs {
            coveredUntil[log.state] = log.coveredUntil
            let node = log.state
            for entry in log.entries {
                switch entry.event {
                case .envelopeSent(let link, let sequence, let hash, let bulletin) where link.origin == node:
                    if ledgers[link, default: LinkLedger()].sent[sequence] == nil {
                        ledgers[link, default: LinkLedger()].sent[sequence] = Sighting(
                            hash: hash, time: entry.time, bulletin: bulletin)
                    }
                case .receiptReceived(let link, let sequence, let hash, let status) where link.origin == node:
                    switch status {
                    case .accepted:
                        ledgers[link, default: LinkLedger()].acceptedReceipts.append((sequence, hash))
                        ledgers[link, default: LinkLedger()].acknowledgedUpTo = max(
                            ledgers[link]?.acknowledgedUpTo ?? 0, sequence)
                    case .rejected(let reason):
                        ledgers[link, default: LinkLedger()].rejections.append(
                            Self.rejection(node, sequence, hash, reason, entry.time))
                    }
                case .envelopeReceived(let link, let sequence, let hash, let status):
                    switch status {
                    case .accepted where link.recipient == node:
                        if ledgers[link, default: LinkLedger()].received[sequence] == nil {
                            ledgers[link, default: LinkLedger()].received[sequence] = Sighting(
                                hash: hash, time: entry.time)
                        }
                    case .accepted:
                        break
                    case .rejected(let reason):
                        ledgers[link, default: LinkLedger()].rejections.append(
                            Self.rejection(node, sequence, hash, reason, entry.time))
                    }
                case .envelopeUnreadable(let peer, _, let hash, let reason):
                    let link = Link(origin: peer, recipient: node)
                    ledgers[link, default: LinkLedger()].rejections.append(
                        Self.rejection(node, 0, hash, reason, entry.time))
                case .replayRequested(let link, let sequences) where link.recipient == node:
                    let requested = ledgers[link, default: LinkLedger()].replayRequested
                    ledgers[link, default: LinkLedger()].replayRequested = requested.addingSaturating(
                        Self.count(of: sequences))
                case .attachmentStored, .attachmentReceived, .attachmentAcknowledged:
                    if let link = attachments.record(entry.event, by: node, at: entry.time), ledgers[link] == nil {
                        ledgers[link] = LinkLedger()
                    }
                default:
                    break
                }
            }
        }
        let roster = Set(rosterLinks)
        return ledgers.keys.sorted().compactMap { link in
            guard let ledger = ledgers[link] else { return nil }
            let recipientCovered = coveredUntil[link.recipient]
            let originCovered = coveredUntil[link.origin]
            let files = attachments.report(
                link, bulletinsSent: Set(ledger.sent.values.compactMap(\.bulletin)), recipientCovered: recipientCovered,
                originCovered: originCovered, graceMilliseconds: attachmentGraceMilliseconds,
                clockMarginMilliseconds: lateAfterMilliseconds)
            return report(
                link, ledger, inRoster: roster.contains(link), recipientCovered: recipientCovered,
                originCovered: originCovered,
                attachments: files)
        }
    }

    private func report(
        _ link: Link, _ ledger: LinkLedger, inRoster: Bool, recipientCovered: Timestamp?, originCovered: Timestamp?,
        attachments: AttachmentLinkReport?
    ) -> LinkReport {
        // A rejection both sides logged (the recipient's, and the origin's rejecting receipt) is one rejection.
        var seen: Set<String> = []
        let rejections = ledger.rejections.filter { seen.insert("\($0.sequence) \($0.hash) \($0.code)").inserted }
        let rejectedAtRecipient = Set(
            ledger.rejections.filter { $0.loggedBy == link.recipient.description }.map { "\($0.sequence) \($0.hash)" })

        var missing: [UInt64] = []
        var pending: [UInt64] = []
        var late: [UInt64] = []
        var mismatches: [LinkReport.HashMismatch] = []
        var maximumDelay: UInt64 = 0
        for (sequence, sent) in ledger.sent.sorted(by: { $0.key < $1.key }) {
            if let received = ledger.received[sequence] {
                if received.hash != sent.hash {
                    mismatches.append(
                        .init(sequence: sequence, sent: "\(sent.hash)", other: "\(received.hash)", seenIn: "received"))
                }
                let delay =
                    received.time.millisecondsSinceEpoch
                    &- min(sent.time.millisecondsSinceEpoch, received.time.millisecondsSinceEpoch)
                maximumDelay = max(maximumDelay, delay)
                if delay > lateAfterMilliseconds { late.append(sequence) }
            } else if rejectedAtRecipient.contains("\(sequence) \(sent.hash)") {
                continue  // received, and refused for its content: counted among the rejections
            } else if let covered = recipientCovered, sent.time.adding(milliseconds: lateAfterMilliseconds) <= covered {
                missing.append(sequence)
            } else {
                pending.append(sequence)
            }
        }
        for receipt in ledger.acceptedReceipts {
            if let sent = ledger.sent[receipt.sequence], sent.hash != receipt.hash {
                mismatches.append(
                    .init(sequence: receipt.sequence, sent: "\(sent.hash)", other: "\(receipt.hash)", seenIn: "receipt")
                )
            }
        }
        let neverSent = ledger.received.keys.sorted().filter { sequence in
            guard ledger.sent[sequence] == nil, let covered = originCovered, let received = ledger.received[sequence]
            else { return false }
            return received.time <= covered
        }
        return LinkReport(
            origin: link.origin, recipient: link.recipient, inRoster: inRoster, sent: ledger.sent.count,
            received: ledger.received.count,
            acknowledged: ledger.sent.keys.filter { $0 <= ledger.acknowledgedUpTo }.count, rejections: rejections,
            missingAtRecipient: missing, pending: pending, receivedNeverSent: neverSent, hashMismatches: mismatches,
            late: late,
            maximumDelayMilliseconds: maximumDelay, replayRequested: ledger.replayRequested, attachments: attachments)
    }

    /// The number of sequences in `range`, saturating at `UInt64.max` (`0…UInt64.max` holds one
    /// more than a `UInt64` can count). `ClosedRange.count` is an `Int` and traps beyond `Int.max`.
    public static func count(of range: ClosedRange<UInt64>) -> UInt64 {
        (range.upperBound - range.lowerBound).addingSaturating(1)
    }

    private static func rejection(
        _ node: StateCode, _ sequence: UInt64, _ hash: EnvelopeHash, _ reason: RejectionReason, _ time: Timestamp
    )
        -> LinkReport.Rejection
    {
        LinkReport.Rejection(
            loggedBy: node.description, sequence: sequence, hash: "\(hash)", code: reason.rawValue, reason: reason.name,
            time: time.millisecondsSinceEpoch)
    }
}
