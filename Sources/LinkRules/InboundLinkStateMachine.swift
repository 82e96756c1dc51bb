import Exchange

/// The rules of one link that delivers to this node (origin → this node), as a value the engine
/// feeds with events and that answers with actions, in the manner of swift-nio's state machines.
///
/// It decides where each envelope goes in the chain (next, duplicate, conflict, gap, chain
/// broken: docs/PROTOCOL.md §8 steps 7–8), which receipts to send and when (§11.1: only once the
/// batch is stored), what an unsigned heartbeat or replay answer may trigger (§16.4: one replay
/// request for one batch at most, per replay timeout; one receipt again per heartbeat interval;
/// distrust after a replay answer that moves nothing), and when the link needs new sockets
/// (§16.4: a connection lost for good, or silence). It does no I/O: signatures, decryption,
/// the store, the audit log and the sockets are the engine's, and instants are passed in, so
/// tests drive time without waiting.
///
/// Numbers from the peer never trap here: sums saturate and ranges are formed only when ordered.
public struct InboundLinkStateMachine: Sendable {
    /// An instant on the monotonic clock.
    public typealias Instant = ContinuousClock.Instant

    /// The link: its origin, and this node as recipient.
    public let link: Link
    /// The figures the rules run on.
    public let configuration: LinkConfiguration

    /// The last envelope taken on the link (stored, or in the batch being stored).
    public internal(set) var position: ChainPosition
    /// What this node answered for the envelope at ``position``: `accepted`, or the 400/5xx
    /// rejection of an authentic envelope whose content it refused. A receipt sent again for the
    /// position says the same, never `accepted` for a refused envelope.
    public internal(set) var positionStatus: ReceiptStatus
    /// The highest sequence the origin announced (heartbeat, replay answer, or an envelope taken).
    /// An unsigned hint: it bounds nothing and is never audited beyond one batch past ``position``.
    public internal(set) var announced: UInt64?
    /// Envelopes taken since start as published (live) and through replay: what ZeroMQ dropped or
    /// the link missed shows up in the second.
    public internal(set) var acceptedLive = 0
    /// See ``acceptedLive``.
    public internal(set) var acceptedByReplay = 0
    /// Times the sockets were replaced since start.
    public internal(set) var resets = 0
    /// When the replay request now in flight was sent (`nil`: none).
    public internal(set) var replayRequestedAt: Instant?

    /// The position and status as last stored: where a failed commit goes back to.
    var stored: (position: ChainPosition, status: ReceiptStatus)
    /// What the envelopes taken since the last commit call for.
    var batch = Batch()
    /// The replay answer being ingested.
    var answer: ReplayAnswerInProgress?
    /// What the origin's heartbeats said and when.
    var heartbeats = HeartbeatWatch()
    /// The state of the link's two connections.
    var connections = ConnectionWatch()

    /// The receipts a batch calls for, and the envelopes it took, until it is stored.
    struct Batch {
        /// Sequence → hash of the envelopes taken and not stored yet.
        var taken: [UInt64: EnvelopeHash] = [:]
        /// The last envelope taken and accepted: its receipt covers the run before it.
        var lastAccepted: LinkReceipt?
        /// Rejection receipts (refused content, conflicts, broken chains), in order.
        var rejections: [LinkReceipt] = []
        /// A re-delivered envelope asks for the cumulative receipt.
        var acknowledgeAgain = false
    }

    /// A replay answer admitted and not yet ingested.
    struct ReplayAnswerInProgress {
        let latest: UInt64
        let positionBefore: UInt64
    }

    /// What to do with an envelope before its signature is checked.
    public enum ReadEnvelopeAction: Hashable, Sendable {
        /// The same bytes as an envelope the link holds (same SHA-256): verified when it was
        /// taken, so acknowledged again without a second signature check.
        case acknowledgeAgain
        /// Check its signature, then report ``InboundLinkStateMachine/envelopeVerified(_:storedHash:now:)``.
        case checkSignature
    }

    /// A link at `position` (as stored), whose envelope there was given `status`.
    public init(link: Link, position: ChainPosition, status: ReceiptStatus = .accepted, configuration: LinkConfiguration) {
        self.link = link
        self.configuration = configuration
        self.position = position
        self.positionStatus = status
        self.stored = (position, status)
    }

    /// The receipt for the link's position, with the status given there: what a re-delivery or
    /// a heartbeat missing our receipts is answered with (`nil` before the first envelope).
    public var cumulativeReceipt: LinkReceipt? {
        guard position.sequence > 0 else { return nil }
        return LinkReceipt(sequence: position.sequence, envelopeHash: position.hash, status: positionStatus)
    }

    // MARK: Envelopes

    /// An envelope was read (parsed, its signature not checked yet). `storedHash` answers the
    /// hash the store holds for a sequence of the link.
    public mutating func envelopeRead(_ envelope: EnvelopeFacts, storedHash: (UInt64) -> EnvelopeHash?) -> ReadEnvelopeAction {
        guard envelope.sequence <= position.sequence, holds(envelope, storedHash: storedHash) else { return .checkSignature }
        batch.acknowledgeAgain = true
        return .acknowledgeAgain
    }

