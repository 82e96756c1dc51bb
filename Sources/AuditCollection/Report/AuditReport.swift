import Audit
import Exchange
import Foundation
import Node

/// `bordernet audit report`: per link, envelopes sent, received, acknowledged, rejected by reason,
/// missing on either side and hash mismatches; per node, the last head and its age and the
/// equivocation flags; and the list of findings (docs/AUDIT.md §12.4). Built from the
/// secretariat's store only: run `audit collect` first.
public struct AuditReport: Sendable, Codable {
    /// When the report was made (the secretariat's clock), ms.
    public let generatedAt: UInt64
    /// The roster version whose members and links the report lists.
    public let rosterVersion: UInt64
    /// The lateness limit used, ms.
    public let lateAfterMilliseconds: UInt64
    /// One per node of the roster (and any other node the store holds), in state order.
    public let nodes: [NodeReport]
    /// One per link of the roster and per link the logs mention, in link order.
    public let links: [LinkReport]
    /// Critical findings first.
    public let findings: [ReportFinding]

    /// Builds the report of the secretariat folder `directory`.
    public static func make(directory: SecretariatDirectory, lateAfterMilliseconds: UInt64, now: Timestamp = .now) throws -> AuditReport {
        let roster = try directory.loadSignedRoster(now: now)
        let store = try CollectionStore(path: directory.collectionStorePath)
        let secretariat = roster.members.filter { $0.role == .secretariat }.map(\.state)
        let states = Set(roster.members.map(\.state)).union(try store.states()).subtracting(secretariat).sorted()
        let storedFindings = try store.findings()
        let attempts = try store.lastAttempts()

        var logs: [NodeLogView] = []
        var nodes: [NodeReport] = []
        var findings: [ReportFinding] = []
        for state in states {
            let head = try store.lastAcceptedHead(of: state)
            logs.append(NodeLogView(state: state, entries: try store.entries(of: state), coveredUntil: head?.head.timestamp))
            let mine = storedFindings.filter { $0.state == state }
            let member = roster.member(state)
            nodes.append(
                NodeReport(
                    state: state, name: member?.card.nodeName ?? "", role: member.map { "\($0.role)" } ?? "unknown",
                    lastHead: head.map {
                        NodeReport.Head(
                            treeSize: $0.head.treeSize, timestamp: $0.head.timestamp.millisecondsSinceEpoch, time: "\($0.head.timestamp)",
                            rootHash: "\($0.head.rootHash)",
                            ageMilliseconds: now.millisecondsSinceEpoch &- min(now.millisecondsSinceEpoch, $0.head.timestamp.millisecondsSinceEpoch))
                    }, entriesHeld: head?.head.treeSize ?? 0, lastAttempt: attempts[state],
                    equivocation: mine.contains { $0.kind.isEquivocation },
                    findings: mine.reduce(into: [:]) { $0[$1.kind.rawValue, default: 0] += 1 }))
            for finding in mine {
                let label: String
                switch finding.kind {
                case .equivocation: label = ""
                case .inconsistent: label = "EQUIVOCATION (inconsistent log): "
                case .badHead, .badEntries: label = "\(finding.kind.rawValue): "
                }
                findings.append(
                    ReportFinding(
                        severity: .critical, subject: state.description,
                        text: "\(label)\(finding.detail) (found \(finding.foundAt); evidence heads \(finding.headIDs.map(String.init).joined(separator: ", ")))"))
            }
            if let attempt = attempts[state], attempt.outcome == .unreachable || attempt.outcome == .refused {
                findings.append(
                    ReportFinding(severity: .warning, subject: state.description, text: "last collection \(attempt.at): \(attempt.outcome.rawValue): \(attempt.detail)"))
            } else if head == nil {
                findings.append(ReportFinding(severity: .warning, subject: state.description, text: "nothing collected yet"))
            }
        }
        let links = LinkReconciler(lateAfterMilliseconds: lateAfterMilliseconds).reconcile(
            logs: logs, rosterLinks: roster.links.filter { !secretariat.contains($0.origin) && !secretariat.contains($0.recipient) })
        for link in links { findings += Self.findings(of: link, lateAfterMilliseconds: lateAfterMilliseconds) }
        findings.sort { $0.severity < $1.severity }
        return AuditReport(
            generatedAt: now.millisecondsSinceEpoch, rosterVersion: roster.version, lateAfterMilliseconds: lateAfterMilliseconds, nodes: nodes,
            links: links, findings: findings)
    }

    private static func findings(of link: LinkReport, lateAfterMilliseconds: UInt64) -> [ReportFinding] {
        var findings: [ReportFinding] = []
        func add(_ severity: ReportFinding.Severity, _ text: String) {
            findings.append(ReportFinding(severity: severity, subject: link.name, text: text))
        }
        let byReason = Dictionary(grouping: link.rejections) { "\($0.code) \($0.reason)" }
        for (reason, rejections) in byReason.sorted(by: { $0.key < $1.key }) {
            let where_ = Set(rejections.map(\.loggedBy)).sorted().joined(separator: ", ")
            let sequences = rejections.map { $0.sequence == 0 ? "unreadable" : "seq \($0.sequence)" }.joined(separator: ", ")
            add(.critical, "\(rejections.count) rejected, reason \(reason), logged by \(where_) (\(sequences))" + (link.inRoster ? "" : "; the roster has no such link"))
        }
        if !link.missingAtRecipient.isEmpty {
            add(.critical, "\(link.missingAtRecipient.count) sent but never received by \(link.recipient): seq \(Self.list(link.missingAtRecipient))")
        }
        if !link.receivedNeverSent.isEmpty {
            add(.critical, "\(link.receivedNeverSent.count) received by \(link.recipient) but not in \(link.origin)'s log: seq \(Self.list(link.receivedNeverSent))")
        }
        for mismatch in link.hashMismatches {
            add(.critical, "hash mismatch at seq \(mismatch.sequence): sent \(mismatch.sent), \(mismatch.seenIn) \(mismatch.other)")
        }
        if !link.late.isEmpty {
            add(
                .warning,
                "late: \(link.late.count) received more than \(lateAfterMilliseconds / 1000) s after being sent (longest \(Double(link.maximumDelayMilliseconds) / 1000) s): seq \(Self.list(link.late))"
            )
        }
        if !link.pending.isEmpty { add(.warning, "pending: \(link.pending.count) sent, not yet in \(link.recipient)'s collected log: seq \(Self.list(link.pending))") }
        if link.acknowledged < link.sent { add(.warning, "\(link.sent - link.acknowledged) of \(link.sent) not acknowledged by a receipt yet") }
        return findings
    }

    /// `1, 2, 5` (at most 20 shown).
    static func list(_ sequences: [UInt64]) -> String {
        sequences.prefix(20).map(String.init).joined(separator: ", ") + (sequences.count > 20 ? " … (\(sequences.count))" : "")
    }
}
