import Exchange

extension InboundLinkStateMachine {
    /// What the origin's heartbeats said and when, and what they may still trigger.
    struct HeartbeatWatch {
        /// The `latest` of the previous heartbeat: still ahead of the position when the next one
        /// comes, it means envelopes were lost (not merely on their way).
        var previousLatest: UInt64?
        /// Until when heartbeats trigger no replay: they announced envelopes that the origin's
        /// own replay service then did not have.
        var ignoredUntil: Instant?
        /// When a heartbeat last triggered a replay request (one per replay timeout at most).
        var replayAt: Instant?
        /// When a heartbeat last made this node send its receipt again (one per heartbeat interval).
        var receiptResentAt: Instant?
        /// When the last heartbeat came (`nil`: none since the sockets were made). Only an origin
        /// that sends heartbeats can fall silent.
        var lastHeard: Instant?
        /// The gap between the origin's last two heartbeats (its interval, as seen here).
        var observedInterval: Duration?
    }

    /// What to do with a replay answer.
    public enum ReplayAnswerAdmission: Hashable, Sendable {
        /// Ingest its envelopes, then report ``InboundLinkStateMachine/replayAnswerIngested(now:)``.
        case ingest
        /// Count it as a transport refusal and drop it.
        case refuse(RejectionReason, detail: String)
    }

    /// A heartbeat from the origin (`latest` sealed on the link, `acknowledged` receipts held).
    ///
    /// A heartbeat is unsigned: a hint, never evidence (docs/PROTOCOL.md §16.4). A claim that
    /// contradicts the link (it acknowledges more than was received) is refused and ignored. A
    /// position still below the *previous* heartbeat's `latest` (one interval later: a steady
    /// stream is always a little behind the latest) asks for one replay, at most one per replay
    /// timeout and none while distrusted; otherwise receipts the origin lacks are sent again, at
    /// most once per heartbeat interval. So a flood costs no more than a steady stream.
    public mutating func heartbeatArrived(latest: UInt64, acknowledged: UInt64, now: Instant) -> [InboundLinkAction] {
        if let previous = heartbeats.lastHeard { heartbeats.observedInterval = now - previous }
        heartbeats.lastHeard = now
        guard acknowledged <= position.sequence else {
            return [.refuse(.implausibleClaim, detail: "heartbeat says \(acknowledged) acknowledged; \(position.sequence) received")]
        }
        announced = max(announced ?? 0, latest)
        let stillBehind = (heartbeats.previousLatest ?? 0) > position.sequence
        heartbeats.previousLatest = latest
        if stillBehind {
            let trusted = heartbeats.ignoredUntil.map { now >= $0 } ?? true
            guard trusted, heartbeats.replayAt.map({ now - $0 >= configuration.replayTimeout }) ?? true else { return [] }
            if replayRequestedAt == nil { heartbeats.replayAt = now }
            return requestReplay(.heartbeat, now: now).map { [.requestReplay($0)] } ?? []
        }
        guard acknowledged < position.sequence,
            heartbeats.receiptResentAt.map({ now - $0 >= configuration.heartbeatInterval }) ?? true
        else { return [] }
        heartbeats.receiptResentAt = now
        return cumulativeReceipt.map { [.sendReceipt($0)] } ?? []
    }

    /// A replay answer came (`latest`: the origin's unsigned last sequence; `envelopeCount`
    /// envelopes). One with more than ``LinkConfiguration/maximumReplayBatch`` is malformed;
    /// any other ends the request in flight.
    public mutating func replayAnswerArrived(latest: UInt64, envelopeCount: Int) -> ReplayAnswerAdmission {
        guard envelopeCount <= LinkConfiguration.maximumReplayBatch else {
            return .refuse(.malformedMessage, detail: "replay batch of \(envelopeCount) envelopes")
        }
        replayRequestedAt = nil
        answer = ReplayAnswerInProgress(latest: latest, positionBefore: position.sequence)
        return .ingest
    }

    /// The admitted replay answer's envelopes were ingested (stored or not).
    ///
    /// An answer that does not move the position while the heartbeats announced more means the
    /// heartbeats were wrong (or the answer is junk): refused as an implausible claim, and the
    /// heartbeats trigger no replay for ``LinkConfiguration/heartbeatDistrust``. The next batch
    /// is asked for only after a batch that moved the position and left it below `latest` —
    /// never in a loop on an unsigned `latest`.
    public mutating func replayAnswerIngested(now: Instant) -> [InboundLinkAction] {
        guard let answer else { return [] }
        self.answer = nil
        var actions: [InboundLinkAction] = []
        let progressed = position.sequence > answer.positionBefore
        if !progressed, (announced ?? 0) > position.sequence {
            actions.append(
                .refuse(
                    .implausibleClaim,
                    detail: "heartbeats announced \(announced ?? 0); the replay answer brought nothing after \(position.sequence)"))
            announced = position.sequence
            heartbeats.previousLatest = nil
            heartbeats.ignoredUntil = now + configuration.heartbeatDistrust
        } else {
            let batchEnd = position.sequence.addingSaturating(UInt64(configuration.replayBatchSize))
            announced = max(announced ?? 0, min(answer.latest, batchEnd))
        }
        if progressed, position.sequence < answer.latest, let request = requestReplay(.continue, now: now) {
            actions.append(.requestReplay(request))
        }
        return actions
    }
}
