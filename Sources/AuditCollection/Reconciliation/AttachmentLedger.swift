import Audit
import Exchange

/// The attachment statements of the collected logs, gathered during ``LinkReconciler``'s one pass
/// over them, and their match per link (docs/AUDIT.md §12.3).
///
/// Only a node's statements about its own side count: an origin's `attachmentStored` (its own
/// bulletins) and `attachmentAcknowledged` (links it is the origin of), a recipient's
/// `attachmentReceived` (links it is the recipient of). Which recipients a bulletin went to is
/// what the origin's `envelopeSent` entries say (each names its bulletin). The first statement
/// of a file is kept, as for envelopes, so what is held grows with the entries read and no more;
/// the report keeps counts and at most ``AttachmentLinkReport/FileList/listedAtMost`` files per list.
struct AttachmentLedger {
    /// A file of a bulletin.
    struct FileKey: Hashable, Comparable {
        let bulletin: BulletinID
        let number: UInt16

        static func < (lhs: FileKey, rhs: FileKey) -> Bool { (lhs.bulletin, lhs.number) < (rhs.bulletin, rhs.number) }
    }

    /// The origin's `attachmentStored`.
    struct Stored {
        let digest: AttachmentDigest
        let size: UInt64
        let time: Timestamp
    }

    /// The recipient's `attachmentReceived`.
    struct Received {
        let digest: AttachmentDigest
        let size: UInt64
        let held: Bool
        let time: Timestamp
    }

    /// The origin's `attachmentAcknowledged`.
    struct Acknowledged {
        let digest: AttachmentDigest
        let held: Bool
        let time: Timestamp
    }

    private var stored: [StateCode: [BulletinID: [UInt16: Stored]]] = [:]
    private var received: [Link: [FileKey: Received]] = [:]
    private var acknowledged: [Link: [FileKey: Acknowledged]] = [:]

    /// Keeps `event`, logged by `node` at `time`, when it is an attachment statement about the
    /// node's own side, and returns the link it names (`nil` for `attachmentStored`, which names
    /// none, and for every other event).
    mutating func record(_ event: AuditEvent, by node: StateCode, at time: Timestamp) -> Link? {
        switch event {
        case .attachmentStored(let bulletin, let number, let digest, let size):
            if stored[node]?[bulletin]?[number] == nil {
                stored[node, default: [:]][bulletin, default: [:]][number] = Stored(
                    digest: digest, size: size, time: time)
            }
            return nil
        case .attachmentReceived(let link, let bulletin, let number, let digest, let size, let held)
        where link.recipient == node:
            let key = FileKey(bulletin: bulletin, number: number)
            if received[link]?[key] == nil {
                received[link, default: [:]][key] = Received(digest: digest, size: size, held: held, time: time)
            }
            return link
        case .attachmentAcknowledged(let link, let bulletin, let number, let digest, let held) where link.origin == node:
            let key = FileKey(bulletin: bulletin, number: number)
            if acknowledged[link]?[key] == nil {
                acknowledged[link, default: [:]][key] = Acknowledged(digest: digest, held: held, time: time)
            }
            return link
        default:
            return nil
        }
    }

    /// The attachments of `link`, whose origin sent `bulletinsSent` on it, as of the recipient's and
    /// the origin's last accepted heads; `nil` when no statement concerns the link. A file not
    /// received is overdue once it was stored more than `graceMilliseconds` before the recipient's head.
    /// A statement of one side is compared with the other side's head only `clockMarginMilliseconds`
    /// after its time: the two are read on two states' clocks, and an honest node must not be
    /// blamed for a clock a little ahead of its neighbour's.
    func report(
        _ link: Link, bulletinsSent: Set<BulletinID>, recipientCovered: Timestamp?, originCovered: Timestamp?,
        graceMilliseconds: UInt64, clockMarginMilliseconds: UInt64
    ) -> AttachmentLinkReport? {
        let storedByBulletin = stored[link.origin] ?? [:]
        let arrivals = received[link] ?? [:]
        let receipts = acknowledged[link] ?? [:]
        func expected(_ key: FileKey) -> Stored? {
            bulletinsSent.contains(key.bulletin) ? storedByBulletin[key.bulletin]?[key.number] : nil
        }
        func file(_ key: FileKey) -> AttachmentLinkReport.File {
            AttachmentLinkReport.File(bulletin: key.bulletin.reference(origin: link.origin), number: key.number)
        }

        var tally = Tally()
        for bulletin in bulletinsSent.sorted() {
            guard let files = storedByBulletin[bulletin] else { continue }
            for (number, stored) in files.sorted(by: { $0.key < $1.key }) {
                let key = FileKey(bulletin: bulletin, number: number)
                tally.match(
                    file(key), stored: stored, arrival: arrivals[key], receipt: receipts[key],
                    recipientCovered: recipientCovered,
                    graceMilliseconds: graceMilliseconds, clockMarginMilliseconds: clockMarginMilliseconds)
            }
        }
        // Statements about files the origin's log does not give this link: an arrival once the
        // origin's head is later than it, a receipt always (the origin contradicts itself).
        var unknownArrivals: Set<FileKey> = []
        for (key, arrival) in arrivals.sorted(by: { $0.key < $1.key }) where expected(key) == nil {
            guard let covered = originCovered, arrival.time.adding(milliseconds: clockMarginMilliseconds) <= covered
            else {
                continue
            }
            unknownArrivals.insert(key)
            tally.neverStored.add(file(key))
        }
        for key in receipts.keys.sorted() where expected(key) == nil && !unknownArrivals.contains(key) {
            tally.neverStored.add(file(key))
        }
        guard tally.files > 0 || !arrivals.isEmpty || !receipts.isEmpty else { return nil }
        return tally.report
    }

