import Exchange
import LinkRules
import Testing

/// The pull rules of docs/PROTOCOL.md §17.3 on a clock the test turns (instants from
/// ``Fixture/start``): the window, lowest indices first, timeouts, refusals, the pause after
/// failures, the rate cap, resuming with held chunks. (`#expect` cannot call a mutating method,
/// so each decision is taken first, then checked.)
@Suite("Attachment pull: window, timeouts, pause, rate")
struct AttachmentPullTests {
    static let chunk = UInt64(AttachmentCipher.chunkByteCount)

    /// An attachment of `chunks` full chunks and a last one of `lastBytes` bytes.
    static func attachment(chunks: UInt64, lastBytes: UInt64 = 100, number: UInt16 = 1) -> AttachmentBinding {
        // 16 bytes: a valid id by construction.
        let id = try! BulletinID(bytes: [UInt8](repeating: 0, count: 15) + [7])
        return AttachmentBinding(bulletinID: id, number: number, size: (chunks - 1) * chunk + lastBytes)
    }

    /// Every chunk of `asked` arrives and opens.
    static func deliver(_ asked: [UInt64], to pull: inout AttachmentPull) {
        for index in asked {
            let taken = pull.chunkArrived(index)
            #expect(taken, "chunk \(index) was asked")
            pull.chunkStored(index)
        }
    }

    @Test("at most 4 chunks are asked and unanswered; each answer frees one place")
    func window() {
        var pull = AttachmentPull()
        #expect(pull.window == 4)
        pull.start(Self.attachment(chunks: 10), held: [])
        var asked = pull.requests(now: Fixture.at(0))
        #expect(asked == [0, 1, 2, 3])
        asked = pull.requests(now: Fixture.at(1))
        #expect(asked == [], "asked beyond the window")
        let taken = pull.chunkArrived(1)
        #expect(taken)
        pull.chunkStored(1)
        asked = pull.requests(now: Fixture.at(1))
        #expect(asked == [4])
        Self.deliver([0, 2], to: &pull)
        asked = pull.requests(now: Fixture.at(1.5))
        #expect(asked == [5, 6])
        // A window of 1 asks one at a time; a window below 1 is taken as 1.
        var narrow = AttachmentPull(window: 0)
        #expect(narrow.window == 1)
        narrow.start(Self.attachment(chunks: 3), held: [])
        asked = narrow.requests(now: Fixture.at(0))
        #expect(asked == [0])
    }

    @Test("the lowest indices go first, also when a refused chunk is asked again")
    func lowestFirst() {
        var pull = AttachmentPull()
        pull.start(Self.attachment(chunks: 12), held: [])
        var asked = pull.requests(now: Fixture.at(0))
        #expect(asked == [0, 1, 2, 3])
        Self.deliver([0, 1, 3], to: &pull)
        let taken = pull.chunkArrived(2)
        #expect(taken)
        pull.chunkRefused(2, now: Fixture.at(0.5))
        asked = pull.requests(now: Fixture.at(0.5))
        #expect(asked == [2, 4, 5, 6])
        #expect(pull.held == 3)
    }

    @Test("resuming: the chunks already held are never asked, and they count as held")
    func resume() {
        var pull = AttachmentPull()
        let held: Set<UInt64> = [0, 2, 5, 7]
        pull.start(Self.attachment(chunks: 8), held: held)
        #expect(pull.held == 4)
        #expect(!pull.isComplete)
        var all: [UInt64] = []
        for step in 0..<10 {
            let asked = pull.requests(now: Fixture.at(Double(step)))
            all += asked
            Self.deliver(asked, to: &pull)
        }
        #expect(all == [1, 3, 4, 6])
        #expect(pull.isComplete)
        // Indices past the end in the held set do not count.
        pull.start(Self.attachment(chunks: 3), held: [1, 9, 10])
        #expect(pull.held == 1)
        let asked = pull.requests(now: Fixture.at(20))
        #expect(asked == [0, 2])
        // Everything held: complete at once, nothing asked.
        pull.start(Self.attachment(chunks: 3), held: [0, 1, 2])
        #expect(pull.isComplete)
        let none = pull.requests(now: Fixture.at(21))
        #expect(none == [])
    }

