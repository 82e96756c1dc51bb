import Audit
import Exchange

/// What the secretariat believes a node's log can truthfully say, and the check that turns every
/// value outside it into an ``ImplausibleValue`` finding of the report (docs/AUDIT.md §12.3).
///
/// Collected entries are signed statements and are kept as they are, whatever they say: a
/// hostile neighbour can make an honest node log a replay request for `1…2^64−1`, and refusing
/// to store or decode such an entry would leave the secretariat unable to collect that node
/// again. So decoding stays the format's (§3), the reconciliation's arithmetic saturates, and
/// what no honest exchange produces — times before the Declaration or far in the future,
/// sequences no link reaches in centuries, a node contradicting itself or its neighbour — is
/// named here, entry by entry. Pure: logs in, findings out; every loop is over the logs given.
public struct Plausibility: Hashable, Sendable, Codable {
    /// Entry and head times before this are implausible: 2013-01-01T00:00:00Z, the year of the
    /// Rabat Declaration (no BorderNet node existed before).
    public var earliestTime: Timestamp
    /// Times later than the report's own clock by more than this are implausible (default 24 h).
    public var futureToleranceMilliseconds: UInt64
    /// Link sequences above this are implausible: 2^48, more than one envelope a millisecond on one
    /// link for 8,000 years. Sequences start at 1; 0 is refused by the decoder already.
    public var maximumSequence: UInt64
    /// `envelopeUnreadable` byte counts above this are implausible (4 GiB: no transport frame is that large).
    public var maximumByteCount: UInt64
    /// How far one node's clock may step back, or two nodes' clocks differ, before an order of
    /// events counts as a contradiction (default 60 s).
    public var clockToleranceMilliseconds: UInt64

    /// The defaults above.
    public init(
        earliestTime: Timestamp = Timestamp(millisecondsSinceEpoch: 1_356_998_400_000),
        futureToleranceMilliseconds: UInt64 = 86_400_000, maximumSequence: UInt64 = 1 << 48, maximumByteCount: UInt64 = 1 << 32,
        clockToleranceMilliseconds: UInt64 = 60_000
    ) {
        self.earliestTime = earliestTime
        self.futureToleranceMilliseconds = futureToleranceMilliseconds
        self.maximumSequence = maximumSequence
        self.maximumByteCount = maximumByteCount
        self.clockToleranceMilliseconds = clockToleranceMilliseconds
    }

    private struct Sighting {
        let index: UInt64
        let hash: EnvelopeHash
        let time: Timestamp
    }

    /// What one node's log says about the links it is the origin of: its sends, by link and sequence.
    private typealias SentByLink = [Link: [UInt64: Sighting]]

