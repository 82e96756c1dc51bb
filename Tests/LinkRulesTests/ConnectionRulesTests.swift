import Exchange
import LinkRules
import Testing

/// docs/PROTOCOL.md §16.4 "Reconnecting": a connection lost for good (1 s grace, one reset per
/// 5 s, `protocolError` once per loss) and an origin fallen silent (3 intervals, 30 s at least).
@Suite("Connection rules: lost connections, silence, handshakes")
struct ConnectionRulesTests {
    @Test("a connection not reopened within 1 s gets new sockets, counted once per loss, retried every 5 s at most")
    func lostConnection() {
        var rules = Fixture.rules(at: 4)
        rules.connectionClosed(.requester, now: Fixture.at(0))
        #expect(rules.tick(now: Fixture.at(0.999)).isEmpty)
        let first = rules.tick(now: Fixture.at(1))
        #expect(refusals(first) == [.protocolError])
        #expect(resets(first) == [.connectionClosed])
        // The engine could not make new sockets: retried at the spacing, not counted again.
        #expect(rules.tick(now: Fixture.at(5.999)).isEmpty)
        let second = rules.tick(now: Fixture.at(6))
        #expect(refusals(second).isEmpty && resets(second) == [.connectionClosed])
        // New sockets: a replay after the position; no loss pending any more.
        #expect(replayRequests(rules.socketsReplaced(now: Fixture.at(6.1))) == [ReplayRequest(after: 4, audited: 5...5, reason: .reconnected)])
        #expect(rules.resets == 1)
        #expect(rules.tick(now: Fixture.at(20)).isEmpty == false)  // the replay went unanswered: a retry
        #expect(resets(rules.tick(now: Fixture.at(40))).isEmpty)
    }

    @Test("a connection libzmq reopens within the grace costs nothing; each connection's loss is its own")
    func reopenedInTime() {
        var rules = Fixture.rules()
        rules.connectionClosed(.subscriber, now: Fixture.at(0))
        rules.connectionClosed(.requester, now: Fixture.at(0.2))
        rules.connectionReopened(.subscriber)
        #expect(rules.tick(now: Fixture.at(1.1)).isEmpty)
        #expect(resets(rules.tick(now: Fixture.at(1.2))) == [.connectionClosed])
    }

    @Test("a second loss after a reset is counted again")
    func secondLossCounted() {
        var rules = Fixture.rules()
        rules.connectionClosed(.subscriber, now: Fixture.at(0))
        #expect(refusals(rules.tick(now: Fixture.at(1))) == [.protocolError])
        _ = rules.socketsReplaced(now: Fixture.at(1))
        rules.replayRequestNotSent()
        rules.connectionClosed(.subscriber, now: Fixture.at(2))
        #expect(rules.tick(now: Fixture.at(3)).isEmpty)  // spacing: 5 s after the last reset
        #expect(refusals(rules.tick(now: Fixture.at(6))) == [.protocolError])
    }

    @Test("a failed handshake is a loss, warned about once a minute")
    func handshake() {
        var rules = Fixture.rules()
        #expect(rules.handshakeFailed(.subscriber, now: Fixture.at(0)) == [.warnHandshakeFailed])
        #expect(rules.handshakeFailed(.requester, now: Fixture.at(30)).isEmpty)
        #expect(rules.handshakeFailed(.subscriber, now: Fixture.at(60)) == [.warnHandshakeFailed])
        #expect(resets(rules.tick(now: Fixture.at(61))) == [.connectionClosed])
    }

    @Test("an origin without heartbeats is never reset for silence")
    func noHeartbeatsNoSilence() {
        var rules = Fixture.rules()
        for hour in 1...24 { #expect(rules.tick(now: Fixture.at(Double(hour) * 3_600)).isEmpty) }
    }

    @Test("silence longer than 30 s (three of our 2 s intervals is less) resets once per silence")
    func silenceMinimum() {
        var rules = Fixture.rules(heartbeat: .seconds(2))
        _ = rules.heartbeatArrived(latest: 0, acknowledged: 0, now: Fixture.at(0))
        #expect(rules.tick(now: Fixture.at(30)).isEmpty)
        #expect(resets(rules.tick(now: Fixture.at(30.001))) == [.silence])
        #expect(rules.tick(now: Fixture.at(120)).isEmpty)
    }

    @Test("silence is measured against three of the origin's observed intervals when longer")
    func silenceObservedInterval() {
        var rules = Fixture.rules(heartbeat: .seconds(2))
        _ = rules.heartbeatArrived(latest: 0, acknowledged: 0, now: Fixture.at(0))
        _ = rules.heartbeatArrived(latest: 0, acknowledged: 0, now: Fixture.at(20))
        #expect(rules.tick(now: Fixture.at(80)).isEmpty)
        #expect(resets(rules.tick(now: Fixture.at(80.001))) == [.silence])
    }

    @Test("a silence reset in a tick holds off a lost-connection reset of the same tick")
    func silenceThenLoss() {
        var rules = Fixture.rules()
        _ = rules.heartbeatArrived(latest: 0, acknowledged: 0, now: Fixture.at(0))
        rules.connectionClosed(.subscriber, now: Fixture.at(29))
        #expect(resets(rules.tick(now: Fixture.at(31))) == [.silence])
        #expect(resets(rules.tick(now: Fixture.at(35.999))).isEmpty)
        #expect(resets(rules.tick(now: Fixture.at(36))) == [.connectionClosed])
    }

    @Test("new sockets clear the request in flight, the silence watch and pending losses")
    func socketsReplaced() {
        var rules = Fixture.rules(at: 9)
        _ = rules.requestReplay(.start, now: Fixture.at(0))
        _ = rules.heartbeatArrived(latest: 9, acknowledged: 9, now: Fixture.at(0))
        rules.connectionClosed(.subscriber, now: Fixture.at(0))
        #expect(replayRequests(rules.socketsReplaced(now: Fixture.at(0.5))).map(\.reason) == [.reconnected])
        rules.replayRequestNotSent()
        #expect(rules.tick(now: Fixture.at(100)).isEmpty)
    }
}
