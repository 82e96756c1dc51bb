import Exchange
import LinkRules
import Testing

/// Seeded random runs of events (envelopes of the chain and of a fork, re-deliveries, gaps,
/// heartbeats with any numbers, replay answers, commits that fail, connection events, time),
/// each checked against the rules' invariants after every event. Deterministic: a failing case
/// names its seed and step, and the same seed replays the same run.
@Suite("Generated event runs")
struct GeneratedEventTests {
    static let seeds: [UInt64] = Array(1...400)
    static let batchSize = 64
    static let heartbeatInterval = Duration.seconds(2)

    /// What one event did, beyond its actions.
    struct Step {
        var taken = 0
        var rolledBack = false
        /// A heartbeat or an envelope: may ask for a replay only when none is in flight.
        var hint = false
        var heartbeat = false
    }

    /// What the run has seen so far, to check the next event against.
    struct Watch {
        var lastHeartbeatReplay: ContinuousClock.Instant?
        var lastReceiptResend: ContinuousClock.Instant?
        var lastLossReset: ContinuousClock.Instant?
        var storedPosition: UInt64 = 0
    }

    @Test("invariants hold over 400 seeded runs of 300 events", arguments: seeds)
    func run(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var recipient = Recipient(Fixture.rules(heartbeat: Self.heartbeatInterval, batch: Self.batchSize))
        var watch = Watch()
        var clock = 0.0
        var announcedByOrigin: UInt64 = 0

        for index in 0..<300 {
            clock += Double(random.below(2_500)) / 1_000
            let now = Fixture.at(clock)
            let before = recipient.rules
            let position = before.position.sequence
            var actions: [InboundLinkAction] = []
            var step = Step()
            let label = Comment(rawValue: "seed \(seed) step \(index)")
            switch random.below(12) {
            case 0, 1, 2:  // the next envelope, or one of a fork (chained to another envelope)
                let fork: UInt8 = position > 0 && random.below(5) == 0 ? 1 : 0
                let action = recipient.receive(Fixture.envelope(position + 1, fork: fork), now: now)
                #expect((action == .next) == (fork == 0), label)
                step.taken = action == .next ? 1 : 0
                step.hint = true
            case 3:  // a re-delivery or a conflict
                guard position > 0 else { continue }
                let sequence = random.below(position) + 1
                let action = recipient.receive(Fixture.envelope(sequence, fork: UInt8(random.below(2))), now: now)
                #expect(action == .acknowledgeAgain || action == .rejectConflict, label)
                step.hint = true
            case 4:  // a gap, up to 2^64−1
                let ahead = ([2, 3, 100, UInt64.max - position] as [UInt64]).randomElement(using: &random) ?? 2
                let sequence = position.addingSaturating(max(ahead, 2))
                if case .gap(let missing, let replay) = recipient.receive(Fixture.envelope(sequence), now: now) {
                    #expect(missing.lowerBound == position + 1 && missing.upperBound == sequence - 1, label)
                    if let replay { actions.append(.requestReplay(replay)) }
                } else {
                    Issue.record(label)
                }
                step.hint = true
            case 5, 6:  // a heartbeat, honest or not
                let latest = ([position, position + 3, announcedByOrigin, .max] as [UInt64]).randomElement(using: &random) ?? 0
                let acknowledged = ([0, position / 2, position, position + 1, .max] as [UInt64]).randomElement(using: &random) ?? 0
                announcedByOrigin = max(announcedByOrigin, latest)
                actions = recipient.rules.heartbeatArrived(latest: latest, acknowledged: acknowledged, now: now)
                if acknowledged > position { #expect(actions.count == 1 && refusals(actions) == [.implausibleClaim], label) }
                step.hint = true
                step.heartbeat = true
            case 7:  // a replay answer with some of what follows, stored or not
                let count = Int(random.below(4))
                guard recipient.rules.replayAnswerArrived(latest: announcedByOrigin, envelopeCount: count) == .ingest else { continue }
                #expect(recipient.rules.replayRequestedAt == nil, label)
                for offset in 0..<UInt64(count) {
                    if recipient.receive(Fixture.envelope(position + 1 + offset), replayed: true, now: now) == .next { step.taken += 1 }
                }
                step.rolledBack = commit(&recipient, &watch, failing: random.below(6) == 0, label: label)
                actions = recipient.rules.replayAnswerIngested(now: now)
            case 8:
                step.rolledBack = commit(&recipient, &watch, failing: random.below(4) == 0, label: label)
            case 9:  // connection events
                let connection: InboundLinkStateMachine.Connection = random.below(2) == 0 ? .subscriber : .requester
                switch random.below(3) {
                case 0: recipient.rules.connectionClosed(connection, now: now)
                case 1: actions = recipient.rules.handshakeFailed(connection, now: now)
                default: recipient.rules.connectionReopened(connection)
                }
            case 10:
                if random.below(2) == 0 { recipient.rules.replayRequestNotSent() }
                actions = recipient.rules.tick(now: now)
            default:
                actions = recipient.rules.tick(now: now)
                if !resets(actions).isEmpty, random.below(2) == 0 {
                    actions += recipient.rules.socketsReplaced(now: now)
                }
            }
            check(actions, step, before: before, after: recipient.rules, now: now, watch: &watch, label: label)
        }
    }

    /// Commits the batch (or fails to); whether it rolled back.
    func commit(_ recipient: inout Recipient, _ watch: inout Watch, failing: Bool, label: Comment) -> Bool {
        if failing {
            recipient.failCommit()
            #expect(recipient.rules.position.sequence == watch.storedPosition, label)
            return true
        }
        let position = recipient.rules.position
        let sent = recipient.commit()
        // A receipt names an envelope the link holds, or one refused against it: a conflict below
        // the position, a broken chain right after it.
        for receipt in sent {
            let limit = receipt.status == .rejected(.chainBroken) ? position.sequence + 1 : position.sequence
            #expect(receipt.sequence <= limit, label)
        }
        #expect(sent.filter { $0.status == .accepted }.count <= 1, label)
        watch.storedPosition = position.sequence
        return false
    }

    func check(
        _ actions: [InboundLinkAction], _ step: Step, before: InboundLinkStateMachine, after: InboundLinkStateMachine,
        now: ContinuousClock.Instant, watch: inout Watch, label: Comment
    ) {
        // The position moves forward by exactly one per envelope taken, or back to what is stored.
        if step.rolledBack {
            #expect(after.position.sequence == watch.storedPosition, label)
        } else {
            #expect(after.position.sequence == before.position.sequence + UInt64(step.taken), label)
        }
        // Never more than one replay request in flight, each audited for one batch at most.
        let requests = replayRequests(actions)
        if step.hint { #expect(requests.isEmpty || before.replayRequestedAt == nil, label) }
        #expect(requests.count <= 2, label)  // a retry, then a request on new sockets, at most
        for request in requests {
            #expect(request.audited.count <= Self.batchSize, label)
            #expect(request.audited.lowerBound == request.after.addingSaturating(1), label)
        }
        if !requests.isEmpty { #expect(after.replayRequestedAt != nil, label) }
        if step.heartbeat {
            if !requests.isEmpty {
                if let last = watch.lastHeartbeatReplay { #expect(now - last >= .seconds(3), label) }
                watch.lastHeartbeatReplay = now
            }
            let sent = receipts(actions)
            if !sent.isEmpty {
                if let last = watch.lastReceiptResend { #expect(now - last >= Self.heartbeatInterval, label) }
                watch.lastReceiptResend = now
                #expect(sent == [after.cumulativeReceipt].compactMap { $0 }, label)
            }
        } else {
            #expect(receipts(actions).isEmpty, label)  // receipts leave with a commit, or for a heartbeat
        }
        let lossResets = resets(actions).filter { $0 == .connectionClosed }
        #expect(lossResets.count <= 1, label)
        if !lossResets.isEmpty {
            if let last = watch.lastLossReset { #expect(now - last >= .seconds(5), label) }
            watch.lastLossReset = now
        }
    }
}
