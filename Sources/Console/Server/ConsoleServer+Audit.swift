import AuditCollection
import BulletinSchema
import Clearance
import Exchange
import Foundation
import Hummingbird

/// The auditor's pages (docs/CONSOLE.md, "The secretariat's console"): the reconciliation matrix,
/// a link's detail, the findings, the collection history and a node. Only for the `auditor` role
/// (``ClearancePolicy/canSeeAudit(_:)``), asked on every request; only on a console started with
/// `--secretariat`, which reads nothing but `collected.sqlite`, read-only.
extension ConsoleServer {
    /// At most this many reconciliation findings are listed on the findings page.
    static let reconciliationFindingsShown = 200

    func addAuditRoutes(to router: Router<ConsoleContext>, pages: RouterGroup<ConsoleContext>) {
        router.get("/assets/audit.css") { _, _ in Self.asset(AuditTemplates.styleSheet, type: "text/css; charset=utf-8") }
        pages.get("/audit") { _, context in try await self.matrixPage(context: context) }
        pages.get("/audit/links/:origin/:recipient") { _, context in try await self.auditLinkPage(context: context) }
        pages.get("/audit/findings") { request, context in try await self.findingsPage(request, context: context) }
        pages.get("/audit/history") { request, context in try await self.historyPage(request, context: context) }
        pages.get("/audit/nodes/:state") { _, context in try await self.auditNodePage(context: context) }
    }

    /// The person, when they may see the audit pages and this console has a collection; else
    /// the refusal to answer: 403 for every other role, 404 on a node's console.
    private func auditor(_ context: ConsoleContext) throws -> (SignedInPerson, AuditGateway)? {
        let person = try Self.person(context)
        guard ClearancePolicy.canSeeAudit(person.clearance), let audit else { return nil }
        return (person, audit)
    }

    private func auditRefusal(_ context: ConsoleContext) throws -> Response {
        let person = try Self.person(context)
        guard ClearancePolicy.canSeeAudit(person.clearance) else { return forbidden(context) }
        let language = person.language
        return renderer.message(heading: ConsoleText.notFound(language), text: ConsoleText.notFound(language), frame: frame(context), status: .notFound)
    }

    private func auditModel(_ language: Language, _ model: [String: Any]) -> [String: Any] {
        var model = model
        model["a"] = AuditText.table(language)
        return model
    }

    private static func time(_ timestamp: Timestamp) -> String {
        BulletinPresenter.time(Int64(clamping: timestamp.millisecondsSinceEpoch))
    }

    private static func outcomeLabel(_ outcome: CollectionAttempt.Outcome, _ language: Language) -> String {
        switch outcome {
        case .collected: AuditText.collected(language)
        case .upToDate: AuditText.upToDate(language)
        case .unreachable: AuditText.unreachable(language)
        case .refused: AuditText.refused(language)
        case .flagged: AuditText.flagged(language)
        }
    }

    private static func healthLabel(_ health: LinkReport.Health, _ language: Language) -> String {
        switch health {
        case .idle: AuditText.idle(language)
        case .green: AuditText.green(language)
        case .amber: AuditText.amber(language)
        case .red: AuditText.red(language)
        }
    }

    /// The reconciliation, or `nil` when the logs are too large to reconcile here.
    private func reconciliation(_ audit: AuditGateway) async throws -> CollectionReconciliation? {
        do {
            return try await audit.reconciliation()
        } catch AuditCollectionError.tooLargeToReconcile {
            return nil
        }
    }

    // MARK: - The matrix

