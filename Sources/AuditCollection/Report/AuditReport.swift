import Audit
import Exchange
import Foundation
import NodeSetup

/// `bordernet audit report`: per link, envelopes sent, received, acknowledged, rejected by reason,
/// missing on either side and hash mismatches, and the files of its bulletins stored, received and
/// acknowledged (``AttachmentLinkReport``); per node, the last head and its age and the
/// equivocation flags; the values no honest log holds; and the list of findings (docs/AUDIT.md
/// §12.3). Built from the secretariat's store only: run `audit collect` first. No collected value
/// can make it trap: every count and time difference is checked or saturating.
public struct AuditReport: Sendable, Codable {
    /// When the report was made (the secretariat's clock), ms.
    public let generatedAt: UInt64
    /// The roster version whose members and links the report lists.
    public let rosterVersion: UInt64
    /// The lateness limit used, ms.
    public let lateAfterMilliseconds: UInt64
    /// The grace period of attachments used, ms (``LinkReconciler/attachmentGraceMilliseconds``).
    /// Absent in reports of earlier versions.
    public let attachmentGraceMilliseconds: UInt64?
    /// One per node of the roster (and any other node the store holds), in state order.
    public let nodes: [NodeReport]
    /// One per link of the roster and per link the logs mention, in link order.
    public let links: [LinkReport]
    /// Critical findings first.
    public let findings: [ReportFinding]
    /// Every value of the collected logs that no honest exchange produces (``Plausibility``),
    /// node by node, entry by entry; each is also a finding of kind `implausibleValue`.
    public let implausibleValues: [ImplausibleValue]
    /// Per node whose log holds any, its web console's accesses (``ConsoleAccessReport``): counts
    /// per account, action and outcome, refused openings, records dropped over the rate bound.
    public let consoleAccess: [ConsoleAccessReport]
    /// Per node whose log holds any, its watch-lists (``WatchListReport``): entries added and
    /// removed per kind of owner, alerts raised. Absent in reports of earlier versions.
    public let watchLists: [WatchListReport]?
    /// Per node whose log holds any, its rosters (``RosterHistoryReport``): the versions it
    /// installed, in order, and the rosters it refused by reason and by source. Absent in reports
    /// of earlier versions.
    public let rosterHistory: [RosterHistoryReport]?

    /// At most this many `implausibleValue` findings per node are listed one by one; the rest are
    /// summed up in one more finding (``implausibleValues`` always holds them all).
    public static let implausibleFindingsPerNode = 50

