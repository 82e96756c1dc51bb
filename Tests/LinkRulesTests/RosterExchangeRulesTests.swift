import Exchange
import LinkRules
import Testing

/// The rules of roster requests (docs/PROTOCOL.md §16.3, "Rosters"), on a clock the test turns.
/// (`#expect` cannot call a mutating method, so each decision is taken first, then checked.)
@Suite("Roster requests: asking and answering")
struct RosterExchangeRulesTests {
    let start = ContinuousClock.now
    let dz = try! StateCode("DZ")
    let tn = try! StateCode("TN")

    @Test("one request in flight per source; an answer is taken once, only when asked, and not after the timeout")
    func asking() {
        var rules = RosterExchangeRules()
        var taken = rules.takeAnswer(from: dz, now: start)
        #expect(!taken, "an answer nobody asked for was taken")
        var ask = rules.shouldAsk(dz, now: start)
        #expect(ask)
        ask = rules.shouldAsk(dz, now: start + .seconds(1))
        #expect(!ask, "asked again while a request is in flight")
        ask = rules.shouldAsk(tn, now: start + .seconds(1))
        #expect(ask, "sources are independent")
        taken = rules.takeAnswer(from: dz, now: start + .seconds(2))
        #expect(taken)
        taken = rules.takeAnswer(from: dz, now: start + .seconds(2))
        #expect(!taken, "a second answer to one request was taken")
        // Unanswered for the timeout: asked again, and an answer after the timeout is refused.
        ask = rules.shouldAsk(tn, now: start + .seconds(1) + RosterExchangeRules.answerTimeout)
        #expect(ask)
        taken = rules.takeAnswer(from: tn, now: start + .seconds(1) + RosterExchangeRules.answerTimeout * 2)
        #expect(!taken)
        // A request that could not be sent is not in flight.
        ask = rules.shouldAsk(dz, now: start + .seconds(30))
        #expect(ask)
        rules.requestNotSent(to: dz)
        taken = rules.takeAnswer(from: dz, now: start + .seconds(30))
        #expect(!taken)
        ask = rules.shouldAsk(dz, now: start + .seconds(30))
        #expect(ask)
    }

    @Test(
        "answers: the roster to an older holder, the version to the others, spaced per peer; the roster at most every 10 s"
    )
    func answering() {
        var rules = RosterExchangeRules()
        var answer = rules.answer(dz, requesterVersion: 3, installedVersion: 4, now: start)
        #expect(answer == .roster)
        answer = rules.answer(dz, requesterVersion: 3, installedVersion: 4, now: start + .milliseconds(100))
        #expect(answer.isThrottle, "a second request within the answer spacing was answered")
        answer = rules.answer(tn, requesterVersion: 3, installedVersion: 4, now: start + .milliseconds(100))
        #expect(answer == .roster, "peers are independent")
        answer = rules.answer(dz, requesterVersion: 3, installedVersion: 4, now: start + .seconds(1))
        #expect(answer.isThrottle, "the whole roster was sent again within 10 s")
        answer = rules.answer(dz, requesterVersion: 4, installedVersion: 4, now: start + .seconds(2))
        #expect(answer == .versionOnly)
        answer = rules.answer(dz, requesterVersion: 9, installedVersion: 4, now: start + .seconds(3))
        #expect(answer == .versionOnly)
        answer = rules.answer(
            dz, requesterVersion: 3, installedVersion: 4, now: start + RosterExchangeRules.minimumRosterSpacing)
        #expect(answer == .roster)
    }

    @Test("peers that left the roster are forgotten")
    func forgetting() {
        var rules = RosterExchangeRules()
        _ = rules.shouldAsk(dz, now: start)
        var answer = rules.answer(dz, requesterVersion: 1, installedVersion: 2, now: start)
        #expect(answer == .roster)
        rules.keepOnly([tn])
        let taken = rules.takeAnswer(from: dz, now: start)
        #expect(!taken)
        answer = rules.answer(dz, requesterVersion: 1, installedVersion: 2, now: start + .milliseconds(1))
        #expect(answer == .roster)
    }
}

extension RosterExchangeRules.Answer {
    fileprivate var isThrottle: Bool {
        if case .throttle = self { return true }
        return false
    }
}