    /// An envelope whose signature holds (steps 1–6 of §8 passed): its place in the chain.
    /// Changes nothing for ``InboundEnvelopeAction/next``; records the receipts the others call
    /// for; a gap asks for a replay unless one is in flight.
    public mutating func envelopeVerified(
        _ envelope: EnvelopeFacts, storedHash: (UInt64) -> EnvelopeHash?, now: Instant
    ) -> InboundEnvelopeAction {
        if envelope.sequence <= position.sequence {
            if holds(envelope, storedHash: storedHash) {
                batch.acknowledgeAgain = true
                return .acknowledgeAgain
            }
            // Signed by its origin (the signature is checked before the sequence): receipted.
            batch.rejections.append(LinkReceipt(for: envelope, status: .rejected(.conflict)))
            return .rejectConflict
        }
        // Here position.sequence < envelope.sequence ≤ 2^64−1, so the next sequence exists.
        let next = position.sequence + 1
        if envelope.sequence > next {
            return .gap(missing: next...(envelope.sequence - 1), replay: requestReplay(.gap, now: now))
        }
        guard envelope.previousHash == expectedPreviousHash else {
            // Found after the signature holds: the origin signed it, so it gets a receipt saying why (§11.1).
            batch.rejections.append(LinkReceipt(for: envelope, status: .rejected(.chainBroken)))
            return .rejectChainBroken(expected: expectedPreviousHash, got: envelope.previousHash)
        }
        return .next
    }

    /// Takes the next envelope of the link with the status its content check gave it (accepted,
    /// or a 400/5xx rejection: a genuine envelope keeps its place in the chain either way, §8).
    /// Its receipt goes out with the batch. Refused, changing nothing, unless the envelope is the
    /// next one: its sequence follows the position and its previous hash is the position's hash.
    public mutating func take(_ envelope: EnvelopeFacts, status: ReceiptStatus, replayed: Bool) throws(InboundLinkError) {
        guard isNext(envelope) else { throw .notNext(envelope: envelope, position: position) }
        position = envelope.position
        positionStatus = status
        announced = max(announced ?? 0, envelope.sequence)
        if replayed { acceptedByReplay += 1 } else { acceptedLive += 1 }
        batch.taken[envelope.sequence] = envelope.hash
        if status == .accepted {
            batch.lastAccepted = LinkReceipt(for: envelope, status: .accepted)
        } else {
            batch.rejections.append(LinkReceipt(for: envelope, status: status))
        }
    }

    /// The batch is durably stored: the receipts it calls for, to send now, in order — the
    /// accepted receipt for the last envelope accepted (it covers the run), the rejections, and
    /// the cumulative receipt for a re-delivery when nothing was accepted.
    public mutating func storeCommitted() -> [LinkReceipt] {
        var receipts = batch.lastAccepted.map { [$0] } ?? []
        receipts += batch.rejections
        if batch.acknowledgeAgain, batch.lastAccepted == nil, let cumulative = cumulativeReceipt {
            receipts.append(cumulative)
        }
        stored = (position, positionStatus)
        batch = Batch()
        return receipts
    }

    /// The batch could not be stored: the position and its status go back to what is stored and
    /// no receipt is sent (a receipt never names an envelope a crash could lose); the envelopes
    /// will come again by replay. A link that took envelopes in the batch, or whose replay answer
    /// it was, counts a replay as in flight from `now`, so ``tick(now:)`` asks again after the
    /// replay timeout; the answer is forgotten, so an honest origin is not refused for an answer
    /// that "moved nothing" only because our commit failed.
    public mutating func storeCommitFailed(now: Instant) {
        let touched = position != stored.position || answer != nil
        position = stored.position
        positionStatus = stored.status
        batch = Batch()
        answer = nil
        if touched, replayRequestedAt == nil { replayRequestedAt = now }
    }

    // MARK: Replay requests

    /// Asks for the envelopes after the position, unless a request is in flight (then `nil`).
    /// The request and its audit entry cover at most one batch after what the link holds.
    public mutating func requestReplay(_ reason: ReplayRequest.Reason, now: Instant) -> ReplayRequest? {
        guard replayRequestedAt == nil else { return nil }
        replayRequestedAt = now
        let first = position.sequence.addingSaturating(1)  // a position of 2^64−1 cannot be passed
        let batchEnd = position.sequence.addingSaturating(UInt64(configuration.replayBatchSize))
        let last = min(max(first, announced ?? first), batchEnd)
        return ReplayRequest(after: position.sequence, audited: first...max(first, last), reason: reason)
    }

    /// The request asked for could not be sent (queue full, or an error): none is in flight.
    public mutating func replayRequestNotSent() {
        replayRequestedAt = nil
    }

    // MARK: The chain

    /// The previous hash the next envelope must carry: the position's hash (zero before the first).
    var expectedPreviousHash: EnvelopeHash { position.sequence == 0 ? .zero : position.hash }

    /// Whether `envelope` is the next of the chain: sequence and previous hash both.
    func isNext(_ envelope: EnvelopeFacts) -> Bool {
        envelope.sequence == position.sequence.addingSaturating(1) && position.sequence < .max
            && envelope.previousHash == expectedPreviousHash
    }

    /// Whether the link holds `envelope` (taken in this batch, else stored): a harmless
    /// re-delivery rather than a conflict.
    func holds(_ envelope: EnvelopeFacts, storedHash: (UInt64) -> EnvelopeHash?) -> Bool {
        (batch.taken[envelope.sequence] ?? storedHash(envelope.sequence)) == envelope.hash
    }
}
