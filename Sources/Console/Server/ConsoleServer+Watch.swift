import BulletinSchema
import Clearance
import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import Observables
import SearchIndex
import Wire

/// The watch-list page (docs/SEARCH.md, docs/CONSOLE.md "Watch-list"): the person's entries,
/// added and removed through the node's control socket (owner `user:USERNAME`, the scope the
/// person reads now kept with each entry), and their alerts read from the search index, each
/// bulletin decided again with the person's clearance of now.
extension ConsoleServer {
    /// The alerts a page shows (the newest the person may read, among their newest 500 or so:
    /// ``AlertScan/newest(count:window:)``).
    static let alertsShown = 50

    func addWatchRoutes(to pages: RouterGroup<ConsoleContext>) {
        pages.get("/watch") { _, context in try await self.watchPage(context: context) }
        pages.post("/watch") { request, context in try await self.addWatchEntry(request, context: context) }
        pages.post("/watch/remove") { request, context in try await self.removeWatchEntry(request, context: context) }
        pages.get("/watch/events") { request, context in try self.alertEvents(request, context: context) }
    }

    /// The owner of a person's entries.
    static func watchOwner(_ person: SignedInPerson) -> WatchOwner { .user(person.username) }

    func watchPage(context: ConsoleContext, typed: [String: String] = [:], problems: [String] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let person = try Self.person(context)
        let language = person.language
        let scope = ClearancePolicy.readableScope(person.clearance)
        guard scope != .nothing else { return forbidden(context) }
        var model: [String: Any] = [
            "s": SearchText.table(language), "csrf": person.csrfToken,
            "kinds": WatchKind.allCases.map { ["value": $0.rawValue, "label": SearchText.watchKind($0, language), "selected": $0.rawValue == typed["kind"]] },
            "value": typed["value"] ?? "", "label": typed["label"] ?? "", "maximumValue": WatchCriterion.maximumValueLength,
        ]
        var problems = problems
        do {
            let answer = try await node.watch(.watchList, WatchRequest(owner: Self.watchOwner(person).description))
            if answer.ok {
                let entries = (answer.watchEntries ?? []).map { item -> [String: Any] in
                    let kind = WatchKind(rawValue: item.kind).map { SearchText.watchKind($0, language) } ?? BulletinPresenter.safe(item.kind)
                    var row: [String: Any] = [
                        "id": item.id, "kind": kind, "value": BulletinPresenter.safe(item.value), "createdAt": BulletinPresenter.time(item.createdAt),
                    ]
                    if let label = item.label { row["label"] = BulletinPresenter.safe(label) }
                    return row
                }
                model["entries"] = entries
            } else {
                problems.append(SearchText.watchRefused(language) + " " + BulletinPresenter.safe(answer.error ?? ""))
            }
        } catch {
            logger.warning("console watch-list unreadable", metadata: ["user": "\(person.username)", "error": "\(error)"])
            problems.append(ConsoleText.nodeUnreachable(language))
        }
        let (alerts, lastAlert) = try await alertRows(for: person)
        model["alerts"] = alerts
        // Alerts raised after the last one read arrive live (LiveFeed+Alerts).
        if node.search != nil { model["eventsURL"] = "/watch/events?after=\(lastAlert)" }
        model["problems"] = problems
        model["hasProblems"] = !problems.isEmpty
        return renderer.response("watch", title: SearchText.watch(language), model: model, frame: frame(context), status: status)
    }

    /// The person's newest alerts (at most ``alertsShown``), newest first, each for a bulletin
    /// the person may read now, and the number of the last alert read (0 for none); empty without
    /// an index.
    func alertRows(for person: SignedInPerson) async throws -> (rows: [[String: Any]], last: Int64) {
        guard let gateway = node.search else { return ([], 0) }
        let scope = ClearancePolicy.readableScope(person.clearance)
        let newest: [WatchAlert]
        let last: Int64
        do {
            // Newest first, without reading the whole backlog (the index reads oldest first).
            guard case .value(let found) = try await gateway.newestAlerts(of: Self.watchOwner(person), scope: scope, count: Self.alertsShown)
            else { return ([], 0) }
            newest = found.alerts
            last = found.last
        } catch {
            logger.warning("console alerts unreadable", metadata: ["user": "\(person.username)", "error": "\(error)"])
            return ([], 0)
        }
        let presenter = BulletinPresenter(catalog: node.catalog, language: person.language)
        var rows: [[String: Any]] = []
        for alert in newest.reversed() {
            guard let summary = try await node.summary(id: alert.bulletin.description),
                ClearancePolicy.decide(person.clearance, for: Self.facts(summary)) == .allowed
            else { continue }
            var row: [String: Any] = presenter.row(summary)
            row["alert"] = String(alert.id)
            row["entry"] = alert.entry
            row["reason"] = BulletinPresenter.safe(String(alert.reason.prefix(Self.maximumReasonLength)))
            row["raisedAt"] = BulletinPresenter.time(alert.raisedAtMilliseconds)
            rows.append(row)
        }
        return (rows, last)
    }