    func matrixPage(context: ConsoleContext) async throws -> Response {
        guard let (person, audit) = try auditor(context) else { return try auditRefusal(context) }
        let language = person.language
        let nodes = try await audit.nodes()
        var model: [String: Any] = [
            "nodes": nodes.map { node -> [String: Any] in
                [
                    "state": node.state.description, "entriesHeld": String(node.entriesHeld),
                    "headTime": node.lastAccepted.map { Self.time($0.timestamp) } ?? "—",
                    "lastCollection": node.lastAttempt.map { "\(Self.time($0.attempt.at)) · \(Self.outcomeLabel($0.attempt.outcome, language))" }
                        ?? AuditText.never(language),
                    "findingCount": String(node.findings.values.reduce(0, +)), "equivocation": node.equivocation,
                ]
            }
        ]
        if let reconciliation = try await reconciliation(audit) {
            let states = reconciliation.states.map(\.description)
            model["states"] = states
            model["rows"] = reconciliation.states.map { origin -> [String: Any] in
                [
                    "origin": origin.description,
                    "cells": reconciliation.states.map { recipient -> [String: Any] in
                        guard origin != recipient else { return ["self": true] }
                        let link = reconciliation.link(from: origin, to: recipient)
                        let health = link?.health ?? .idle
                        var issues: [[String: String]] = []
                        if let link {
                            for (label, count) in [
                                (AuditText.rejected, link.rejections.count), (AuditText.missing, link.missingAtRecipient.count),
                                (AuditText.mismatch, link.hashMismatches.count), (AuditText.late, link.late.count),
                            ] where count > 0 {
                                issues.append(["label": label(language), "count": String(count)])
                            }
                            if let files = link.attachments {
                                let contradicted = files.mismatchCount.addingSaturating(files.neverStored.count)
                                    .addingSaturating(files.acknowledgedNeverReceived.count)
                                for (label, count) in [(AuditText.fileDisagreements, contradicted), (AuditText.filesOverdue, files.overdue.count)]
                                where count > 0 {
                                    issues.append(["label": label(language), "count": String(count)])
                                }
                            }
                        }
                        return [
                            "origin": origin.description, "recipient": recipient.description, "health": health.rawValue,
                            "healthLabel": Self.healthLabel(health, language), "sent": String(link?.sent ?? 0),
                            "received": String(link?.received ?? 0), "acknowledged": String(link?.acknowledged ?? 0), "issues": issues,
                        ]
                    },
                ]
            }
        } else {
            model["tooLarge"] = true
        }
        return renderer.response("auditMatrix", title: AuditText.matrix(language), model: auditModel(language, model), frame: frame(context))
    }

    func auditLinkPage(context: ConsoleContext) async throws -> Response {
        guard let (person, audit) = try auditor(context) else { return try auditRefusal(context) }
        let language = person.language
        guard let origin = context.parameters.get("origin").flatMap({ try? StateCode($0) }),
            let recipient = context.parameters.get("recipient").flatMap({ try? StateCode($0) })
        else { return try auditRefusal(context) }
        var model: [String: Any] = ["origin": origin.description, "recipient": recipient.description]
        guard let reconciliation = try await reconciliation(audit) else {
            model["tooLarge"] = true
            return renderer.response("auditLink", title: AuditText.link(language), model: auditModel(language, model), frame: frame(context))
        }
        if let link = reconciliation.link(from: origin, to: recipient) {
            model["known"] = true
            model["health"] = link.health.rawValue
            model["healthLabel"] = Self.healthLabel(link.health, language)
            let counts: [(AuditText, String)] = [
                (AuditText.sent, String(link.sent)), (AuditText.received, String(link.received)),
                (AuditText.acknowledged, String(link.acknowledged)), (AuditText.rejected, String(link.rejections.count)),
                (AuditText.missing, String(link.missingAtRecipient.count)), (AuditText.mismatch, String(link.hashMismatches.count)),
                (AuditText.late, String(link.late.count)), (AuditText.pending, String(link.pending.count)),
                (AuditText.neverSent, String(link.receivedNeverSent.count)), (AuditText.replayRequested, String(link.replayRequested)),
                (AuditText.maximumDelay, String(link.maximumDelayMilliseconds)),
            ]
            model["counts"] = counts.map { ["label": $0.0(language), "value": $0.1] }
            let lists: [(AuditText, [UInt64])] = [
                (AuditText.missing, link.missingAtRecipient), (AuditText.late, link.late), (AuditText.pending, link.pending),
                (AuditText.neverSent, link.receivedNeverSent),
            ]
            let sequences = lists.filter { !$0.1.isEmpty }.map { ["label": $0.0(language), "list": AuditReport.list($0.1)] }
            model["sequences"] = sequences
            model["hasSequences"] = !sequences.isEmpty
            // A hostile node's log can hold any number of rejections: the first 200 are shown.
            model["rejections"] = link.rejections.prefix(200).map {
                [
                    "loggedBy": $0.loggedBy, "sequence": $0.sequence == 0 ? "—" : String($0.sequence), "code": String($0.code),
                    "reason": BulletinPresenter.safe($0.reason), "time": BulletinPresenter.time(Int64(clamping: $0.time)),
                ]
            }
            model["hasRejections"] = !link.rejections.isEmpty
            model["mismatches"] = link.hashMismatches.prefix(200).map {
                ["sequence": String($0.sequence), "sent": $0.sent, "other": $0.other, "seenIn": $0.seenIn]
            }
            model["hasMismatches"] = !link.hashMismatches.isEmpty
            if let files = link.attachments { Self.addAttachments(files, to: &model, language) }
        }
        return renderer.response(
            "auditLink", title: "\(AuditText.link(language)) \(origin)→\(recipient)", model: auditModel(language, model), frame: frame(context))
    }

