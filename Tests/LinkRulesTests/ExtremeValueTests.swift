import Exchange
import LinkRules
import Testing

/// Numbers a peer chooses (sequences, `latest`, `acknowledged`) at 0 and 2^64−1 never trap, and
/// what they trigger stays bounded.
@Suite("Extreme values")
struct ExtremeValueTests {
    static let edges: [UInt64] = [0, 1, 2, 255, 256, 257, .max / 2, .max - 257, .max - 256, .max - 2, .max - 1, .max]

    @Test("envelopes of every edge sequence at every edge position are classified without trapping", arguments: edges)
    func envelopesAtEdges(position: UInt64) {
        for sequence in Self.edges where sequence > 0 {
            var recipient = Recipient(Fixture.rules(at: position, batch: 10_000))
            let action = recipient.receive(Fixture.envelope(sequence))
            if sequence <= position {
                #expect(action == .acknowledgeAgain || action == .rejectConflict)
            } else if sequence == position + 1 {
                #expect(action == .next)
                #expect(recipient.rules.position.sequence == sequence)
            } else if case .gap(let missing, let replay) = action {
                #expect(missing == (position + 1)...(sequence - 1))
                #expect(replay.map { $0.audited.count <= 10_000 } ?? false)
            } else {
                Issue.record("\(sequence) after \(position): \(action)")
            }
        }
    }

    @Test("at 2^64−1 every sequence is held or a conflict; a replay asks after 2^64−1 for the one sequence 2^64−1", arguments: [UInt64.max])
    func lastPosition(position: UInt64) {
        var recipient = Recipient(Fixture.rules(at: position))
        #expect(recipient.receive(Fixture.envelope(.max, fork: 1)) == .rejectConflict)
        #expect(recipient.rules.requestReplay(.start, now: Fixture.at(0)) == ReplayRequest(after: .max, audited: UInt64.max...UInt64.max, reason: .start))
        #expect(throws: InboundLinkError.self) { try recipient.rules.take(Fixture.envelope(.max), status: .accepted, replayed: false) }
    }

    @Test("heartbeats and answers at the edges never trap and never audit more than one batch", arguments: edges)
    func hintsAtEdges(position: UInt64) {
        var rules = Fixture.rules(at: position, batch: 256)
        var second = 0.0
        for latest in Self.edges {
            for acknowledged in Self.edges {
                second += 0.5
                let actions = rules.heartbeatArrived(latest: latest, acknowledged: acknowledged, now: Fixture.at(second))
                for request in replayRequests(actions) {
                    #expect(request.after == position)
                    #expect(request.audited.count <= 256)
                }
                if acknowledged > position { #expect(refusals(actions) == [.implausibleClaim]) }
                _ = rules.tick(now: Fixture.at(second))
                _ = rules.replayAnswerArrived(latest: latest, envelopeCount: 0)
                for request in replayRequests(rules.replayAnswerIngested(now: Fixture.at(second))) { #expect(request.audited.count <= 256) }
            }
        }
        #expect(rules.position.sequence == position)
    }

    @Test("replay batch sizes are clamped to 1…10,000")
    func batchClamped() {
        #expect(LinkConfiguration(heartbeatInterval: .seconds(1), replayBatchSize: 0).replayBatchSize == 1)
        #expect(LinkConfiguration(heartbeatInterval: .seconds(1), replayBatchSize: -5).replayBatchSize == 1)
        #expect(LinkConfiguration(heartbeatInterval: .seconds(1), replayBatchSize: .max).replayBatchSize == 10_000)
    }

    @Test("receipts at the edge sequences are refused or kept without trapping", arguments: edges)
    func receiptsAtEdges(sequence: UInt64) {
        var rules = OutboundLinkStateMachine(link: Fixture.outboundLink, configuration: .standard)
        let receipt = Receipt(
            link: Fixture.outboundLink, sequence: sequence, envelopeHash: Fixture.hash(sequence), receivedAt: Timestamp(millisecondsSinceEpoch: 0),
            status: .accepted)
        let verdict = rules.receiptArrived(receipt) { SentEnvelope(sequence: $0, hash: Fixture.hash($0)) }
        #expect(verdict == .keep)
        rules.receiptStored(receipt)
        #expect(rules.acknowledged == sequence)
        #expect(rules.replayRequested(after: sequence, now: Fixture.at(0)) == .answer)
        rules.answerSent(after: sequence, last: .max, queued: true, now: Fixture.at(0))
        _ = rules.replayRequested(after: .max, now: Fixture.at(0))
    }
}
