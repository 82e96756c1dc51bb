import Exchange
import Foundation

extension AuditReport {
    /// The report as text for a terminal: nodes, links, findings.
    public var text: String {
        var lines: [String] = []
        let generated = Timestamp(millisecondsSinceEpoch: generatedAt)
        lines.append("BorderNet audit report, \(generated) (roster version \(rosterVersion), late after \(lateAfterMilliseconds / 1000) s)")
        lines.append("")
        lines.append("Nodes")
        for node in nodes {
            var line = "  \(node.state)  \(node.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(node.role.padding(toLength: 8, withPad: " ", startingAt: 0))"
            if let head = node.lastHead {
                line += " head \(head.treeSize) entries at \(head.time) (age \(Self.duration(head.ageMilliseconds)))"
            } else {
                line += " no head collected"
            }
            if let attempt = node.lastAttempt { line += ", last collection \(attempt.outcome.rawValue)" }
            if node.equivocation { line += "  *** EQUIVOCATION ***" }
            if let count = node.findings[ReportFinding.Kind.implausibleValue.rawValue], count > 0 { line += "  ** \(count) implausible values **" }
            lines.append(line)
        }
        lines.append("")
        lines.append("Links          sent  received  acknowledged  missing  late  pending  mismatches  health  rejected")
        for link in links {
            let rejected = link.rejectedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append(
                "  " + [
                    link.name.padding(toLength: 11, withPad: " ", startingAt: 0),
                    Self.column(link.sent, 5), Self.column(link.received, 9), Self.column(link.acknowledged, 13),
                    Self.column(link.missingAtRecipient.count + link.receivedNeverSent.count, 8), Self.column(link.late.count, 5),
                    Self.column(link.pending.count, 8), Self.column(link.hashMismatches.count, 11),
                    "  " + link.health.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0), rejected.isEmpty ? "-" : rejected,
                ].joined(separator: " "))
        }
        lines.append("")
        let withFiles = links.compactMap { link in link.attachments.map { (link.name, $0) } }
        if !withFiles.isEmpty {
            let grace = attachmentGraceMilliseconds.map { ", overdue after \(Self.duration($0))" } ?? ""
            lines.append("Attachments (files of the bulletins sent on each link; hashes and sizes only\(grace))")
            lines.append(
                "  Link        files  received  acknowledged  complete  in transfer  overdue  refused  unacknowledged  mismatches  never stored  ack. not received")
            for (name, files) in withFiles {
                lines.append(
                    "  " + [
                        name.padding(toLength: 11, withPad: " ", startingAt: 0), Self.column(files.files, 5), Self.column(files.received, 9),
                        Self.column(files.acknowledged, 13), Self.column(files.complete, 9), Self.column(files.inTransfer.count, 12),
                        Self.column(files.overdue.count, 8), Self.column(files.refused.count, 8), Self.column(files.unacknowledged.count, 15),
                        Self.column(files.mismatchCount, 11), Self.column(files.neverStored.count, 13),
                        Self.column(files.acknowledgedNeverReceived.count, 18),
                    ].joined(separator: " "))
            }
            lines.append("")
        }
        if !implausibleValues.isEmpty {
            let kinds = Dictionary(grouping: implausibleValues, by: \.what).map { "\($0.key.rawValue) \($0.value.count)" }.sorted()
            lines.append("Implausible values in the collected logs: \(implausibleValues.count) (\(kinds.joined(separator: ", "))); each is a finding below")
            lines.append("")
        }
        if !consoleAccess.isEmpty {
            lines.append("Console access (account numbers; `bordernet console user list --json` on the node resolves them)")
            for access in consoleAccess {
                lines.append("  \(access.state)" + (access.dropped > 0 ? "  (\(access.dropped) records dropped over the rate bound)" : ""))
                for line in access.lines { lines.append("    \(line)") }
                for line in access.agencyLines { lines.append("    TAXII \(line)") }
                for opening in access.refusedOpenings {
                    lines.append(
                        "    \(opening.outcome) opening: account \(opening.account) (\(opening.role)) \(opening.bulletin ?? "(no reference)") at \(Timestamp(millisecondsSinceEpoch: opening.time)), entry \(opening.entryIndex)")
                }
                if access.refusedOpeningCount > UInt64(access.refusedOpenings.count) {
                    lines.append("    … \(access.refusedOpeningCount - UInt64(access.refusedOpenings.count)) more (all counted above)")
                }
            }
            lines.append("")
        }
        if let watchLists, !watchLists.isEmpty {
            lines.append("Watch-lists (entry numbers and counts; never what is watched or by whom)")
            for watch in watchLists { lines.append("  \(watch.state)  \(watch.line)") }
            lines.append("")
        }
        if let rosterHistory, !rosterHistory.isEmpty {
            lines.append("Roster history (versions installed, oldest first; rosters refused, by reason and by who offered them)")
            for history in rosterHistory {
                for (number, line) in history.lines.enumerated() {
                    lines.append((number == 0 ? "  \(history.state)  " : "      ") + line)
                }
            }
            lines.append("")
        }
        if findings.isEmpty {
            lines.append("No findings: every link reconciles and every node's log is consistent.")
        } else {
            lines.append("Findings")
            for finding in findings {
                lines.append("  \(finding.severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)) \(finding.subject.padding(toLength: 6, withPad: " ", startingAt: 0)) \(finding.text)")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func column(_ value: UInt64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func column(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// `3 s`, `2 min`, `5 h`, `4 d`.
    static func duration(_ milliseconds: UInt64) -> String {
        let seconds = milliseconds / 1000
        switch seconds {
        case ..<120: return "\(seconds) s"
        case ..<7_200: return "\(seconds / 60) min"
        case ..<172_800: return "\(seconds / 3_600) h"
        default: return "\(seconds / 86_400) d"
        }
    }
}