    /// A link's attachments on its page: the counts, the files of each list (at most
    /// ``AttachmentLinkReport/FileList/listedAtMost``, as the report keeps them) and the disagreements.
    /// Numbers, hashes and sizes only: the secretariat never sees a file.
    private static func addAttachments(_ files: AttachmentLinkReport, to model: inout [String: Any], _ language: Language) {
        model["hasAttachments"] = true
        let counts: [(AuditText, UInt64)] = [
            (.files, files.files), (.received, files.received), (.acknowledged, files.acknowledged), (.complete, files.complete),
            (.inTransfer, files.inTransfer.count), (.overdue, files.overdue.count), (.filesRefused, files.refused.count),
            (.unacknowledged, files.unacknowledged.count), (.disagreements, files.mismatchCount), (.neverStored, files.neverStored.count),
            (.acknowledgedNotReceived, files.acknowledgedNeverReceived.count),
        ]
        model["attachmentCounts"] = counts.map { ["label": $0.0(language), "value": String($0.1)] }
        let lists: [(AuditText, AttachmentLinkReport.FileList)] = [
            (.inTransfer, files.inTransfer), (.overdue, files.overdue), (.filesRefused, files.refused), (.unacknowledged, files.unacknowledged),
            (.neverStored, files.neverStored), (.acknowledgedNotReceived, files.acknowledgedNeverReceived),
        ]
        let shown = lists.filter { !$0.1.isEmpty }.map { ["label": $0.0(language), "list": $0.1.text] }
        model["attachmentLists"] = shown
        model["hasAttachmentLists"] = !shown.isEmpty
        model["attachmentMismatches"] = files.mismatches.map {
            ["file": $0.file.description, "field": $0.field, "expected": $0.expected, "other": $0.other, "seenIn": $0.seenIn]
        }
        model["hasAttachmentMismatches"] = !files.mismatches.isEmpty
    }

    // MARK: - Findings

