import BulletinSchema
import Clearance
import Exchange
import Foundation
import Observables
import SearchIndex

/// The search page's parameters (`/search?q=…&type=…`), read strictly into a ``SearchQuery``:
/// every value bounded and checked against what the schemas know, a refusal for each one that is
/// not (the page answers 400 and names them), never a query the reader's scope does not carry.
struct SearchForm {
    /// Results a page shows.
    static let pageSize = 20
    /// The longest identifier value read, in Unicode scalars.
    static let maximumIdentifierLength = 100
    /// The most characters of a refused value given back in the form.
    static let maximumEcho = 600

    /// The parameters as typed (bounded), to fill the form again.
    var typed: [String: String] = [:]
    /// The query, or `nil` when no criterion was given (the page shows the form alone) or one was refused.
    var query: SearchQuery?
    /// What was refused, in the order of the form.
    var problems: [SearchText] = []

    /// The parameter names the form uses (every other one is ignored).
    static let names = ["q", "type", "origin", "from", "to", "group", "tlp", "point", "idkind", "idvalue", "after"]

    /// Reads `form` for a reader of `scope`.
    init(_ form: FormBody, catalog: SchemaCatalog, scope: ReadableScope) {
        for name in Self.names {
            if let value = form[name] { typed[name] = String(value.prefix(Self.maximumEcho)) }
        }
        var query = SearchQuery(scope: scope, limit: Self.pageSize)
        var criteria = 0
        if let text = form["q"] {
            if text.unicodeScalars.count > SearchQuery.maximumTextLength {
                problems.append(.textTooLong)
            } else {
                query.text = text
                criteria += 1
            }
        }
        if let type = form["type"] {
            if catalog.incidentType(type) == nil { problems.append(.unknownType) } else { query.incidentType = type; criteria += 1 }
        }
        if let origin = form["origin"] {
            if origin.count == 2, let code = try? StateCode(origin.uppercased()) { query.origin = code; criteria += 1 } else { problems.append(.badOrigin) }
        }
        if let text = form["from"] {
            if let start = Self.day(text) { query.since = start; criteria += 1 } else { problems.append(.badDate) }
        }
        if let text = form["to"] {
            // The end day is included: up to its last millisecond.
            if let end = Self.day(text) {
                query.until = end + 86_400_000 - 1
                criteria += 1
            } else if !problems.contains(.badDate) {
                problems.append(.badDate)
            }
        }
        if let start = query.since, let end = query.until, start > end { problems.append(.datesReversed) }
        let common = catalog.bulletinFields
        if let group = form["group"] {
            let known = (common.first { $0.name == "workingGroup" }?.allowedValues ?? []).map(\.value)
            if known.contains(group) { query.workingGroups = [group]; criteria += 1 } else { problems.append(.unknownGroup) }
        }
        if let tlp = form["tlp"] {
            if let value = try? TLP(label: tlp) { query.tlps = [value]; criteria += 1 } else { problems.append(.unknownTLP) }
        }
        if let point = form["point"] {
            if catalog.crossingPoints.contains(where: { $0.code == point }) { query.crossingPoint = point; criteria += 1 } else { problems.append(.unknownPoint) }
        }
        switch (form["idkind"], form["idvalue"]) {
        case (nil, nil): break
        case (let kind?, let value?):
            if IdentifierKind(rawValue: kind) == nil {
                problems.append(.unknownIdentifierKind)
            } else if value.unicodeScalars.count > Self.maximumIdentifierLength {
                problems.append(.identifierValueTooLong)
            } else {
                query.identifierKind = kind
                query.identifierValue = value
                criteria += 1
            }
        default: problems.append(.identifierIncomplete)
        }
        if let after = form["after"] {
            // A row number the previous page gave: digits only, positive.
            if after.count <= 18, after.allSatisfy(\.isASCII), after.allSatisfy(\.isNumber), let row = Int64(after), row > 0 {
                query.after = SearchCursor(row: row)
            } else {
                problems.append(.badCursor)
            }
        }
        if problems.isEmpty, criteria > 0 { self.query = query }
    }

    /// The first millisecond of a `YYYY-MM-DD` day (UTC), `nil` when it is not one.
    static func day(_ text: String) -> Int64? {
        guard text.count == 10, text.allSatisfy(\.isASCII) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return Int64(date.timeIntervalSince1970 * 1_000)
    }

    /// The query string of the next page: what was typed, with the cursor `next`.
    func nextPage(_ next: SearchCursor) -> String {
        var parameters = URLComponents()
        parameters.queryItems = Self.names.filter { $0 != "after" }.compactMap { name in typed[name].map { URLQueryItem(name: name, value: $0) } }
            + [URLQueryItem(name: "after", value: String(next.row))]
        // URLComponents leaves "+" as is, which a form reads as a space.
        return "/search?" + (parameters.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }
}
