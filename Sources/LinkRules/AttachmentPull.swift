import Exchange

/// Which chunks of an origin's attachments to ask for, and when (docs/PROTOCOL.md §17.3): one
/// attachment at a time per link, at most ``window`` chunks asked and not yet answered, a chunk
/// asked again after ``timeout`` or when it did not open, and at most ``bytesPerSecond``
/// (when set) so that a slow link keeps room for bulletins. Events in, requests out: the
/// engine sends them, opens what comes back and stores it.
///
/// What a hostile origin can make a node hold is bounded here: only chunks asked for are taken
/// (``chunkArrived(_:)``), each at most ``AttachmentCipher/chunkByteCount`` plus its tag, and at
/// most ``window`` of them are in flight.
public struct AttachmentPull: Sendable {
    /// The most chunks asked and not yet answered.
    public let window: Int
    /// How long an asked chunk is waited for before it is asked again.
    public let timeout: Duration
    /// The most plaintext bytes asked per second (0: no cap).
    public let bytesPerSecond: Int
    /// After this many chunks in a row that did not come or did not open, the link waits
    /// ``pauseAfterFailures`` before it asks again.
    public static let failuresBeforePause = 8
    /// How long a link waits after ``failuresBeforePause`` failures in a row.
    public static let pauseAfterFailures = Duration.seconds(30)

    /// The attachment being pulled.
    public private(set) var current: AttachmentBinding?
    /// Chunk indices neither held nor asked, lowest first.
    private var missing: [UInt64] = []
    /// Asked chunks and when they were asked.
    private var outstanding: [UInt64: ContinuousClock.Instant] = [:]
    /// How many chunks of ``current`` are held.
    public private(set) var held: UInt64 = 0
    private var allowance: Double = 0
    private var lastRefill: ContinuousClock.Instant?
    /// Chunks in a row that timed out or did not open.
    public private(set) var failuresInARow = 0
    private var pausedUntil: ContinuousClock.Instant?
    /// Chunks asked again after their timeout, since the pull began (for metrics).
    public private(set) var timeouts = 0
    /// Chunks of ``current`` whose answer timed out, the newest ``rememberedTimeouts``: their
    /// late answer is no hostile claim.
    private var timedOut: [UInt64] = []
    /// How many timed-out chunks are remembered per attachment.
    public static let rememberedTimeouts = 256

    /// What an answer for a chunk is to the pull.
    public enum ChunkArrival: Sendable, Equatable {
        /// Asked and awaited: taken.
        case asked
        /// Asked, timed out and not held yet: a late answer, taken (it saves asking again).
        case late
        /// Asked twice (after a timeout) and already taken once: dropped, without blame.
        case repeated
        /// Never asked: refused (`implausibleClaim`).
        case unasked

        /// Whether the chunk is to be opened and stored.
        public var isTaken: Bool { self == .asked || self == .late }
    }

    /// Rules with these bounds.
    public init(window: Int = 4, timeout: Duration = .seconds(5), bytesPerSecond: Int = 0) {
        self.window = max(1, window)
        self.timeout = timeout
        self.bytesPerSecond = max(0, bytesPerSecond)
    }

    /// Starts pulling `attachment`, of which the chunks `held` are already stored (a restart
    /// resumes with the chunks it lacks).
    public mutating func start(_ attachment: AttachmentBinding, held heldChunks: Set<UInt64>) {
        current = attachment
        let count = attachment.chunkCount
        // A count the origin signed: bounded by the node's size limit before a pull starts.
        missing = (0..<count).filter { !heldChunks.contains($0) }
        held = count - UInt64(missing.count)
        outstanding = [:]
        timedOut = []
        failuresInARow = 0
        pausedUntil = nil
    }

    /// Whether every chunk of ``current`` is held.
    public var isComplete: Bool { current.map { held == $0.chunkCount } ?? false }

    /// Forgets ``current`` (finished, refused, or its bulletin gone).
    public mutating func finish() {
        current = nil
        missing = []
        outstanding = [:]
        timedOut = []
        held = 0
    }

    /// The chunks to ask for now: chunks whose answer is overdue go back to the queue first,
    /// then as many as the window and the rate allow, lowest index first.
    public mutating func requests(now: ContinuousClock.Instant) -> [UInt64] {
        guard let attachment = current else { return [] }
        for (index, askedAt) in outstanding where now - askedAt >= timeout {
            outstanding[index] = nil
            insertMissing(index)
            timeouts += 1
            if !timedOut.contains(index) {
                if timedOut.count >= Self.rememberedTimeouts { timedOut.removeFirst() }
                timedOut.append(index)
            }
            noteFailure(now: now)
        }
        if let pausedUntil, now < pausedUntil { return [] }
        pausedUntil = nil
        refill(now: now)
        var asked: [UInt64] = []
        while outstanding.count < window, let index = missing.first {
            let cost = Double(AttachmentCipher.plaintextLength(ofChunk: index, size: attachment.size) ?? 0)
            if bytesPerSecond > 0 {
                guard allowance >= cost else { break }
                allowance -= cost
            }
            missing.removeFirst()
            outstanding[index] = now
            asked.append(index)
        }
        return asked
    }

    /// Whether an answer for chunk `index` was asked for (and is no longer awaited once it is).
    public mutating func chunkArrived(_ index: UInt64) -> Bool {
        arrival(of: index).isTaken
    }

    /// What an answer for chunk `index` is: awaited, late but still wanted, a second answer to a
    /// chunk asked twice, or never asked. A taken chunk is no longer awaited.
    public mutating func arrival(of index: UInt64) -> ChunkArrival {
        if outstanding.removeValue(forKey: index) != nil { return .asked }
        guard timedOut.contains(index) else { return .unasked }
        if let place = missing.firstIndex(of: index) {
            missing.remove(at: place)
            return .late
        }
        return .repeated
    }

    /// A chunk that arrived did not open: it is asked again.
    public mutating func chunkRefused(_ index: UInt64, now: ContinuousClock.Instant) {
        outstanding[index] = nil
        insertMissing(index)
        noteFailure(now: now)
    }

    /// A request that could not be sent (the link's queue was full): the chunk is asked again
    /// later, and this is no failure of the origin's.
    public mutating func requestNotSent(_ index: UInt64) {
        outstanding[index] = nil
        insertMissing(index)
    }

    /// A chunk that opened is stored.
    public mutating func chunkStored(_ index: UInt64) {
        held += 1
        failuresInARow = 0
    }

    /// The chunks held did not make the file the body describes: every chunk is asked again.
    public mutating func restart() {
        guard let attachment = current else { return }
        start(attachment, held: [])
    }

    private mutating func insertMissing(_ index: UInt64) {
        let place = missing.firstIndex { $0 > index } ?? missing.endIndex
        if place == missing.startIndex || missing[place - 1] != index { missing.insert(index, at: place) }
    }

    private mutating func noteFailure(now: ContinuousClock.Instant) {
        failuresInARow += 1
        if failuresInARow >= Self.failuresBeforePause {
            pausedUntil = now + Self.pauseAfterFailures
            failuresInARow = 0
        }
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        guard bytesPerSecond > 0 else { return }
        let rate = Double(bytesPerSecond)
        // At most one second of allowance, and always room for one chunk: a cap below a chunk
        // per second still moves, one chunk at a time.
        let ceiling = max(rate, Double(AttachmentCipher.chunkByteCount))
        if let last = lastRefill {
            let elapsed = now - last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            allowance = min(ceiling, allowance + seconds * rate)
        } else {
            allowance = min(ceiling, rate)
        }
        lastRefill = now
    }
}