    func findingsPage(_ request: Request, context: ConsoleContext) async throws -> Response {
        guard let (person, audit) = try auditor(context) else { return try auditRefusal(context) }
        let language = person.language
        let form = (try? FormBody(request.uri.query ?? "")) ?? FormBody.empty
        let state = form["node"].flatMap { try? StateCode($0.uppercased()) }
        let kind = form["kind"]
        var query = FindingQuery(state: state, limit: 50)
        query.kind = kind.flatMap(CollectionFinding.Kind.init(rawValue:))
        query.before = form["before"].flatMap(Int64.init)
        // A kind the collector never records (a reconciliation kind) shows no collection finding.
        let page: FindingPage
        if kind != nil, query.kind == nil {
            page = FindingPage(items: [], next: nil)
        } else {
            page = try await audit.findings(query)
        }
        let nodes = try await audit.nodes()
        var model: [String: Any] = [
            "nodeChoices": nodes.map { ["value": $0.state.description, "selected": $0.state == state] },
            "kindChoices": ReportFinding.Kind.allCases.map {
                ["value": $0.rawValue, "label": AuditText.kindLabel($0.rawValue, language), "selected": $0.rawValue == kind]
            },
            "collection": page.items.map { finding -> [String: Any] in
                var row: [String: Any] = [
                    "kindLabel": AuditText.kindLabel(finding.kind.rawValue, language), "state": finding.state.description,
                    "when": Self.time(finding.foundAt), "detail": BulletinPresenter.safe(finding.detail),
                    "evidence": finding.headIDs.map { "#\($0)" }.joined(separator: ", "),
                ]
                if let index = finding.entryIndex { row["entryIndex"] = String(index) }
                return row
            },
        ]
        if let next = page.next {
            var items = [URLQueryItem(name: "before", value: String(next))]
            if let state { items.append(URLQueryItem(name: "node", value: state.description)) }
            if let kind = query.kind { items.append(URLQueryItem(name: "kind", value: kind.rawValue)) }
            var components = URLComponents()
            components.queryItems = items
            model["olderURL"] = "/audit/findings?" + (components.percentEncodedQuery ?? "")
        }
        // The reconciliation's findings, on the first page only.
        if query.before == nil {
            if let reconciliation = try await reconciliation(audit) {
                let matching = reconciliation.findings.filter { finding in
                    (kind == nil || finding.kind.rawValue == kind) && (state.map { Self.subject(finding.subject, names: $0) } ?? true)
                }
                model["reconciliation"] = matching.prefix(Self.reconciliationFindingsShown).map {
                    [
                        "severity": $0.severity.rawValue,
                        "severityLabel": $0.severity == .critical ? AuditText.critical(language) : AuditText.warning(language),
                        "kindLabel": AuditText.kindLabel($0.kind.rawValue, language), "subject": $0.subject, "text": BulletinPresenter.safe($0.text),
                    ]
                }
                model["reconciliationCut"] = matching.count > Self.reconciliationFindingsShown
            } else {
                model["tooLarge"] = true
            }
        }
        return renderer.response("auditFindings", title: AuditText.findings(language), model: auditModel(language, model), frame: frame(context))
    }

    /// Whether a finding's subject (`DZ`, or a link `MA→DZ`) names `state`.
    static func subject(_ subject: String, names state: StateCode) -> Bool {
        subject.components(separatedBy: "→").contains(state.description)
    }

    // MARK: - History

    func historyPage(_ request: Request, context: ConsoleContext) async throws -> Response {
        guard let (person, audit) = try auditor(context) else { return try auditRefusal(context) }
        let language = person.language
        let form = (try? FormBody(request.uri.query ?? "")) ?? FormBody.empty
        let page = try await audit.history(state: nil, before: form["before"].flatMap(Int64.init), maximumAttempts: 200)
        var model: [String: Any] = [
            "runs": page.runs.map { run -> [String: Any] in
                [
                    "startedAt": run.startedAt.map(Self.time) ?? "—", "failureCount": String(run.failures.count),
                    "attempts": run.attempts.map { attemptRow($0, language) },
                ]
            }
        ]
        if let next = page.next { model["olderURL"] = "/audit/history?before=\(next)" }
        return renderer.response("auditHistory", title: AuditText.history(language), model: auditModel(language, model), frame: frame(context))
    }

