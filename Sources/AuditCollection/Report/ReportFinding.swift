/// One line of the report's list of findings.
public struct ReportFinding: Hashable, Sendable, Codable {
    /// How bad.
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        /// Equivocation, inconsistency, a forged head, rejected, missing or mismatched envelopes.
        case critical
        /// Late or pending links, unreachable nodes, envelopes not yet acknowledged.
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .critical && rhs == .warning }
    }

    /// How bad.
    public let severity: Severity
    /// A state (`DZ`) or a link (`MA→DZ`).
    public let subject: String
    /// What was found, for an operator.
    public let text: String

    /// A finding.
    public init(severity: Severity, subject: String, text: String) {
        self.severity = severity
        self.subject = subject
        self.text = text
    }
}