    /// Builds the report of the secretariat folder `directory`.
    public static func make(
        directory: SecretariatDirectory, lateAfterMilliseconds: UInt64,
        attachmentGraceMilliseconds: UInt64 = LinkReconciler.defaultAttachmentGraceMilliseconds, plausibility: Plausibility = Plausibility(),
        now: Timestamp = .now
    ) throws -> AuditReport {
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
            let held = try store.entriesAndUnknownKinds(of: state)
            logs.append(NodeLogView(state: state, entries: held.entries, coveredUntil: head?.head.timestamp))
            if let finding = unknownKindFinding(state: state, held.unknownKinds) { findings.append(finding) }
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
                let kind: ReportFinding.Kind
                switch finding.kind {
                case .equivocation:
                    label = ""
                    kind = .equivocation
                case .inconsistent:
                    label = "EQUIVOCATION (inconsistent log): "
                    kind = .inconsistent
                case .badHead:
                    label = "\(finding.kind.rawValue): "
                    kind = .badHead
                case .badEntries:
                    label = "\(finding.kind.rawValue): "
                    kind = .badEntries
                }
                findings.append(
                    ReportFinding(
                        severity: .critical, kind: kind, subject: state.description, entryIndex: finding.entryIndex,
                        text: "\(label)\(finding.detail) (found \(finding.foundAt); evidence heads \(finding.headIDs.map(String.init).joined(separator: ", ")))"))
            }
            if let attempt = attempts[state], attempt.outcome == .unreachable || attempt.outcome == .refused {
                findings.append(
                    ReportFinding(
                        severity: .warning, kind: .unreachable, subject: state.description,
                        text: "last collection \(attempt.at): \(attempt.outcome.rawValue): \(attempt.detail)"))
            } else if head == nil {
                findings.append(ReportFinding(severity: .warning, kind: .notCollected, subject: state.description, text: "nothing collected yet"))
            }
        }
        return assemble(
            rosterVersion: roster.version,
            rosterLinks: roster.links.filter { !secretariat.contains($0.origin) && !secretariat.contains($0.recipient) }, logs: logs,
            nodes: nodes, nodeFindings: findings, lateAfterMilliseconds: lateAfterMilliseconds,
            attachmentGraceMilliseconds: attachmentGraceMilliseconds, plausibility: plausibility, now: now)
    }

    /// Builds a report from what is already read: the logs held, the nodes' lines and their
    /// findings. Pure and total: whatever the logs say (any `u64` anywhere), it returns a report,
    /// with the values ``Plausibility`` refuses to believe as `implausibleValue` findings.
    public static func assemble(
        rosterVersion: UInt64, rosterLinks: [Link], logs: [NodeLogView], nodes: [NodeReport], nodeFindings: [ReportFinding],
        lateAfterMilliseconds: UInt64, attachmentGraceMilliseconds: UInt64 = LinkReconciler.defaultAttachmentGraceMilliseconds,
        plausibility: Plausibility = Plausibility(), now: Timestamp
    ) -> AuditReport {
        var findings = nodeFindings
        let implausible = plausibility.check(logs, now: now)
        let byNode = Dictionary(grouping: implausible, by: \.state)
        for state in byNode.keys.sorted() {
            let values = byNode[state] ?? []
            for value in values.prefix(implausibleFindingsPerNode) {
                let place = value.entryIndex.map { "entry \($0)" } ?? "head"
                findings.append(
                    ReportFinding(
                        severity: .critical, kind: .implausibleValue, subject: state.description, entryIndex: value.entryIndex,
                        text: "implausible value (\(value.what.rawValue)) in \(place) of \(state)'s log: \(value.detail)"))
            }
            if values.count > implausibleFindingsPerNode {
                findings.append(
                    ReportFinding(
                        severity: .critical, kind: .implausibleValue, subject: state.description,
                        text: "\(values.count - implausibleFindingsPerNode) more implausible values in \(state)'s log (all \(values.count) in the JSON report's implausibleValues)"))
            }
        }
        let nodes = nodes.map { $0.adding(byNode[$0.state]?.count ?? 0, findingsOf: ReportFinding.Kind.implausibleValue.rawValue) }
        let links = LinkReconciler(lateAfterMilliseconds: lateAfterMilliseconds, attachmentGraceMilliseconds: attachmentGraceMilliseconds)
            .reconcile(logs: logs, rosterLinks: rosterLinks)
        for link in links {
            findings += Self.findings(of: link, lateAfterMilliseconds: lateAfterMilliseconds)
            if let attachments = link.attachments {
                findings += Self.findings(of: attachments, on: link, graceMilliseconds: attachmentGraceMilliseconds)
            }
        }
        let consoleAccess = logs.compactMap(ConsoleAccessReport.make)
        for access in consoleAccess { findings += Self.findings(of: access) }
        // Stable: node findings, then implausible values, then links, within each severity.
        findings = findings.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
        return AuditReport(
            generatedAt: now.millisecondsSinceEpoch, rosterVersion: rosterVersion, lateAfterMilliseconds: lateAfterMilliseconds,
            attachmentGraceMilliseconds: attachmentGraceMilliseconds, nodes: nodes,
            links: links, findings: findings, implausibleValues: implausible, consoleAccess: consoleAccess,
            watchLists: logs.compactMap(WatchListReport.make), rosterHistory: logs.compactMap(RosterHistoryReport.make))
    }

    /// The warning for entries of kinds this BorderNet does not know, `nil` when there are none.
    static func unknownKindFinding(state: StateCode, _ headers: [AuditEntryHeader]) -> ReportFinding? {
        guard let first = headers.first else { return nil }
        return unknownKindFinding(state: state, count: UInt64(headers.count), codes: headers.map(\.kindCode), firstIndex: first.index)
    }

    /// The warning for `count` entries of the unknown kind `codes`, the first at `firstIndex`.
    static func unknownKindFinding(state: StateCode, count: UInt64, codes: [UInt8], firstIndex: UInt64) -> ReportFinding {
        let codes = Set(codes).sorted().map(String.init).joined(separator: ", ")
        return ReportFinding(
            severity: .warning, kind: .unknownKind, subject: state.description, entryIndex: firstIndex,
            text: "\(count) entries of kinds this BorderNet does not know (codes \(codes)), from a node running a newer version: collected and verified against its signed head, not read; upgrade the secretariat's BorderNet to report them")
    }

    private static func findings(of access: ConsoleAccessReport) -> [ReportFinding] {
        var findings: [ReportFinding] = []
        if access.refusedOpeningCount > 0 {
            let first = access.refusedOpenings.first.map { "; the first at entry \($0.entryIndex)" } ?? ""
            findings.append(
                ReportFinding(
                    severity: .warning, kind: .accessRefused, subject: access.state.description, entryIndex: access.refusedOpenings.first?.entryIndex,
                    text: "\(access.refusedOpeningCount) bulletin openings refused or not found on \(access.state)'s console (accounts \(access.accountsRefused.map(String.init).joined(separator: ", ")))\(first)"))
        }
        if access.agencyRequestsRefused > 0 {
            let withoutToken = access.agencies.first { $0.agency == 0 }?.refused ?? 0
            let named = access.agencies.filter { $0.agency != 0 && $0.refused > 0 }.map { String($0.agency) }
            findings.append(
                ReportFinding(
                    severity: .warning, kind: .accessRefused, subject: access.state.description,
                    text: "\(access.agencyRequestsRefused) TAXII requests refused on \(access.state)'s console (\(withoutToken) without a valid token"
                        + (named.isEmpty ? "" : "; agencies \(named.joined(separator: ", "))") + ")"))
        }
        if access.dropped > 0 {
            findings.append(
                ReportFinding(
                    severity: .warning, kind: .accessDropped, subject: access.state.description,
                    text: "\(access.dropped) console access records dropped by \(access.state)'s node over its rate bound: its console sent more than a console's people can (broken or compromised)"))
        }
        return findings
    }

    private static func findings(of link: LinkReport, lateAfterMilliseconds: UInt64) -> [ReportFinding] {
        var findings: [ReportFinding] = []
        func add(_ severity: ReportFinding.Severity, _ kind: ReportFinding.Kind, _ text: String) {
            findings.append(ReportFinding(severity: severity, kind: kind, subject: link.name, text: text))
        }
        let byReason = Dictionary(grouping: link.rejections) { "\($0.code) \($0.reason)" }
        for (reason, rejections) in byReason.sorted(by: { $0.key < $1.key }) {
            let where_ = Set(rejections.map(\.loggedBy)).sorted().joined(separator: ", ")
            let sequences = rejections.map { $0.sequence == 0 ? "unreadable" : "seq \($0.sequence)" }.joined(separator: ", ")
            add(.critical, .rejected, "\(rejections.count) rejected, reason \(reason), logged by \(where_) (\(sequences))" + (link.inRoster ? "" : "; the roster has no such link"))
        }
        if !link.missingAtRecipient.isEmpty {
            add(.critical, .missing, "\(link.missingAtRecipient.count) sent but never received by \(link.recipient): seq \(Self.list(link.missingAtRecipient))")
        }
        if !link.receivedNeverSent.isEmpty {
            add(.critical, .neverSent, "\(link.receivedNeverSent.count) received by \(link.recipient) but not in \(link.origin)'s log: seq \(Self.list(link.receivedNeverSent))")
        }
        for mismatch in link.hashMismatches {
            add(.critical, .hashMismatch, "hash mismatch at seq \(mismatch.sequence): sent \(mismatch.sent), \(mismatch.seenIn) \(mismatch.other)")
        }
        if !link.late.isEmpty {
            add(
                .warning, .late,
                "late: \(link.late.count) received more than \(lateAfterMilliseconds / 1000) s after being sent (longest \(Double(link.maximumDelayMilliseconds) / 1000) s): seq \(Self.list(link.late))"
            )
        }
        if !link.pending.isEmpty { add(.warning, .pending, "pending: \(link.pending.count) sent, not yet in \(link.recipient)'s collected log: seq \(Self.list(link.pending))") }
        if link.acknowledged < link.sent { add(.warning, .unacknowledged, "\(link.sent - link.acknowledged) of \(link.sent) not acknowledged by a receipt yet") }
        return findings
    }

    /// The findings of a link's attachments: contradictions (critical: tampering or a bug), then
    /// files overdue, refused or not acknowledged yet (warnings). Files in transfer within the
    /// grace period are no finding.
    private static func findings(of files: AttachmentLinkReport, on link: LinkReport, graceMilliseconds: UInt64) -> [ReportFinding] {
        var findings: [ReportFinding] = []
        func add(_ severity: ReportFinding.Severity, _ kind: ReportFinding.Kind, _ text: String) {
            findings.append(ReportFinding(severity: severity, kind: kind, subject: link.name, text: text))
        }
        for mismatch in files.mismatches {
            let first = mismatch.field == "held" ? "\(link.recipient)'s log \(mismatch.expected)" : "stored \(mismatch.expected)"
            let other = mismatch.seenIn == "receipt" ? "receipt at \(link.origin) \(mismatch.other)" : "received \(mismatch.other)"
            add(.critical, .attachmentMismatch, "attachment \(mismatch.file) \(mismatch.field) mismatch: \(first), \(other)")
        }
        if files.mismatchCount > UInt64(files.mismatches.count) {
            add(
                .critical, .attachmentMismatch,
                "\(files.mismatchCount - UInt64(files.mismatches.count)) more attachment mismatches (the first \(files.mismatches.count) in the JSON report's links)")
        }
        if !files.neverStored.isEmpty {
            add(
                .critical, .attachmentNeverStored,
                "\(files.neverStored.count) attachments received by \(link.recipient) or acknowledged by \(link.origin) that \(link.origin)'s log does not record as stored with a bulletin sent to \(link.recipient): \(files.neverStored.text)")
        }
        if !files.acknowledgedNeverReceived.isEmpty {
            add(
                .critical, .attachmentNotReceived,
                "\(files.acknowledgedNeverReceived.count) attachments acknowledged at \(link.origin) but not in \(link.recipient)'s log although its head is later: \(files.acknowledgedNeverReceived.text)")
        }
        if !files.overdue.isEmpty {
            add(
                .warning, .attachmentOverdue,
                "overdue: \(files.overdue.count) attachments stored more than \(AuditReport.duration(graceMilliseconds)) before \(link.recipient)'s collected head and not received: \(files.overdue.text)")
        }
        if !files.refused.isEmpty {
            add(
                .warning, .attachmentRefused,
                "\(files.refused.count) attachments refused by \(link.recipient) (over its limits, or not the file the bulletin describes): \(files.refused.text)")
        }
        if !files.unacknowledged.isEmpty {
            add(
                .warning, .attachmentUnacknowledged,
                "\(files.unacknowledged.count) attachments held by \(link.recipient) not acknowledged by an attachment receipt at \(link.origin) yet: \(files.unacknowledged.text)")
        }
        return findings
    }

    /// `1, 2, 5` (at most 20 shown).
    public static func list(_ sequences: [UInt64]) -> String {
        sequences.prefix(20).map(String.init).joined(separator: ", ") + (sequences.count > 20 ? " … (\(sequences.count))" : "")
    }
}
