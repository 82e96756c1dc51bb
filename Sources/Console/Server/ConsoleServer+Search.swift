import BulletinSchema
import Clearance
import Exchange
import Foundation
import Hummingbird
import Observables
import SearchIndex

/// The search page and a bulletin's linked bulletins (docs/SEARCH.md, docs/CONSOLE.md "Search"):
/// the node's search index read within the reader's scope, each bulletin shown decided again
/// with ``ClearancePolicy/decide(_:for:)`` against its stored summary.
extension ConsoleServer {
    /// The most linked bulletins a bulletin page looks at (best first).
    static let maximumLinksShown = 50
    /// The most reasons shown for one result, and the longest shown.
    static let maximumReasons = 10
    static let maximumReasonLength = 300

    func addSearchRoutes(to pages: RouterGroup<ConsoleContext>) {
        pages.get("/search") { request, context in try await self.searchPage(request, context: context) }
    }

    /// `/search`: the form, and when a criterion is given the results newest first, each with the
    /// reasons it matched. A parameter that cannot be read answers 400 naming it; no index yet
    /// is said on the page; people who read no bulletin get 403.
    func searchPage(_ request: Request, context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let language = person.language
        let scope = ClearancePolicy.readableScope(person.clearance)
        guard scope != .nothing else { return forbidden(context) }
        let parameters: FormBody
        do {
            parameters = try FormBody(request.uri.query ?? "")
        } catch {
            var model = searchFormModel(SearchForm(.empty, catalog: node.catalog, scope: scope), language: language)
            model["problems"] = [SearchText.unreadable(language)]
            model["hasProblems"] = true
            return renderer.response("search", title: SearchText.search(language), model: model, frame: frame(context), status: .badRequest)
        }
        let search = SearchForm(parameters, catalog: node.catalog, scope: scope)
        var model = searchFormModel(search, language: language)
        guard search.problems.isEmpty else {
            model["problems"] = search.problems.map { $0(language) }
            model["hasProblems"] = true
            return renderer.response("search", title: SearchText.search(language), model: model, frame: frame(context), status: .badRequest)
        }
        guard let query = search.query else {
            model["noCriteria"] = true
            return renderer.response("search", title: SearchText.search(language), model: model, frame: frame(context))
        }
        guard let gateway = node.search else {
            model["indexMissing"] = true
            return renderer.response("search", title: SearchText.search(language), model: model, frame: frame(context))
        }
        let answer: SearchGateway.Answer<SearchPage>
        do {
            answer = try await gateway.search(query)
        } catch is SearchGateway.Busy {
            logger.warning(
                "console search refused: too many at once",
                metadata: ["user": "\(person.username)", "refused": "\(gateway.refusedSearches.load(ordering: .relaxed))"])
            model["indexUnreadable"] = true
            var response = renderer.response(
                "search", title: SearchText.search(language), model: model, frame: frame(context), status: .serviceUnavailable)
            response.headers[.retryAfter] = "2"
            return response
        } catch {
            logger.error("console search failed", metadata: ["user": "\(person.username)", "error": "\(error)"])
            model["indexUnreadable"] = true
            return renderer.response("search", title: SearchText.search(language), model: model, frame: frame(context), status: .serviceUnavailable)
        }
        guard case .value(let page) = answer else {
            model["indexMissing"] = true
            return renderer.response("search", title: SearchText.search(language), model: model, frame: frame(context))
        }
        let presenter = BulletinPresenter(catalog: node.catalog, language: language)
        var hits: [[String: Any]] = []
        for hit in page.hits {
            // The index answered within the scope; the store's summary is decided again.
            guard let summary = try await node.summary(id: hit.reference.description),
                ClearancePolicy.decide(person.clearance, for: Self.facts(summary)) == .allowed
            else { continue }
            var row: [String: Any] = presenter.row(summary)
            row["reasons"] = hit.reasons.prefix(Self.maximumReasons).map { BulletinPresenter.safe(String($0.prefix(Self.maximumReasonLength))) }
            hits.append(row)
        }
        model["searched"] = true
        model["hits"] = hits
        if let next = page.next { model["nextURL"] = search.nextPage(next) }
        logger.info("console search", metadata: ["user": "\(person.username)", "hits": "\(hits.count)"])
        return renderer.response("search", title: SearchText.search(language), model: model, frame: frame(context))
    }

    /// The form's choices and what was typed.
    func searchFormModel(_ search: SearchForm, language: Language) -> [String: Any] {
        let common = node.catalog.bulletinFields
        func options(_ values: [(value: String, label: String)], selected: String?) -> [[String: Any]] {
            values.map { ["value": $0.value, "label": $0.label, "selected": $0.value == selected] }
        }
        func allowed(_ field: String) -> [(value: String, label: String)] {
            (common.first { $0.name == field }?.allowedValues ?? []).map { ($0.value, $0.labels[language]) }
        }
        let typed = search.typed
        return [
            "s": SearchText.table(language),
            "q": typed["q"] ?? "", "origin": typed["origin"] ?? "", "from": typed["from"] ?? "", "to": typed["to"] ?? "",
            "idvalue": typed["idvalue"] ?? "",
            "types": options(node.catalog.incidentTypes.map { ($0.id, $0.labels[language]) }, selected: typed["type"]),
            "tlps": options(allowed("tlp"), selected: typed["tlp"]),
            "groups": options(allowed("workingGroup"), selected: typed["group"]),
            "points": options(node.catalog.crossingPoints.map { ($0.code, "\($0.names[language]) (\($0.code))") }, selected: typed["point"]),
            "idkinds": options(IdentifierKind.allCases.map { ($0.rawValue, SearchText.identifierKind($0, language)) }, selected: typed["idkind"]),
            "maximumText": SearchQuery.maximumTextLength, "maximumIdentifier": SearchForm.maximumIdentifierLength,
        ]
    }

    /// The bulletins linked to `reference` that this person may read, best first, each decided
    /// again against its stored summary: nothing is said of the others. Empty when there is no
    /// index yet or it cannot be read (the bulletin page never fails for it).
    func linkedBulletins(of reference: BulletinReference, person: SignedInPerson) async throws -> [[String: Any]] {
        guard let gateway = node.search else { return [] }
        let answer: SearchGateway.Answer<[BulletinLink]>
        do {
            answer = try await gateway.links(of: reference, scope: ClearancePolicy.readableScope(person.clearance))
        } catch {
            logger.warning("console links unreadable", metadata: ["bulletin": "\(reference)", "error": "\(error)"])
            return []
        }
        guard case .value(let links) = answer else { return [] }
        let presenter = BulletinPresenter(catalog: node.catalog, language: person.language)
        var rows: [[String: Any]] = []
        for link in links.prefix(Self.maximumLinksShown) where link.other != reference {
            guard let summary = try await node.summary(id: link.other.description),
                ClearancePolicy.decide(person.clearance, for: Self.facts(summary)) == .allowed
            else { continue }
            var row: [String: Any] = presenter.row(summary)
            row["reason"] = BulletinPresenter.safe(String(link.reason.prefix(Self.maximumReasonLength)))
            row["score"] = String(format: "%.2f", link.score.isFinite ? min(max(link.score, 0), 1) : 0)
            rows.append(row)
        }
        return rows
    }
}
