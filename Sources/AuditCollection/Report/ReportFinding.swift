/// One line of the report's list of findings.
public struct ReportFinding: Hashable, Sendable, Codable {
    /// How bad.
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        /// Equivocation, inconsistency, a forged head, rejected, missing or mismatched envelopes,
        /// implausible values, attachments whose statements contradict each other.
        case critical
        /// Late or pending links, unreachable nodes, envelopes not yet acknowledged, attachments
        /// overdue, refused or not yet acknowledged, refused console openings, console records
        /// over the rate bound.
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .critical && rhs == .warning }
    }

    /// What the finding is about, so that scripts need not parse ``text``.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Two signed heads of one size with different roots, or an entry the node now shows other
        /// than the bytes collected (a collection finding, docs/AUDIT.md §12.2).
        case equivocation
        /// A head that does not extend the last accepted one (a collection finding).
        case inconsistent
        /// A head that does not verify (a collection finding).
        case badHead
        /// Entries that do not match their head (a collection finding).
        case badEntries
        /// A value no honest exchange produces (``ImplausibleValue``): the node, the entry, what.
        case implausibleValue
        /// Envelopes of the link rejected, with a reason.
        case rejected
        /// Sent, never received.
        case missing
        /// Received, never sent.
        case neverSent
        /// One sequence, two hashes.
        case hashMismatch
        /// Received later than the lateness limit.
        case late
        /// Sent, not yet in the recipient's collected log.
        case pending
        /// Sent, not yet acknowledged.
        case unacknowledged
        /// The last collection did not reach the node, or it refused.
        case unreachable
        /// Nothing collected from the node yet.
        case notCollected
        /// Bulletin openings on the node's console that were refused (the clearance does not
        /// allow them) or asked for a bulletin that is not there, and TAXII requests of agency
        /// systems that were refused (``ConsoleAccessReport``).
        case accessRefused
        /// Console access records the node dropped over its rate bound.
        case accessDropped
        /// Entries of kinds this BorderNet does not know (a node upgraded before the
        /// secretariat): collected and verified against the head, not read.
        case unknownKind
        /// One attachment, another SHA-256, size or outcome: the origin's `attachmentStored`
        /// against the recipient's `attachmentReceived` or the origin's `attachmentAcknowledged`,
        /// or the recipient's arrival against its receipt.
        case attachmentMismatch
        /// An attachment received or acknowledged that the origin's log does not record as stored
        /// with a bulletin sent on the link.
        case attachmentNeverStored
        /// An attachment acknowledged at the origin, absent from the recipient's log although its
        /// head is later than the receipt.
        case attachmentNotReceived
        /// An attachment stored longer than the grace period before the recipient's collected
        /// head, and not received.
        case attachmentOverdue
        /// An attachment the recipient refused (over its limits, or not the file the bulletin describes).
        case attachmentRefused
        /// An attachment the recipient holds, without an attachment receipt at the origin yet.
        case attachmentUnacknowledged
    }

    /// How bad.
    public let severity: Severity
    /// What it is about.
    public let kind: Kind
    /// A state (`DZ`) or a link (`MA→DZ`).
    public let subject: String
    /// The entry of the subject's log the finding names, when it names one.
    public let entryIndex: UInt64?
    /// What was found, for an operator.
    public let text: String

    /// A finding.
    public init(severity: Severity, kind: Kind, subject: String, entryIndex: UInt64? = nil, text: String) {
        self.severity = severity
        self.kind = kind
        self.subject = subject
        self.entryIndex = entryIndex
        self.text = text
    }
}