    /// `/watch/events?after=N`: the person's alerts after alert N as they are raised (Server-Sent
    /// Events, ``LiveFeed/alertStream(for:after:index:store:)``); a reconnection's
    /// `Last-Event-ID` (the last alert number the stream sent or moved past) goes on after it
    /// when it is further than `after` (one that is not a number is ignored); 503 with
    /// Retry-After when the streams' bounds are reached, 400 for an `after` that is not a number.
    func alertEvents(_ request: Request, context: ConsoleContext) throws -> Response {
        let person = try Self.person(context)
        guard ClearancePolicy.readableScope(person.clearance) != .nothing else { return forbidden(context) }
        let query = (try? FormBody(request.uri.query ?? "")) ?? FormBody.empty
        guard let after = Self.alertStreamStart(after: query["after"], lastEventID: request.headers[Self.lastEventID]) else {
            throw HTTPError(.badRequest, message: "'after' is an alert number")
        }
        guard let search = node.search, let store = node.reader else { throw HTTPError(.notFound) }
        guard let stream = live.alertStream(for: person, after: after, index: search.file, store: store) else {
            return Response(status: .serviceUnavailable, headers: [.retryAfter: "30"])
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
            body: .init(asyncSequence: stream))
    }

    /// The header an `EventSource` sends when it reconnects: the last `id:` it was sent.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    /// An alert number as a query or header gives it (ASCII digits, 0 or more), else `nil`.
    static func alertNumber(_ text: String) -> Int64? {
        guard text.count <= 18, text.allSatisfy(\.isASCII), let number = Int64(text), number >= 0 else { return nil }
        return number
    }

    /// Where an alert stream starts: after `after` (0 when absent; `nil`, a 400, when it is not an
    /// alert number), or after a reconnection's `Last-Event-ID` when that is further (ignored
    /// when it is not a number).
    static func alertStreamStart(after: String?, lastEventID: String?) -> Int64? {
        guard let asked = alertNumber(after ?? "0") else { return nil }
        return max(asked, lastEventID.flatMap(alertNumber) ?? 0)
    }

    func addWatchEntry(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        let language = person.language
        let scope = ClearancePolicy.readableScope(person.clearance)
        guard scope != .nothing else { return forbidden(context) }
        let value = form["value"] ?? ""
        let label = form["label"]
        let typed = ["kind": String((form["kind"] ?? "").prefix(40)), "value": String(value.prefix(400)), "label": String((label ?? "").prefix(400))]
        var problems: [String] = []
        guard let kind = form["kind"].flatMap(WatchKind.init(rawValue:)) else {
            return try await watchPage(context: context, typed: typed, problems: [SearchText.watchKindUnknown(language)], status: .badRequest)
        }
        if value.isEmpty || value.unicodeScalars.count > WatchCriterion.maximumValueLength { problems.append(SearchText.watchValueTooLong(language)) }
        if let label, label.unicodeScalars.count > 200 || label.contains(where: \.isNewline) { problems.append(SearchText.watchLabelInvalid(language)) }
        guard problems.isEmpty else { return try await watchPage(context: context, typed: typed, problems: problems, status: .badRequest) }
        // The scope the person reads now is kept with the entry: it never alerts beyond it.
        let watchScope = (try? JSONDecoder().decode(WatchScope.self, from: Data(WatchScopeJSON.encode(scope).utf8))) ?? WatchScope(kind: "nothing")
        let answer: ControlResponse
        do {
            answer = try await node.watch(
                .watchAdd, WatchRequest(owner: Self.watchOwner(person).description, kind: kind.rawValue, value: value, label: label, scope: watchScope))
        } catch {
            return try await watchPage(context: context, typed: typed, problems: [ConsoleText.nodeUnreachable(language)], status: .serviceUnavailable)
        }
        guard answer.ok else {
            return try await watchPage(
                context: context, typed: typed, problems: [SearchText.watchRefused(language) + " " + BulletinPresenter.safe(answer.error ?? "")],
                status: .unprocessableContent)
        }
        logger.info("console watch-list entry added", metadata: ["user": "\(person.username)", "entry": "\(answer.watchEntries?.first?.id ?? 0)"])
        return Self.redirect(to: "/watch")
    }

    func removeWatchEntry(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let form = try await Self.form(request, context: context)
        try Self.requireCSRF(form, person)
        guard ClearancePolicy.readableScope(person.clearance) != .nothing else { return forbidden(context) }
        let language = person.language
        guard let text = form["entry"], text.count <= 18, text.allSatisfy(\.isASCII), let entry = Int64(text), entry >= 1 else {
            return try await watchPage(context: context, problems: [SearchText.watchRefused(language)], status: .badRequest)
        }
        let answer: ControlResponse
        do {
            // The node removes only an entry of this owner.
            answer = try await node.watch(.watchRemove, WatchRequest(owner: Self.watchOwner(person).description, entry: entry))
        } catch {
            return try await watchPage(context: context, problems: [ConsoleText.nodeUnreachable(language)], status: .serviceUnavailable)
        }
        guard answer.ok else {
            return try await watchPage(
                context: context, problems: [SearchText.watchRefused(language) + " " + BulletinPresenter.safe(answer.error ?? "")], status: .unprocessableContent)
        }
        return Self.redirect(to: "/watch")
    }
}