    /// Every implausible value of `logs`, as of `now` (the report's clock): per node in the order
    /// given, per entry in index order.
    public func check(_ logs: [NodeLogView], now: Timestamp) -> [ImplausibleValue] {
        var findings: [ImplausibleValue] = []
        var sentByNode: [StateCode: SentByLink] = [:]
        var coveredUntil: [StateCode: Timestamp] = [:]
        var replays: [(node: StateCode, link: Link, sequences: ClosedRange<UInt64>, index: UInt64, time: Timestamp)] = []
        let latest = now.adding(milliseconds: futureToleranceMilliseconds)

        for log in logs {
            let node = log.state
            func add(_ index: UInt64?, _ what: ImplausibleValue.What, _ link: Link?, _ detail: String) {
                findings.append(ImplausibleValue(state: node, entryIndex: index, what: what, link: link, detail: detail))
            }
            if let covered = log.coveredUntil {
                coveredUntil[node] = covered
                if let problem = timeProblem(covered, latest: latest) { add(nil, .headTimestamp, nil, "the accepted head's timestamp \(problem)") }
            }
            var sent: SentByLink = [:]
            var received: [Link: [UInt64: Sighting]] = [:]
            var receipts: [(link: Link, sequence: UInt64, index: UInt64, time: Timestamp)] = []
            for entry in log.entries {
                let index = entry.index
                if let problem = timeProblem(entry.time, latest: latest) { add(index, .time, entry.event.link, "entry time \(problem)") }
                switch entry.event {
                case .envelopeSent(let link, let sequence, let hash, _):
                    if sequence > maximumSequence { add(index, .sequence, link, "sent sequence \(sequence) \(beyondSequences)") }
                    guard link.origin == node else { break }
                    if let first = sent[link]?[sequence] {
                        if first.hash != hash {
                            add(
                                index, .duplicateSequence, link,
                                "sequence \(sequence) of \(link) logged as sent twice with different hashes (entry \(first.index): \(first.hash), entry \(index): \(hash))")
                        }
                    } else {
                        sent[link, default: [:]][sequence] = Sighting(index: index, hash: hash, time: entry.time)
                    }
                case .envelopeReceived(let link, let sequence, let hash, let status):
                    if sequence > maximumSequence { add(index, .sequence, link, "received sequence \(sequence) \(beyondSequences)") }
                    guard status == .accepted, link.recipient == node else { break }
                    if let first = received[link]?[sequence] {
                        if first.hash != hash {
                            add(
                                index, .duplicateSequence, link,
                                "sequence \(sequence) of \(link) logged as accepted twice with different hashes (entry \(first.index): \(first.hash), entry \(index): \(hash))")
                        }
                    } else {
                        received[link, default: [:]][sequence] = Sighting(index: index, hash: hash, time: entry.time)
                    }
                case .receiptSent(let link, let sequence, _, _):
                    if sequence > maximumSequence { add(index, .sequence, link, "receipt sent for sequence \(sequence) \(beyondSequences)") }
                case .receiptReceived(let link, let sequence, _, let status):
                    if sequence > maximumSequence { add(index, .sequence, link, "receipt received for sequence \(sequence) \(beyondSequences)") }
                    if status == .accepted, link.origin == node { receipts.append((link, sequence, index, entry.time)) }
                case .envelopeUnreadable(let peer, let byteCount, _, _):
                    if byteCount > maximumByteCount {
                        add(index, .byteCount, Link(origin: peer, recipient: node), "unreadable bytes from \(peer) counted \(byteCount) bytes, more than any frame (\(maximumByteCount))")
                    }
                case .replayRequested(let link, let sequences), .replayServed(let link, let sequences):
                    let verb = entry.event.kind == .replayRequested ? "replay requested" : "replay served"
                    if sequences.upperBound > maximumSequence {
                        add(
                            index, .replayRange, link,
                            "\(verb) for sequences \(sequences.lowerBound)…\(sequences.upperBound) (\(LinkReconciler.count(of: sequences)) sequences) \(beyondSequences)")
                    }
                    if entry.event.kind == .replayRequested, link.recipient == node {
                        replays.append((node, link, sequences, index, entry.time))
                    }
                default:
                    break
                }
            }
            // The origin contradicting itself: a receipt for an envelope it never logged as sent,
            // or one logged (by its own clock) before the send it acknowledges.
            for receipt in receipts {
                let sends = sent[receipt.link] ?? [:]
                if let send = sends[receipt.sequence] {
                    if receipt.time.adding(milliseconds: clockToleranceMilliseconds) < send.time {
                        add(
                            receipt.index, .receiptBeforeSend, receipt.link,
                            "receipt for sequence \(receipt.sequence) of \(receipt.link) logged at \(Self.time(receipt.time)), before its send (entry \(send.index), \(Self.time(send.time)))")
                    }
                } else {
                    let highest = sends.keys.max()
                    add(
                        receipt.index, .acknowledgedBeyondSent, receipt.link,
                        "receipt accepted for sequence \(receipt.sequence) of \(receipt.link), which this log never records as sent"
                            + (highest.map { $0 < receipt.sequence ? " (the highest sent is \($0))" : "" } ?? " (it records no send on that link)"))
                }
            }
            sentByNode[node] = sent
        }

        // A recipient asking for more than its origin ever sent, when the origin's collected log
        // covers the request (with the clock tolerance): it acted on a claim nothing backs.
        for replay in replays {
            guard let covered = coveredUntil[replay.link.origin], let origin = sentByNode[replay.link.origin],
                replay.time.adding(milliseconds: clockToleranceMilliseconds) <= covered
            else { continue }
            let highest = origin[replay.link]?.keys.max() ?? 0
            // Asking for "what comes after the last sequence held" names one sequence past the highest sent.
            guard replay.sequences.upperBound > highest.addingSaturating(1) else { continue }
            findings.append(
                ImplausibleValue(
                    state: replay.node, entryIndex: replay.index, what: .replayBeyondSent, link: replay.link,
                    detail: "replay requested up to sequence \(replay.sequences.upperBound) of \(replay.link), but \(replay.link.origin)'s log records sends up to \(highest) only"))
        }
        return findings
    }

    private var beyondSequences: String { "is beyond any plausible sequence (\(maximumSequence))" }

    /// Why `time` is not believable, or `nil`.
    private func timeProblem(_ time: Timestamp, latest: Timestamp) -> String? {
        if time < earliestTime { return "\(Self.time(time)) is before \(Self.time(earliestTime))" }
        if time > latest { return "\(Self.time(time)) is in the future (after \(Self.time(latest)))" }
        return nil
    }

    /// A time for a finding: ISO 8601 when it is within years 1970–9999, the raw milliseconds always.
    static func time(_ time: Timestamp) -> String {
        time.millisecondsSinceEpoch <= 253_402_300_799_999 ? "\(time) (\(time.millisecondsSinceEpoch) ms)" : "\(time.millisecondsSinceEpoch) ms"
    }
}

/// One value of a collected log that no honest exchange produces: its node, its entry, what is
/// implausible and why. The report lists each as a finding of kind `implausibleValue`.
public struct ImplausibleValue: Hashable, Sendable, Codable {
    /// What was implausible.
    public enum What: String, Hashable, Sendable, Codable, CaseIterable {
        /// An entry's time is before ``Plausibility/earliestTime`` or far in the future.
        case time
        /// The accepted head's timestamp is before ``Plausibility/earliestTime`` or far in the future.
        case headTimestamp
        /// A link sequence beyond ``Plausibility/maximumSequence``.
        case sequence
        /// A replay range ending beyond ``Plausibility/maximumSequence``.
        case replayRange
        /// An unreadable envelope's byte count beyond ``Plausibility/maximumByteCount``.
        case byteCount
        /// One link sequence logged twice (sent, or accepted) with different hashes.
        case duplicateSequence
        /// An origin accepted a receipt for a sequence its log never records as sent.
        case acknowledgedBeyondSent
        /// An origin logged a receipt before (its own clock, beyond the tolerance) the send it acknowledges.
        case receiptBeforeSend
        /// A recipient asked for a replay beyond everything the origin's collected log records as sent.
        case replayBeyondSent
    }

    /// The node whose log holds the value.
    public let state: StateCode
    /// The entry's index in that log (`nil` for the accepted head's timestamp).
    public let entryIndex: UInt64?
    /// What was implausible.
    public let what: What
    /// The link the entry is about, if any.
    public let link: Link?
    /// The value and why it is implausible, for an operator.
    public let detail: String

    /// A finding.
    public init(state: StateCode, entryIndex: UInt64?, what: What, link: Link?, detail: String) {
        self.state = state
        self.entryIndex = entryIndex
        self.what = what
        self.link = link
        self.detail = detail
    }
}
