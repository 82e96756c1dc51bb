import Exchange
import LinkRules
import Testing

/// Fixtures for the link rules: hashes named by numbers, envelopes of an origin's chain (or of a
/// fork of it), instants counted from one start, and a recipient that does what the engine does
/// with the machine's answers — with a store held in a dictionary.
enum Fixture {
    static let origin = state("MA")
    static let recipient = state("DZ")
    /// MA → DZ.
    static let link = Link(origin: origin, recipient: recipient)
    /// DZ → MA, for the origin's side.
    static let outboundLink = Link(origin: recipient, recipient: origin)
    /// The start of every test's clock.
    static let start = ContinuousClock.now

    static func state(_ code: String) -> StateCode {
        // Two capital letters: a valid state code by construction.
        try! StateCode(code)
    }

    /// `seconds` after ``start``.
    static func at(_ seconds: Double) -> ContinuousClock.Instant {
        start + .milliseconds(Int64(seconds * 1_000))
    }

    /// A hash named by `sequence` on chain `fork` (never the zero hash).
    static func hash(_ sequence: UInt64, fork: UInt8 = 0) -> EnvelopeHash {
        let number = withUnsafeBytes(of: sequence.bigEndian, Array.init)
        return try! EnvelopeHash(bytes: number + [fork] + [UInt8](repeating: 0xAB, count: 23))
    }

    /// Envelope `sequence` of the origin's chain `fork`: its previous hash names envelope
    /// `sequence − 1` of the same chain (zero for the first).
    static func envelope(_ sequence: UInt64, fork: UInt8 = 0) -> EnvelopeFacts {
        EnvelopeFacts(
            sequence: sequence, previousHash: sequence <= 1 ? .zero : hash(sequence - 1, fork: fork), hash: hash(sequence, fork: fork))
    }

    /// The position after envelope `sequence` of chain `fork` (the start for 0).
    static func position(_ sequence: UInt64, fork: UInt8 = 0) -> ChainPosition {
        sequence == 0 ? .start : ChainPosition(sequence: sequence, hash: hash(sequence, fork: fork))
    }

    /// A link's rules at `position` with a heartbeat interval and a replay batch.
    static func rules(
        at position: UInt64 = 0, status: ReceiptStatus = .accepted, heartbeat: Duration = .seconds(2), batch: Int = 256
    ) -> InboundLinkStateMachine {
        InboundLinkStateMachine(
            link: link, position: self.position(position), status: status,
            configuration: LinkConfiguration(heartbeatInterval: heartbeat, replayBatchSize: batch))
    }
}

/// A recipient driving the rules as the engine does: verified envelopes in, content opened only
/// for the next one, the batch committed to a dictionary store (or not), receipts out.
struct Recipient {
    var rules: InboundLinkStateMachine
    /// What the store holds: sequence → hash.
    var stored: [UInt64: EnvelopeHash] = [:]
    /// Envelopes taken and not yet committed.
    var pending: [EnvelopeFacts] = []
    /// How many times the content of an envelope was opened.
    var contentOpened = 0

    init(_ rules: InboundLinkStateMachine = Fixture.rules()) {
        self.rules = rules
        for sequence in stride(from: 1, through: min(rules.position.sequence, 1_000), by: 1) {
            stored[UInt64(sequence)] = Fixture.hash(UInt64(sequence))
        }
    }

    /// A verified envelope whose content checks as `status`.
    @discardableResult
    mutating func receive(
        _ envelope: EnvelopeFacts, status: ReceiptStatus = .accepted, replayed: Bool = false,
        now: ContinuousClock.Instant = Fixture.start
    ) -> InboundEnvelopeAction {
        let store = stored
        let action = rules.envelopeVerified(envelope, storedHash: { store[$0] }, now: now)
        if action == .next {
            contentOpened += 1
            do {
                try rules.take(envelope, status: status, replayed: replayed)
                pending.append(envelope)
            } catch {
                Issue.record("the rules called \(envelope) next, then refused to take it: \(error)")
            }
        }
        return action
    }

    /// An envelope read before its signature check: acknowledged again when it is held.
    mutating func read(_ envelope: EnvelopeFacts) -> InboundLinkStateMachine.ReadEnvelopeAction {
        let store = stored
        return rules.envelopeRead(envelope, storedHash: { store[$0] })
    }

    /// The batch is stored: its receipts.
    mutating func commit() -> [LinkReceipt] {
        for envelope in pending { stored[envelope.sequence] = envelope.hash }
        pending = []
        return rules.storeCommitted()
    }

    /// The batch could not be stored.
    mutating func failCommit(now: ContinuousClock.Instant = Fixture.start) {
        pending = []
        rules.storeCommitFailed(now: now)
    }
}

/// The replay requests among `actions`.
func replayRequests(_ actions: [InboundLinkAction]) -> [ReplayRequest] {
    actions.compactMap { if case .requestReplay(let request) = $0 { request } else { nil } }
}

/// The receipts among `actions`.
func receipts(_ actions: [InboundLinkAction]) -> [LinkReceipt] {
    actions.compactMap { if case .sendReceipt(let receipt) = $0 { receipt } else { nil } }
}

/// The refusal reasons among `actions`.
func refusals(_ actions: [InboundLinkAction]) -> [RejectionReason] {
    actions.compactMap { if case .refuse(let reason, _) = $0 { reason } else { nil } }
}

/// The socket resets among `actions`.
func resets(_ actions: [InboundLinkAction]) -> [InboundLinkAction.ResetReason] {
    actions.compactMap { if case .resetSockets(let reason) = $0 { reason } else { nil } }
}

/// SplitMix64: a small deterministic generator for the generated cases (same seed, same cases).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<`bound`.
    mutating func below(_ bound: UInt64) -> UInt64 { next(upperBound: bound) }
}