    @Test(
        "an answer to a chunk not asked is not taken, nor a second answer; a late one is taken while the chunk is still missing"
    )
    func notAsked() {
        var pull = AttachmentPull()
        var taken = pull.chunkArrived(0)
        #expect(!taken, "taken before any attachment")
        pull.start(Self.attachment(chunks: 10), held: [])
        taken = pull.chunkArrived(0)
        #expect(!taken, "taken before it was asked")
        let asked = pull.requests(now: Fixture.at(0))
        #expect(asked == [0, 1, 2, 3])
        taken = pull.chunkArrived(8)
        #expect(!taken, "a chunk outside the window was taken")
        taken = pull.chunkArrived(2)
        #expect(taken)
        taken = pull.chunkArrived(2)
        #expect(!taken, "a second answer to one request was taken")
        // Timed out and asked again: the first answer to come is taken, the second is a repeat
        // (dropped without blame), and a chunk never asked stays unasked.
        let again = pull.requests(now: Fixture.at(5))
        #expect(again == [0, 1, 3, 4])
        var arrival = pull.arrival(of: 0)
        #expect(arrival == .asked)
        arrival = pull.arrival(of: 0)
        #expect(arrival == .repeated)
        arrival = pull.arrival(of: 9)
        #expect(arrival == .unasked)
        // Timed out and not asked again (the 8th failure in a row pauses the pull): a late
        // answer is still wanted and taken once; it is not asked again afterwards.
        var paused = AttachmentPull()
        paused.start(Self.attachment(chunks: 10), held: [])
        _ = paused.requests(now: Fixture.at(0))
        _ = paused.requests(now: Fixture.at(5))
        let none = paused.requests(now: Fixture.at(10))
        #expect(none == [])
        for index: UInt64 in 0...3 {
            arrival = paused.arrival(of: index)
            #expect(arrival == .late, "chunk \(index), answered after its timeout")
            paused.chunkStored(index)
            arrival = paused.arrival(of: index)
            #expect(arrival == .repeated, "chunk \(index) answered twice after its timeout")
        }
        let afterPause = paused.requests(now: Fixture.at(41))
        #expect(!afterPause.contains { $0 <= 3 }, "a chunk taken late was asked again: \(afterPause)")
        arrival = paused.arrival(of: 9)
        #expect(arrival == .unasked)
    }

    @Test("chunks unanswered for the timeout (5 s) are asked again, lowest first, and counted")
    func timeouts() {
        var pull = AttachmentPull()
        #expect(pull.timeout == .seconds(5))
        pull.start(Self.attachment(chunks: 10), held: [])
        var asked = pull.requests(now: Fixture.at(0))
        #expect(asked == [0, 1, 2, 3])
        Self.deliver([1], to: &pull)
        asked = pull.requests(now: Fixture.at(2))
        #expect(asked == [4])
        asked = pull.requests(now: Fixture.at(4.999))
        #expect(asked == [])
        asked = pull.requests(now: Fixture.at(5))
        #expect(asked == [0, 2, 3])
        #expect(pull.timeouts == 3)
        #expect(pull.failuresInARow == 3)
        // Chunk 4, asked at 2 s, times out at 7 s.
        asked = pull.requests(now: Fixture.at(6.9))
        #expect(asked == [])
        asked = pull.requests(now: Fixture.at(7))
        #expect(asked == [4])
        #expect(pull.timeouts == 4)
        // A stored chunk ends the run of failures.
        Self.deliver([0], to: &pull)
        #expect(pull.failuresInARow == 0)
        // A shorter timeout.
        var quick = AttachmentPull(timeout: .milliseconds(500))
        quick.start(Self.attachment(chunks: 2), held: [])
        asked = quick.requests(now: Fixture.at(0))
        #expect(asked == [0, 1])
        asked = quick.requests(now: Fixture.at(0.5))
        #expect(asked == [0, 1])
    }

