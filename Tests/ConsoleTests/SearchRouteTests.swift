import BulletinSchema
import Clearance
import ConsoleAccounts
import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NodeSetup
import STIX
import SearchIndex
import Store
import Testing
import Wire

@testable import Console

/// A node folder whose store holds three received bulletins naming محمد بن يوسف (customs GREEN,
/// security AMBER, customs RED; the first two share a document), its search index made by the
/// real ``SearchIndex`` when `indexed` (else none), a console folder with an officer, a customs
/// reader (AMBER), a reader of security at CLEAR, and an operator, and the node's console.
final class SearchConsole: Sendable {
    let root: URL
    let server: ConsoleServer
    let cookies: [String: String]
    /// The bulletins: customs GREEN, security AMBER, customs RED.
    let ids: [String]

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    init(indexed: Bool) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-search-console-\(UUID().uuidString.prefix(8))")
        let node = root.appendingPathComponent("node")
        try FileManager.default.createDirectory(at: node, withIntermediateDirectories: true)
        try NodeConfiguration().renderedFile.write(to: node.appendingPathComponent("node.toml"), atomically: true, encoding: .utf8)
        let store = try BulletinStore(path: node.appendingPathComponent("store.sqlite").path)
        let catalog = try SchemaCatalog.load(from: Self.repository.appendingPathComponent("Schemas"))
        let example = try catalog.validate(Array(try Data(contentsOf: Self.repository.appendingPathComponent("Schemas/examples/fuel-smuggling.json")))).value
        guard case .object(let base) = example, case .object(var details)? = base["details"] else { throw CocoaError(.fileReadCorruptFile) }
        var stored: [StoredBulletin] = []
        var ids: [String] = []
        let kinds: [(group: String, tlp: String, name: JSONValue)] = [
            ("customs", "GREEN", .object(["arabic": .string("محمد بن يوسف")])),
            ("security", "AMBER", .object(["arabic": .string("محمد بن يوسف"), "latin": .string("BEN YOUSSEF Mohamed")])),
            ("customs", "RED", .object(["arabic": .string("محمد بن يوسف")])),
        ]
        for (number, kind) in kinds.enumerated() {
            var members = base
            members["id"] = .string("TN-01J7333A92ZFM27JTCYCFWT" + String(format: "%03d", number + 1))
            members["workingGroup"] = .string(kind.group)
            members["tlp"] = .string(kind.tlp)
            members["title"] = .object(["fr": .string("Contrebande de carburant \(number + 1)")])
            details["people"] = .array([.object(["name": kind.name, "sex": .string("male"), "role": .string("driver")])])
            if number < 2 {
                details["documents"] = .array([
                    .object(["documentType": .string("passport"), "issuingState": .string("MAR"), "documentNumber": .string("AB1234567")])
                ])
            } else {
                details["documents"] = nil
            }
            members["details"] = .object(details)
            let body = CanonicalJSON.bytes(.object(members))
            let bulletin = try catalog.validate(body).value
            let reference = try BulletinReference(bulletin["id"]?.stringValue ?? "")
            let storedAt = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + UInt64(number) * 1_000)
            var hash = [UInt8](repeating: 0, count: 32)
            hash[0] = UInt8(number + 1)
            let storedBulletin = StoredBulletin(
                reference: reference, incidentType: "fuel-smuggling", tlp: try TLP(label: kind.tlp), createdAt: storedAt, storedAt: storedAt, body: body)
            try store.recordDeliveries([
                BulletinStore.Delivery(
                    envelope: IncomingEnvelope(
                        origin: reference.origin, sequence: UInt64(number + 1), bulletin: reference, hash: try EnvelopeHash(bytes: hash),
                        receivedAt: storedAt),
                    bulletin: storedBulletin)
            ])
            stored.append(storedBulletin)
            ids.append(reference.description)
        }
        self.ids = ids
        if indexed {
            let index = try SearchIndex(path: node.appendingPathComponent("search.sqlite").path)
            _ = try index.index(stored, own: { _ in false })
        }
        let consoleFolder = root.appendingPathComponent("console")
        let accounts = try AccountStore.open(folder: consoleFolder)
        var cookies: [String: String] = [:]
        let people: [(String, String, [String], String)] = [
            ("officer", "officer", [], "RED"), ("customs", "reader", ["customs"], "AMBER"), ("cleared", "reader", ["security"], "CLEAR"),
            ("operator", "operator", [], "CLEAR"),
        ]
        for (username, role, groups, tlp) in people {
            let user = try accounts.addUser(
                NewUser(
                    username: username, displayName: username, role: role, workingGroups: groups, highestTLP: tlp, agencyKind: "law-enforcement",
                    language: "en", mustChangePassword: false),
                password: "a-long-enough-password-1", now: Date())
            cookies[username] = "\(ConsoleServer.sessionCookie)=\(try accounts.createSession(for: user, now: Date()).token)"
        }
        self.cookies = cookies
        server = try ConsoleServer(
            configuration: ConsoleConfiguration(
                nodeData: node, consoleData: consoleFolder, schemas: Self.repository.appendingPathComponent("Schemas"), port: 0),
            logger: Logger(label: "test"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// GET `path` as `username`: the status and the body.
    func get(_ path: String, as username: String, client: some TestClientProtocol) async throws -> (status: HTTPResponse.Status, body: String) {
        var headers: HTTPFields = [:]
        if let cookie = cookies[username] { headers[.cookie] = cookie }
        return try await client.execute(uri: path, method: .get, headers: headers) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// POST `form` (urlencoded) to `path` as `username`: the status and the body.
    func post(_ path: String, form: String, as username: String, client: some TestClientProtocol) async throws -> (status: HTTPResponse.Status, body: String) {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie = cookies[username] { headers[.cookie] = cookie }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: form)) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// The bulletins listed as results on a search page.
    static func hits(_ body: String) -> [String] {
        guard let table = body.range(of: #"<table class="bulletins" id="hits">"#) else { return [] }
        let rest = body[table.upperBound...]
        let end = rest.range(of: "</table>")?.lowerBound ?? rest.endIndex
        return rest[..<end].components(separatedBy: #"data-id=""#).dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }
}

@Suite("The console's search page and linked bulletins", .serialized)
struct SearchRouteTests {
    @Test("hostile or unreadable parameters are a 400 naming them, never a 500; no criterion shows the form; operators get 403")
    func parameters() async throws {
        let console = try SearchConsole(indexed: false)
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let empty = try await console.get("/search", as: "customs", client: client)
            #expect(empty.status == .ok && empty.body.contains(#"<form method="get" action="/search""#))
            #expect(empty.body.contains(SearchText.noCriteria(.en)) && empty.body.contains(#"<a href="/search">Search</a>"#))
            let long = String(repeating: "م", count: SearchQuery.maximumTextLength + 1)
            let refused: [(String, SearchText)] = [
                ("q=" + (long.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""), .textTooLong),
                ("type=%3Cscript%3E", .unknownType), ("origin=MAR", .badOrigin), ("origin=%D9%85%D8%A7", .badOrigin),
                ("from=2026-02-30", .badDate), ("to=yesterday", .badDate), ("from=2026-03-02&to=2026-03-01", .datesReversed),
                ("group=navy", .unknownGroup), ("tlp=PURPLE", .unknownTLP), ("point=MA-XX-NOWHERE", .unknownPoint),
                ("idkind=passport&idvalue=1", .unknownIdentifierKind), ("idkind=document", .identifierIncomplete),
                ("idkind=document&idvalue=" + String(repeating: "A", count: 101), .identifierValueTooLong),
                ("q=x&after=-1", .badCursor), ("q=x&after=99999999999999999999", .badCursor), ("q=x&after=%EF%BC%91", .badCursor),
                ("q=%ZZ", .unreadable),
            ]
            for (query, problem) in refused {
                let page = try await console.get("/search?" + query, as: "customs", client: client)
                #expect(page.status == .badRequest, "\(query)")
                #expect(page.body.contains(#"id="search-refused""#) && page.body.contains(ScalarHTMLEscaping.escape(problem(.en))), "\(query)")
                #expect(!page.body.contains("<script>"), "\(query)")
            }
            // A value that is only spaces is no criterion; unknown parameters are ignored.
            let blank = try await console.get("/search?q=++++&color=red", as: "customs", client: client)
            #expect(blank.status == .ok && blank.body.contains(SearchText.noCriteria(.en)))
            // No index yet: said on the page, not an error.
            let missing = try await console.get("/search?q=Mohamed", as: "customs", client: client)
            #expect(missing.status == .ok && missing.body.contains(#"id="index-missing""#))
            // A bulletin page without an index has no linked bulletins, and still opens.
            let bulletin = try await console.get("/bulletins/\(console.ids[0])", as: "customs", client: client)
            #expect(bulletin.status == .ok && !bulletin.body.contains(#"id="linked""#))
            for path in ["/search", "/search?q=Mohamed"] {
                #expect(try await console.get(path, as: "operator", client: client).status == .forbidden)
            }
            let operatorHome = try await console.get("/settings", as: "operator", client: client)
            #expect(!operatorHome.body.contains(#"href="/search""#))
        }
    }

    @Test("the form: the reader's scope in the query, days in UTC with the end day included, the next page keeps every criterion")
    func form() throws {
        let catalog = try SchemaCatalog.load(from: SearchConsole.repository.appendingPathComponent("Schemas"))
        let scope = ReadableScope.restricted(workingGroups: [.customs], tlps: [.green], permittedHandling: [])
        let form = SearchForm(try FormBody("q=a%2Bb+c&origin=ma&from=2026-01-31&to=2026-01-31&tlp=GREEN&after=7&junk=1"), catalog: catalog, scope: scope)
        #expect(form.problems.isEmpty)
        let query = try #require(form.query)
        #expect(query.scope == scope && query.text == "a+b c" && query.origin?.description == "MA" && query.tlps == [.green])
        #expect(query.since == 1_769_817_600_000 && query.until == 1_769_817_600_000 + 86_400_000 - 1)
        #expect(query.after == SearchCursor(row: 7) && query.limit == SearchForm.pageSize)
        let next = form.nextPage(SearchCursor(row: 3))
        #expect(next == "/search?q=a%2Bb%20c&origin=ma&from=2026-01-31&to=2026-01-31&tlp=GREEN&after=3")
        let reread = SearchForm(try FormBody(String(next.dropFirst("/search?".count))), catalog: catalog, scope: scope)
        #expect(reread.query?.text == "a+b c" && reread.query?.after == SearchCursor(row: 3))
        #expect(SearchForm(FormBody.empty, catalog: catalog, scope: scope).query == nil)
        #expect(SearchForm.day("2024-02-29") != nil && SearchForm.day("2025-02-29") == nil && SearchForm.day("٢٠٢٦-٠١-٠١") == nil)
    }

    @Test("the reader's scope: each gets the bulletins their clearance lets them read, and no other")
    func scope() async throws {
        let console = try SearchConsole(indexed: true)
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            // By type alone (facts of the index): the officer gets all three, newest first; the
            // customs reader (AMBER) the customs GREEN one; the security reader at CLEAR none.
            let byType = "/search?type=fuel-smuggling"
            #expect(SearchConsole.hits(try await console.get(byType, as: "officer", client: client).body) == console.ids.reversed())
            #expect(SearchConsole.hits(try await console.get(byType, as: "customs", client: client).body) == [console.ids[0]])
            let none = try await console.get(byType, as: "cleared", client: client)
            #expect(none.status == .ok && SearchConsole.hits(none.body).isEmpty && none.body.contains(#"id="no-hits""#))
        }
    }

    @Test("a search in Latin letters finds the bulletins naming the person in Arabic that the reader may read, and no other; an identifier finds its bulletins")
    func names() async throws {
        let console = try SearchConsole(indexed: true)
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let officer = try await console.get("/search?q=Mohamed+Ben+Youssef", as: "officer", client: client)
            #expect(officer.status == .ok)
            #expect(Set(SearchConsole.hits(officer.body)) == Set(console.ids), "\(officer.body)")
            // Newest first.
            #expect(SearchConsole.hits(officer.body) == console.ids.reversed())
            // Customs up to AMBER: the first only (the second is security, the third RED).
            let customs = try await console.get("/search?q=Mohamed+Ben+Youssef", as: "customs", client: client)
            #expect(customs.status == .ok && SearchConsole.hits(customs.body) == [console.ids[0]])
            // Security at CLEAR: none of them, and nothing says they exist.
            let cleared = try await console.get("/search?q=Mohamed+Ben+Youssef", as: "cleared", client: client)
            #expect(cleared.status == .ok && SearchConsole.hits(cleared.body).isEmpty && cleared.body.contains(#"id="no-hits""#))
            for id in console.ids { #expect(!cleared.body.contains(id)) }
            // Filters narrow within the scope; the identifier finds both bulletins that name it.
            let red = try await console.get("/search?q=Mohamed+Ben+Youssef&tlp=RED", as: "customs", client: client)
            #expect(red.status == .ok && SearchConsole.hits(red.body).isEmpty)
            let document = try await console.get("/search?idkind=document&idvalue=MAR%3AAB1234567", as: "officer", client: client)
            #expect(Set(SearchConsole.hits(document.body)) == Set(console.ids.prefix(2)), "\(document.body)")
        }
    }

    @Test("a bulletin page lists the linked bulletins the reader may read, with why and the score, and nothing of the others")
    func links() async throws {
        let console = try SearchConsole(indexed: true)
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let officer = try await console.get("/bulletins/\(console.ids[0])", as: "officer", client: client)
            #expect(officer.status == .ok && officer.body.contains(#"id="linked""#), "\(officer.body)")
            #expect(officer.body.contains(#"data-id="\#(console.ids[1])""#))
            #expect(officer.body.contains(#"<td class="score">"#))
            // The customs reader may not read the security bulletin it is linked to: no section.
            let customs = try await console.get("/bulletins/\(console.ids[0])", as: "customs", client: client)
            #expect(customs.status == .ok && !customs.body.contains(console.ids[1]) && !customs.body.contains(console.ids[2]))
        }
    }

    @Test("the watch-list page: CSRF required, hostile values refused before the node is asked, operators refused, no node said on the page")
    func watchPage() async throws {
        let console = try SearchConsole(indexed: true)
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let page = try await console.get("/watch", as: "customs", client: client)
            #expect(page.status == .ok && page.body.contains(#"id="watch-add""#) && page.body.contains(ConsoleText.nodeUnreachable(.en)))
            #expect(page.body.contains(#"id="no-alerts""#) && page.body.contains(#"<a href="/watch">"#))
            let csrf = try #require(page.body.components(separatedBy: #"name="csrf" value=""#).dropFirst().first?.split(separator: "\"").first)
            #expect(try await console.post("/watch", form: "kind=name&value=x", as: "customs", client: client).status == .forbidden)
            #expect(try await console.post("/watch/remove", form: "entry=1&csrf=wrong", as: "customs", client: client).status == .forbidden)
            let hostile: [(String, SearchText)] = [
                ("kind=passport&value=x", .watchKindUnknown), ("kind=name&value=", .watchValueTooLong),
                ("kind=name&value=" + String(repeating: "a", count: 201), .watchValueTooLong),
                ("kind=name&value=x&label=a%0Ab", .watchLabelInvalid),
            ]
            for (form, problem) in hostile {
                let answer = try await console.post("/watch", form: form + "&csrf=\(csrf)", as: "customs", client: client)
                #expect(answer.status == .badRequest && answer.body.contains(ScalarHTMLEscaping.escape(problem(.en))), "\(form)")
            }
            #expect(try await console.post("/watch/remove", form: "entry=-3&csrf=\(csrf)", as: "customs", client: client).status == .badRequest)
            // A valid entry reaches for the node, which is not running here: said, not a 500.
            #expect(try await console.post("/watch", form: "kind=name&value=Mohamed&csrf=\(csrf)", as: "customs", client: client).status == .serviceUnavailable)
            #expect(try await console.get("/watch", as: "operator", client: client).status == .forbidden)
            #expect(try await console.get("/watch/events", as: "operator", client: client).status == .forbidden)
            for after in ["x", "-1", "%EF%BC%91", "99999999999999999999"] {
                #expect(try await console.get("/watch/events?after=\(after)", as: "customs", client: client).status == .badRequest, "\(after)")
            }
            #expect(page.body.contains(#"data-events="/watch/events?after=0""#))
        }
    }
}