    /// Counts and lists of one link's files, as they are matched.
    private struct Tally {
        var files: UInt64 = 0
        var received: UInt64 = 0
        var acknowledged: UInt64 = 0
        var complete: UInt64 = 0
        var unacknowledged = FileListBuilder()
        var inTransfer = FileListBuilder()
        var overdue = FileListBuilder()
        var refused = FileListBuilder()
        var neverStored = FileListBuilder()
        var acknowledgedNeverReceived = FileListBuilder()
        var mismatches: [AttachmentLinkReport.Mismatch] = []
        var mismatchCount: UInt64 = 0

        mutating func mismatch(
            _ file: AttachmentLinkReport.File, _ field: String, _ expected: String, _ other: String, _ seenIn: String
        ) {
            mismatchCount = mismatchCount.addingSaturating(1)
            if mismatches.count < AttachmentLinkReport.FileList.listedAtMost {
                mismatches.append(.init(file: file, field: field, expected: expected, other: other, seenIn: seenIn))
            }
        }

        /// Files one stored file, sent on the link, into its categories.
        mutating func match(
            _ file: AttachmentLinkReport.File, stored: Stored, arrival: Received?, receipt: Acknowledged?,
            recipientCovered: Timestamp?,
            graceMilliseconds: UInt64, clockMarginMilliseconds: UInt64
        ) {
            files = files.addingSaturating(1)
            var agrees = true
            if let arrival {
                if arrival.digest != stored.digest {
                    mismatch(file, "sha256", "\(stored.digest)", "\(arrival.digest)", "received")
                    agrees = false
                }
                if arrival.size != stored.size {
                    mismatch(file, "size", String(stored.size), String(arrival.size), "received")
                    agrees = false
                }
                if arrival.held { received = received.addingSaturating(1) }
            }
            if let receipt {
                if receipt.digest != stored.digest {
                    mismatch(file, "sha256", "\(stored.digest)", "\(receipt.digest)", "receipt")
                    agrees = false
                }
                if let arrival, arrival.held != receipt.held {
                    mismatch(file, "held", Self.outcome(arrival.held), Self.outcome(receipt.held), "receipt")
                    agrees = false
                }
                if receipt.held { acknowledged = acknowledged.addingSaturating(1) }
            }
            switch (arrival, receipt) {
            case (nil, nil):
                if let covered = recipientCovered, stored.time.adding(milliseconds: graceMilliseconds) <= covered {
                    overdue.add(file)
                } else {
                    inTransfer.add(file)
                }
            case (nil, let receipt?):
                // The recipient logs the arrival before it signs the receipt: a head later than
                // the receipt (by more than the clocks' margin) holds it.
                if let covered = recipientCovered, receipt.time.adding(milliseconds: clockMarginMilliseconds) <= covered
                {
                    acknowledgedNeverReceived.add(file)
                } else if !receipt.held {
                    refused.add(file)
                }
            case (let arrival?, nil):
                if arrival.held { unacknowledged.add(file) } else { refused.add(file) }
            case (let arrival?, let receipt?):
                if arrival.held && receipt.held {
                    if agrees { complete = complete.addingSaturating(1) }
                } else if !arrival.held && !receipt.held {
                    refused.add(file)
                }
            }
        }

        static func outcome(_ held: Bool) -> String { held ? "held" : "refused" }

        var report: AttachmentLinkReport {
            AttachmentLinkReport(
                files: files, received: received, acknowledged: acknowledged, complete: complete,
                unacknowledged: unacknowledged.list,
                inTransfer: inTransfer.list, overdue: overdue.list, refused: refused.list, mismatches: mismatches,
                mismatchCount: mismatchCount, neverStored: neverStored.list,
                acknowledgedNeverReceived: acknowledgedNeverReceived.list)
        }
    }

    /// A ``AttachmentLinkReport/FileList`` being filled: every file counted, the first listed.
    private struct FileListBuilder {
        var count: UInt64 = 0
        var listed: [AttachmentLinkReport.File] = []

        mutating func add(_ file: AttachmentLinkReport.File) {
            count = count.addingSaturating(1)
            if listed.count < AttachmentLinkReport.FileList.listedAtMost { listed.append(file) }
        }

        var list: AttachmentLinkReport.FileList { .init(count: count, listed: listed) }
    }
}
