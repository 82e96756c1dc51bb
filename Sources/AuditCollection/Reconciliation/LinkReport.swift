import Exchange

/// The reconciliation of one link (origin → recipient): what the origin's log says it sent and
/// was acknowledged, against what the recipient's log says it received (docs/AUDIT.md §12.3).
public struct LinkReport: Hashable, Sendable, Codable {
    /// The colour of a link in the report.
    public enum Health: String, Hashable, Sendable, Codable, Comparable {
        /// No envelope on the link in either log.
        case idle
        /// Everything sent was received and acknowledged, nothing rejected.
        case green
        /// Envelopes pending (not yet received or not yet acknowledged) or delivered late;
        /// attachments overdue, refused or not yet acknowledged.
        case amber
        /// Rejections, envelopes missing on either side, or hash mismatches; attachments whose
        /// statements contradict each other (``AttachmentLinkReport/hasDiscrepancy``).
        case red

        private var rank: Int {
            switch self {
            case .idle: 0
            case .green: 1
            case .amber: 2
            case .red: 3
            }
        }

        public static func < (lhs: Health, rhs: Health) -> Bool { lhs.rank < rhs.rank }
    }

    /// A refused envelope or receipt.
    public struct Rejection: Hashable, Sendable, Codable {
        /// A rejection.
        public init(loggedBy: String, sequence: UInt64, hash: String, code: UInt16, reason: String, time: UInt64) {
            self.loggedBy = loggedBy
            self.sequence = sequence
            self.hash = hash
            self.code = code
            self.reason = reason
            self.time = time
        }

        /// The state whose log says so: the recipient (`envelopeReceived`, `envelopeUnreadable`),
        /// the origin (a rejecting `receiptReceived`), or a third node that got an envelope misaddressed to it.
        public let loggedBy: String
        /// The link sequence the envelope claimed (0 for an unreadable envelope).
        public let sequence: UInt64
        /// The envelope's SHA-256.
        public let hash: String
        /// The rejection code (docs/PROTOCOL.md §10).
        public let code: UInt16
        /// Its name, e.g. `badSignature`.
        public let reason: String
        /// When it was logged (the logging node's clock, ms).
        public let time: UInt64
    }

    /// One sequence whose hash differs between the two sides.
    public struct HashMismatch: Hashable, Sendable, Codable {
        /// A mismatch.
        public init(sequence: UInt64, sent: String, other: String, seenIn: String) {
            self.sequence = sequence
            self.sent = sent
            self.other = other
            self.seenIn = seenIn
        }

        /// The link sequence.
        public let sequence: UInt64
        /// The hash in the origin's `envelopeSent`.
        public let sent: String
        /// The other hash, and where it was seen: `received` (recipient's accepted envelope) or `receipt` (origin's receipt).
        public let other: String
        /// `received` or `receipt`.
        public let seenIn: String
    }

    /// The origin state.
    public let origin: StateCode
    /// The recipient state.
    public let recipient: StateCode
    /// Whether the roster has this link (a link seen only in logs is a rejected claim).
    public let inRoster: Bool
    /// Distinct sequences in the origin's `envelopeSent`.
    public let sent: Int
    /// Distinct sequences the recipient accepted.
    public let received: Int
    /// Sent sequences covered by an accepted receipt at the origin (a receipt for N covers 1…N).
    public let acknowledged: Int
    /// Every rejection of an envelope claiming this link, or of its receipt.
    public let rejections: [Rejection]
    /// Rejections counted by reason name.
    public let rejectedByReason: [String: Int]
    /// Sent, not received by the recipient, and older than the lateness limit when its log was collected.
    public let missingAtRecipient: [UInt64]
    /// Sent, not yet received, but recent (or the recipient's log is not collected): may still arrive.
    public let pending: [UInt64]
    /// Accepted by the recipient, but not in the origin's log although its head is later.
    public let receivedNeverSent: [UInt64]
    /// Same sequence, different hashes.
    public let hashMismatches: [HashMismatch]
    /// Sequences received more than the lateness limit after they were sent.
    public let late: [UInt64]
    /// The longest time between `envelopeSent` and the accepted `envelopeReceived`, ms (node clocks).
    public let maximumDelayMilliseconds: UInt64
    /// Sequences the recipient asked the origin to replay, summed over its requests without
    /// converting a range to `Int` and saturating at `UInt64.max`: a request logged for
    /// `1…2^64−1` counts as what it says, and never traps.
    public let replayRequested: UInt64
    /// The files of the bulletins sent on the link, stored, received and acknowledged; `nil` when
    /// no log says anything of attachments on the link (and in reports of earlier versions).
    public let attachments: AttachmentLinkReport?
    /// The link's colour.
    public let health: Health

    /// A report.
    public init(
        origin: StateCode, recipient: StateCode, inRoster: Bool, sent: Int, received: Int, acknowledged: Int, rejections: [Rejection],
        missingAtRecipient: [UInt64], pending: [UInt64], receivedNeverSent: [UInt64], hashMismatches: [HashMismatch], late: [UInt64],
        maximumDelayMilliseconds: UInt64, replayRequested: UInt64, attachments: AttachmentLinkReport? = nil
    ) {
        self.origin = origin
        self.recipient = recipient
        self.inRoster = inRoster
        self.sent = sent
        self.received = received
        self.acknowledged = acknowledged
        self.rejections = rejections
        self.rejectedByReason = rejections.reduce(into: [:]) { $0[$1.reason, default: 0] += 1 }
        self.missingAtRecipient = missingAtRecipient
        self.pending = pending
        self.receivedNeverSent = receivedNeverSent
        self.hashMismatches = hashMismatches
        self.late = late
        self.maximumDelayMilliseconds = maximumDelayMilliseconds
        self.replayRequested = replayRequested
        self.attachments = attachments
        if !rejections.isEmpty || !missingAtRecipient.isEmpty || !receivedNeverSent.isEmpty || !hashMismatches.isEmpty
            || attachments?.hasDiscrepancy == true
        {
            health = .red
        } else if !pending.isEmpty || acknowledged < sent || !late.isEmpty || attachments?.needsWatching == true {
            health = .amber
        } else if sent == 0 && received == 0 && attachments == nil {
            health = .idle
        } else {
            health = .green
        }
    }

    /// `MA→DZ`.
    public var name: String { "\(origin)→\(recipient)" }
}