    @Test("a chunk that did not open is asked again, and counts as a failure")
    func refusedAskedAgain() {
        var pull = AttachmentPull()
        pull.start(Self.attachment(chunks: 2), held: [])
        var asked = pull.requests(now: Fixture.at(0))
        #expect(asked == [0, 1])
        let taken = pull.chunkArrived(1)
        #expect(taken)
        pull.chunkRefused(1, now: Fixture.at(0.1))
        #expect(pull.failuresInARow == 1)
        #expect(pull.held == 0)
        asked = pull.requests(now: Fixture.at(0.1))
        #expect(asked == [1])
        Self.deliver([0, 1], to: &pull)
        #expect(pull.isComplete)
        #expect(pull.failuresInARow == 0)
    }

    /// The engine calls ``AttachmentPull/chunkRefused(_:now:)`` also for a request it could not
    /// send (NodeEngine+AttachmentTransfer.swift, a full DEALER queue): no answer will come, so
    /// the chunk must not keep its place in the window until its timeout and fail a second time
    /// then — four unsent requests would otherwise make the 8 failures that pause the link 30 s.
    @Test("a chunk refused before any answer (its request was not sent) leaves the window and fails once")
    func refusedBeforeAnswer() {
        var pull = AttachmentPull()
        pull.start(Self.attachment(chunks: 10), held: [])
        var asked = pull.requests(now: Fixture.at(0))
        #expect(asked == [0, 1, 2, 3])
        for index in asked { pull.chunkRefused(index, now: Fixture.at(0)) }
        #expect(pull.failuresInARow == 4)
        asked = pull.requests(now: Fixture.at(0.1))
        #expect(asked == [0, 1, 2, 3], "the unsent requests still hold the window")
        // 5 s after the unsent requests, 4.9 s after the ones sent: nothing has timed out yet,
        // and the link is not paused.
        asked = pull.requests(now: Fixture.at(5))
        #expect(
            pull.timeouts == 0 && pull.failuresInARow == 4, "unsent requests timed out as well: paused by 8 failures")
    }

    @Test("8 failures in a row pause the pull for 30 s, then it asks again")
    func pauseAfterTimeouts() {
        #expect(AttachmentPull.failuresBeforePause == 8)
        #expect(AttachmentPull.pauseAfterFailures == .seconds(30))
        var pull = AttachmentPull()
        pull.start(Self.attachment(chunks: 10), held: [])
        var asked = pull.requests(now: Fixture.at(0))
        #expect(asked == [0, 1, 2, 3])
        asked = pull.requests(now: Fixture.at(5))  // 4 failures
        #expect(asked == [0, 1, 2, 3])
        asked = pull.requests(now: Fixture.at(10))  // 8 failures: paused until 40 s
        #expect(asked == [])
        #expect(pull.failuresInARow == 0)
        #expect(pull.timeouts == 8)
        for second in [11.0, 20, 39.999] {
            asked = pull.requests(now: Fixture.at(second))
            #expect(asked == [], "asked at \(second) s, during the pause")
        }
        asked = pull.requests(now: Fixture.at(40))
        #expect(asked == [0, 1, 2, 3])
        Self.deliver(asked, to: &pull)
        asked = pull.requests(now: Fixture.at(40.1))
        #expect(asked == [4, 5, 6, 7])
    }

    @Test("8 refused chunks in a row pause the pull too; a stored chunk in between resets the run")
    func pauseAfterRefusals() {
        var pull = AttachmentPull(window: 1)
        pull.start(Self.attachment(chunks: 3), held: [])
        var now = 0.0
        func refuseNext() {
            let asked = pull.requests(now: Fixture.at(now))
            #expect(asked == [0], "at \(now) s")
            let taken = pull.chunkArrived(0)
            #expect(taken)
            pull.chunkRefused(0, now: Fixture.at(now))
            now += 0.1
        }
        for _ in 0..<7 { refuseNext() }
        #expect(pull.failuresInARow == 7)
        var asked = pull.requests(now: Fixture.at(now))
        #expect(asked == [0])
        Self.deliver([0], to: &pull)
        #expect(pull.failuresInARow == 0)
        // Now chunk 1: eight refusals in a row.
        for _ in 0..<8 {
            asked = pull.requests(now: Fixture.at(now))
            #expect(asked == [1])
            let taken = pull.chunkArrived(1)
            #expect(taken)
            pull.chunkRefused(1, now: Fixture.at(now))
        }
        let pausedAt = now
        asked = pull.requests(now: Fixture.at(pausedAt + 29.9))
        #expect(asked == [])
        asked = pull.requests(now: Fixture.at(pausedAt + 30))
        #expect(asked == [1])
    }

    @Test("at 65,536 bytes/s about one chunk a second is asked over 10 s, however fast answers come")
    func rateCap() {
        var pull = AttachmentPull(bytesPerSecond: 65_536)
        #expect(pull.bytesPerSecond == 65_536)
        pull.start(Self.attachment(chunks: 100), held: [])
        var total = 0
        var perSecond: [Int: Int] = [:]
        for step in 0...100 {  // 0 … 10 s in steps of 100 ms
            let asked = pull.requests(now: Fixture.at(Double(step) / 10))
            total += asked.count
            perSecond[step / 10, default: 0] += asked.count
            Self.deliver(asked, to: &pull)
        }
        // One at the start (a second's allowance), then one per second.
        #expect((10...12).contains(total), "\(total) chunks asked in 10 s at one chunk per second")
        #expect(perSecond.values.allSatisfy { $0 <= 2 }, "\(perSecond)")
    }

    @Test("without a cap only the window bounds what is asked")
    func noCap() {
        var pull = AttachmentPull()
        #expect(pull.bytesPerSecond == 0)
        pull.start(Self.attachment(chunks: 100), held: [])
        var total = 0
        var steps = 0
        for step in 0...100 where !pull.isComplete {
            let asked = pull.requests(now: Fixture.at(Double(step) / 10))
            #expect(asked.count == min(4, 100 - total))
            total += asked.count
            steps += 1
            Self.deliver(asked, to: &pull)
        }
        #expect(total == 100)
        #expect(steps == 25)
        #expect(pull.isComplete)
        // With answers that never come, 4 and no more.
        var stalled = AttachmentPull(bytesPerSecond: 0)
        stalled.start(Self.attachment(chunks: 100), held: [])
        var asked = stalled.requests(now: Fixture.at(0))
        #expect(asked.count == 4)
        asked = stalled.requests(now: Fixture.at(4))
        #expect(asked.isEmpty)
    }

    @Test("a cap below a chunk per second still moves, one chunk at a time")
    func slowCap() {
        var pull = AttachmentPull(bytesPerSecond: 16_384)
        pull.start(Self.attachment(chunks: 20), held: [])
        var askedAt: [Double] = []
        for step in 0...200 {  // 0 … 20 s in steps of 100 ms
            let now = Double(step) / 10
            let asked = pull.requests(now: Fixture.at(now))
            #expect(asked.count <= 1)
            askedAt += asked.map { _ in now }
            Self.deliver(asked, to: &pull)
        }
        // 16,384 bytes/s is one 64 KiB chunk every 4 s; the first after 3 s (a quarter second's
        // allowance at the start).
        #expect((4...6).contains(askedAt.count), "\(askedAt)")
        #expect(askedAt.first.map { $0 >= 2.9 && $0 <= 4.1 } == true, "\(askedAt)")
        // The last chunk (100 bytes) costs only its bytes.
        var small = AttachmentPull(bytesPerSecond: 1_000)
        small.start(
            AttachmentBinding(bulletinID: Self.attachment(chunks: 1).bulletinID, number: 1, size: 100), held: [])
        let asked = small.requests(now: Fixture.at(0))
        #expect(asked == [0])
    }

    @Test("complete once every chunk is stored, not before; finish forgets the attachment")
    func completeAndFinish() {
        var pull = AttachmentPull()
        #expect(!pull.isComplete)
        #expect(pull.current == nil)
        var asked = pull.requests(now: Fixture.at(0))
        #expect(asked == [], "asked with no attachment")
        let attachment = Self.attachment(chunks: 5)
        pull.start(attachment, held: [])
        #expect(pull.current == attachment)
        asked = pull.requests(now: Fixture.at(0))
        Self.deliver(asked, to: &pull)
        #expect(!pull.isComplete)
        asked = pull.requests(now: Fixture.at(0.1))
        #expect(asked == [4])
        Self.deliver(asked, to: &pull)
        #expect(pull.isComplete)
        #expect(pull.held == 5)
        asked = pull.requests(now: Fixture.at(0.2))
        #expect(asked == [])
        pull.finish()
        #expect(pull.current == nil && pull.held == 0 && !pull.isComplete)
        asked = pull.requests(now: Fixture.at(0.3))
        #expect(asked == [])
    }

    @Test("restart asks every chunk again; answers to the requests before it are not taken")
    func restart() {
        var pull = AttachmentPull()
        pull.start(Self.attachment(chunks: 6), held: [1, 2])
        var asked = pull.requests(now: Fixture.at(0))
        #expect(asked == [0, 3, 4, 5])
        Self.deliver([0, 3], to: &pull)
        pull.restart()
        #expect(pull.held == 0 && !pull.isComplete)
        let taken = pull.chunkArrived(4)
        #expect(!taken, "an answer to a request made before the restart was taken")
        asked = pull.requests(now: Fixture.at(0.1))
        #expect(asked == [0, 1, 2, 3])
        Self.deliver(asked, to: &pull)
        asked = pull.requests(now: Fixture.at(0.2))
        #expect(asked == [4, 5])
        Self.deliver(asked, to: &pull)
        #expect(pull.isComplete)
        // With nothing pulled, restart does nothing.
        var idle = AttachmentPull()
        idle.restart()
        #expect(idle.current == nil)
    }

    @Test(
        "generated runs of arrivals, refusals, timeouts and stray answers", arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func generatedRuns(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let window = Int(random.below(6)) + 1
        let timeout = Duration.milliseconds(500 + Int64(random.below(4_500)))
        let count = random.below(40) + 1
        var pull = AttachmentPull(window: window, timeout: timeout, bytesPerSecond: random.below(2) == 0 ? 0 : 200_000)
        var held = Set((0..<count).filter { _ in random.below(4) == 0 })
        pull.start(Self.attachment(chunks: count, lastBytes: random.below(Self.chunk) + 1), held: held)
        // The chunks asked and not answered, as the rules keep them: a timeout is noticed when
        // requests are made.
        var outstanding: [UInt64: ContinuousClock.Instant] = [:]
        // Chunks whose answer timed out: a late answer is taken while the chunk is not held.
        var timedOut: Set<UInt64> = []
        var now = Fixture.start
        var steps = 0
        while !pull.isComplete, steps < 20_000 {
            steps += 1
            now += .milliseconds(Int64(random.below(1_500)))
            for (index, askedAt) in outstanding where now - askedAt >= timeout { timedOut.insert(index) }
            outstanding = outstanding.filter { now - $0.value < timeout }
            let asked = pull.requests(now: now)
            for index in asked {
                #expect(index < count, "seed \(seed): chunk \(index) of \(count)")
                #expect(!held.contains(index), "seed \(seed): held chunk \(index) asked")
                #expect(outstanding[index] == nil, "seed \(seed): chunk \(index) asked twice")
                outstanding[index] = now
            }
            #expect(outstanding.count <= window, "seed \(seed): \(outstanding.count) in flight, window \(window)")
            for (index, _) in outstanding.sorted(by: { $0.key < $1.key }) {
                switch random.below(10) {
                case 0...5:
                    let taken = pull.chunkArrived(index)
                    #expect(taken, "seed \(seed): chunk \(index) asked, its answer not taken")
                    outstanding[index] = nil
                    pull.chunkStored(index)
                    held.insert(index)
                case 6:
                    let taken = pull.chunkArrived(index)
                    #expect(taken)
                    outstanding[index] = nil
                    pull.chunkRefused(index, now: now)
                default:
                    break  // lost: it times out
                }
            }
            // A stray answer: a chunk not asked is never taken; a late one is, until it is held.
            let stray = random.below(count + 5)
            if outstanding[stray] == nil {
                let late = timedOut.contains(stray) && !held.contains(stray)
                let taken = pull.chunkArrived(stray)
                #expect(taken == late, "seed \(seed): chunk \(stray), late \(late), taken \(taken)")
                if taken {
                    pull.chunkStored(stray)
                    held.insert(stray)
                }
            }
            #expect(pull.held == UInt64(held.count), "seed \(seed)")
        }
        #expect(pull.isComplete, "seed \(seed): not complete after \(steps) steps")
        #expect(held.count == Int(count))
    }
}