    private func attemptRow(_ stored: StoredAttempt, _ language: Language) -> [String: Any] {
        [
            "state": stored.attempt.state.description, "at": Self.time(stored.attempt.at), "outcome": stored.attempt.outcome.rawValue,
            "outcomeLabel": Self.outcomeLabel(stored.attempt.outcome, language), "headSize": stored.acceptedHead.map { String($0.treeSize) } ?? "—",
            "headTime": stored.acceptedHead.map { Self.time($0.timestamp) } ?? "—", "detail": BulletinPresenter.safe(stored.attempt.detail),
        ]
    }

    // MARK: - A node

    func auditNodePage(context: ConsoleContext) async throws -> Response {
        guard let (person, audit) = try auditor(context) else { return try auditRefusal(context) }
        let language = person.language
        guard let state = context.parameters.get("state").flatMap({ try? StateCode($0.uppercased()) }), let node = try await audit.node(state) else {
            return try auditRefusal(context)
        }
        let heads = try await audit.acceptedHeads(of: state, limit: 20)
        let findings = try await audit.findings(FindingQuery(state: state, limit: 50))
        let history = try await audit.history(state: state, before: nil, maximumAttempts: 50)
        let model: [String: Any] = [
            "state": state.description, "equivocation": node.equivocation, "entriesHeld": String(node.entriesHeld),
            "headTime": node.lastAccepted.map { Self.time($0.timestamp) } ?? "—", "root": node.lastAccepted.map { "\($0.rootHash)" } ?? "—",
            "lastCollection": node.lastAttempt.map { "\(Self.time($0.attempt.at)) · \(Self.outcomeLabel($0.attempt.outcome, language))" }
                ?? AuditText.never(language),
            "heads": heads.map {
                ["size": String($0.treeSize), "time": Self.time($0.timestamp), "collectedAt": Self.time($0.collectedAt), "root": "\($0.rootHash)"]
            },
            "findings": findings.items.map {
                [
                    "kindLabel": AuditText.kindLabel($0.kind.rawValue, language), "when": Self.time($0.foundAt),
                    "detail": BulletinPresenter.safe($0.detail),
                ]
            },
            "attempts": history.runs.flatMap { $0.attempts.reversed() }.map { attemptRow($0, language) },
        ]
        return renderer.response("auditNode", title: "\(AuditText.node(language)) \(state)", model: auditModel(language, model), frame: frame(context))
    }
}

/// On the secretariat's console (`--secretariat`), only auditors, and only their pages: every
/// other role is refused every page but its own account's (settings, password, security keys,
/// sign-out), and
/// an auditor is refused every bulletin page and API (the feed, a bulletin, posting, the live
/// stream, links, users) — before any route runs. `/` takes an auditor to the matrix.
struct SecretariatGate: RouterMiddleware {
    typealias Context = ConsoleContext
    let renderer: PageRenderer
    let label: String

    /// Pages of one's own account, open to every role (security keys and recovery codes too:
    /// auditors sign in with a second factor like everyone).
    static let accountPaths: Set<String> = [
        "/settings", "/password", "/logout", "/security", "/security/keys", "/security/keys/remove", "/security/recovery",
    ]

    /// Whether `role` may reach `path` on the secretariat's console.
    static func allows(_ clearance: Clearance, path: String) -> Bool {
        if accountPaths.contains(path) { return true }
        guard ClearancePolicy.canSeeAudit(clearance) else { return false }
        return path == "/audit" || path.hasPrefix("/audit/")
    }

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        guard let person = context.person else { return try await next(request, context) }
        let path = request.uri.path
        if path == "/", ClearancePolicy.canSeeAudit(person.clearance) { return ConsoleServer.redirect(to: "/audit") }
        guard Self.allows(person.clearance, path: path) else {
            let language = person.language
            return renderer.message(
                heading: ConsoleText.forbidden(language), text: ConsoleText.forbiddenExplanation(language),
                frame: PageRenderer.Frame(language: language, person: person, nodeLabel: label), status: .forbidden)
        }
        return try await next(request, context)
    }
}
