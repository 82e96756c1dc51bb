import BulletinSchema
import ConsoleAccounts
import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NodeSetup
import STIX
import Store
import TAXII
import Wire
import Testing

@testable import Console

/// A node folder whose store holds received bulletins (customs and security), a console folder
/// with two agencies, and the node's console serving them.
final class TAXIIConsole: Sendable {
    let root: URL
    let accounts: AccountStore
    let server: ConsoleServer
    /// Agency name → token.
    let tokens: [String: String]

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `gate`: the TAXII server's limits (the standard ones when `nil`).
    init(gate: TAXIIAccessGate? = nil) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-taxii-console-\(UUID().uuidString.prefix(8))")
        let node = root.appendingPathComponent("node")
        try FileManager.default.createDirectory(at: node, withIntermediateDirectories: true)
        try NodeConfiguration().renderedFile.write(to: node.appendingPathComponent("node.toml"), atomically: true, encoding: .utf8)
        let store = try BulletinStore(path: node.appendingPathComponent("store.sqlite").path)
        let catalog = try SchemaCatalog.load(from: Self.repository.appendingPathComponent("Schemas"))
        let example = try catalog.validate(Array(try Data(contentsOf: Self.repository.appendingPathComponent("Schemas/examples/fuel-smuggling.json")))).value
        guard case .object(let base) = example else { throw CocoaError(.fileReadCorruptFile) }
        for number in 1...12 {
            var members = base
            members["id"] = .string("TN-01J7333A92ZFM27JTCYCFWTZ" + String(format: "%02d", number))
            members["workingGroup"] = .string(number % 3 == 0 ? "security" : "customs")
            members["tlp"] = .string(number % 4 == 0 ? "RED" : "GREEN")
            let body = CanonicalJSON.bytes(.object(members))
            let bulletin = try catalog.validate(body).value
            let reference = try BulletinReference(bulletin["id"]?.stringValue ?? "")
            let storedAt = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + UInt64(number) * 1_000)
            var hash = [UInt8](repeating: 0, count: 32)
            hash[0] = UInt8(number)
            try store.recordDeliveries([
                BulletinStore.Delivery(
                    envelope: IncomingEnvelope(
                        origin: reference.origin, sequence: UInt64(number), bulletin: reference, hash: try EnvelopeHash(bytes: hash),
                        receivedAt: storedAt),
                    bulletin: StoredBulletin(
                        reference: reference, incidentType: "fuel-smuggling", tlp: try TLP(label: bulletin["tlp"]?.stringValue ?? ""),
                        createdAt: storedAt, storedAt: storedAt, body: body))
            ])
        }
        let consoleFolder = root.appendingPathComponent("console")
        accounts = try AccountStore.open(folder: consoleFolder)
        var tokens: [String: String] = [:]
        for (name, groups, tlp) in [("ma-customs", ["customs"], "AMBER"), ("ma-security", ["security"], "RED")] {
            tokens[name] = try accounts.addAgency(
                NewAgency(name: name, workingGroups: groups, highestTLP: tlp, agencyKind: "law-enforcement", expiresAt: Date() + 86_400),
                now: Date()
            ).token
        }
        self.tokens = tokens
        server = try ConsoleServer(
            configuration: ConsoleConfiguration(
                nodeData: node, consoleData: consoleFolder, schemas: Self.repository.appendingPathComponent("Schemas"), port: 0),
            logger: Logger(label: "test"), taxiiGate: gate)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static func basic(_ name: String, _ token: String) -> String {
        "Basic " + Data("\(name):\(token)".utf8).base64EncodedString()
    }

    /// GET `path` with `authorization` and `accept`: status, headers and the body as JSON.
    func get(_ path: String, authorization: String?, accept: String? = TAXIIMediaType.taxii, method: HTTPRequest.Method = .get,
        client: some TestClientProtocol) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, json: JSONValue?)
    {
        var headers: HTTPFields = [:]
        if let authorization { headers[.authorization] = authorization }
        if let accept { headers[.accept] = accept }
        return try await client.execute(uri: path, method: method, headers: headers) { response in
            (response.status, response.headers, try? JSONParser().parse(Array(buffer: response.body)))
        }
    }
}

@Suite("The console's TAXII 2.1 routes", .serialized)
struct TAXIIRouteTests {
    @Test("credentials: Basic and Bearer accepted; none, wrong name, revoked → 401 with WWW-Authenticate")
    func credentials() async throws {
        let console = try TAXIIConsole()
        let token = try #require(console.tokens["ma-customs"])
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            for authorization in [TAXIIConsole.basic("ma-customs", token), "Bearer \(token)", "Token \(token)"] {
                let answer = try await console.get("/taxii2/", authorization: authorization, client: client)
                #expect(answer.status == .ok)
                #expect(answer.headers[.contentType] == TAXIIMediaType.taxii)
                #expect(answer.json?["api_roots"]?.arrayValue?.first?.stringValue?.hasSuffix("/taxii2/bordernet/") == true)
            }
            for authorization in [nil, TAXIIConsole.basic("ma-security", token), "Bearer bnt_nothing", "Basic !!!", "Digest x"] as [String?] {
                let answer = try await console.get("/taxii2/bordernet/collections/", authorization: authorization, client: client)
                #expect(answer.status == .unauthorized)
                #expect(answer.headers[.wwwAuthenticate] == "Basic realm=\"BorderNet TAXII\"")
                #expect(answer.headers[.contentType] == TAXIIMediaType.taxii)
                #expect(answer.json?["http_status"]?.stringValue == "401")
            }
            try console.accounts.revokeAgency(named: "ma-customs", now: Date())
            #expect(try await console.get("/taxii2/", authorization: "Bearer \(token)", client: client).status == .unauthorized)
        }
    }

    @Test("collections: everything and one per working group; another agency's is 404; Accept is negotiated")
    func collections() async throws {
        let console = try TAXIIConsole()
        let customs = "Bearer \(try #require(console.tokens["ma-customs"]))"
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let list = try await console.get("/taxii2/bordernet/collections/", authorization: customs, client: client)
            let collections = try #require(list.json?["collections"]?.arrayValue)
            #expect(collections.count == 2)
            #expect(collections.allSatisfy { $0["can_read"] == .bool(true) && $0["can_write"] == .bool(false) })
            let everything = TAXIICollectionKind.everything.id(agency: "ma-customs")
            #expect(collections.first?["id"]?.stringValue == everything)
            let other = TAXIICollectionKind.workingGroup("security").id(agency: "ma-security")
            let refused = try await console.get("/taxii2/bordernet/collections/\(other)/objects/", authorization: customs, client: client)
            #expect(refused.status == .notFound && refused.json?["http_status"]?.stringValue == "404")
            let json = try await console.get(
                "/taxii2/bordernet/collections/\(everything)/", authorization: customs, accept: "application/json", client: client)
            #expect(json.status == .notAcceptable && json.headers[.contentType] == TAXIIMediaType.taxii)
            let post = try await console.get(
                "/taxii2/bordernet/collections/\(everything)/objects/", authorization: customs, method: .post, client: client)
            #expect(post.status == .forbidden)
            #expect(try await console.get("/taxii2/bordernet/status/x/", authorization: customs, client: client).status == .notFound)
        }
    }

    @Test("objects: pages with limit, next, more and the date headers; bad parameters are 400; by id and manifest")
    func objects() async throws {
        let console = try TAXIIConsole()
        let customs = "Bearer \(try #require(console.tokens["ma-customs"]))"
        let everything = TAXIICollectionKind.everything.id(agency: "ma-customs")
        let base = "/taxii2/bordernet/collections/\(everything)"
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            var next: String?
            var reports: [String] = []
            for _ in 0..<200 {
                let path = "\(base)/objects/?limit=9" + (next.map { "&next=\($0)" } ?? "")
                let page = try await console.get(path, authorization: customs, client: client)
                #expect(page.status == .ok)
                let objects = page.json?["objects"]?.arrayValue ?? []
                #expect(objects.count <= 9)
                if !objects.isEmpty { #expect(page.headers[HTTPField.Name("X-TAXII-Date-Added-First")!] != nil) }
                reports += objects.filter { $0["type"]?.stringValue == "report" }.compactMap { $0["id"]?.stringValue }
                next = page.json?["next"]?.stringValue
                guard page.json?["more"] == .bool(true) else { break }
            }
            // Customs, not RED: bulletins 1, 2, 5, 7, 10, 11.
            #expect(reports.count == 6 && Set(reports).count == 6)
            for bad in ["limit=0", "limit=x", "match[version]=newest", "next=AAAA", "colour=red", "added_after=today"] {
                let answer = try await console.get("\(base)/objects/?\(bad)", authorization: customs, client: client)
                #expect(answer.status == .badRequest, "\(bad)")
                #expect(answer.json?["http_status"]?.stringValue == "400")
            }
            let report = try #require(reports.first)
            let one = try await console.get("\(base)/objects/\(report)/", authorization: customs, client: client)
            #expect(one.status == .ok && one.json?["objects"]?.arrayValue?.count == 1)
            let versions = try await console.get("\(base)/objects/\(report)/versions/", authorization: customs, client: client)
            #expect(versions.json?["versions"]?.arrayValue?.count == 1)
            let security = "Bearer \(try #require(console.tokens["ma-security"]))"
            let securityBase = "/taxii2/bordernet/collections/\(TAXIICollectionKind.everything.id(agency: "ma-security"))"
            let refusalsBefore = Self.agencyRecords(console).filter { $0.outcome == .refused }.count
            let deliveriesBefore = Self.agencyRecords(console).filter { $0.outcome == .delivered }.count
            let hidden = try await console.get("\(securityBase)/objects/\(report)/", authorization: security, client: client)
            #expect(hidden.status == .notFound)
            // An object asked by id and not given is a refusal in the audit log, not an empty delivery.
            #expect(Self.agencyRecords(console).filter { $0.outcome == .refused }.count == refusalsBefore + 1)
            #expect(Self.agencyRecords(console).filter { $0.outcome == .delivered }.count == deliveriesBefore)
            // A shared object by id: found among the collection's bulletins, once, no next page.
            let marking = try await console.get("\(base)/objects/\(TLPMarking.green.id)/", authorization: customs, client: client)
            #expect(marking.status == .ok && marking.json?["objects"]?.arrayValue?.count == 1 && marking.json?["more"] == .bool(false))
            let unknown = try await console.get(
                "\(base)/objects/report--00000000-0000-5000-8000-000000000000/", authorization: customs, client: client)
            #expect(unknown.status == .notFound)
            let manifest = try await console.get("\(base)/manifest/?match[type]=report", authorization: customs, client: client)
            #expect(manifest.json?["objects"]?.arrayValue?.count == 6)
            #expect(manifest.json?["objects"]?.arrayValue?.first?["media_type"]?.stringValue == TAXIIMediaType.stix)
        }
    }

    /// The agency records the console has queued for its node (no node runs: they stay).
    static func agencyRecords(_ console: TAXIIConsole) -> [AgencyAccessRecord] {
        (console.server.node.accessRecorder?.queued ?? []).compactMap { queued in
            if case .agency(let record) = queued { record } else { nil }
        }
    }

    @Test("past the bound, a page is 429 with Retry-After and a TAXII error, delivering nothing; every page served has its record queued")
    func tooManyRequests() async throws {
        let clock = TestClock()
        let limits = TAXIIAccessLimits(burst: 4, perSecond: 1, agencyBurst: 3, agencyPerSecond: 1, deliveryReserve: 2)
        let console = try TAXIIConsole(gate: TAXIIAccessGate(limits: limits, logger: Logger(label: "test"), clock: { clock.now }))
        let customs = "Bearer \(try #require(console.tokens["ma-customs"]))"
        let security = "Bearer \(try #require(console.tokens["ma-security"]))"
        let customsBase = "/taxii2/bordernet/collections/\(TAXIICollectionKind.everything.id(agency: "ma-customs"))"
        let securityBase = "/taxii2/bordernet/collections/\(TAXIICollectionKind.everything.id(agency: "ma-security"))"
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            var served = 0
            for _ in 0..<3 {
                let page = try await console.get("\(customsBase)/objects/?limit=5", authorization: customs, client: client)
                #expect(page.status == .ok && page.json?["objects"] != nil)
                served += 1
            }
            // The agency's share is spent: 429, no objects, a TAXII error saying when to come back.
            for path in ["\(customsBase)/objects/", "\(customsBase)/manifest/", "\(customsBase)/objects/\(TLPMarking.green.id)/"] {
                let refused = try await console.get(path, authorization: customs, client: client)
                #expect(refused.status == .tooManyRequests, "\(path)")
                #expect(refused.headers[.retryAfter] == "1")
                #expect(refused.headers[.contentType] == TAXIIMediaType.taxii)
                #expect(refused.json?["http_status"]?.stringValue == "429" && refused.json?["objects"] == nil)
            }
            // Another agency is served from what is left of the shared bucket, then refused too.
            #expect(try await console.get("\(securityBase)/objects/", authorization: security, client: client).status == .ok)
            served += 1
            #expect(try await console.get("\(securityBase)/objects/", authorization: security, client: client).status == .tooManyRequests)
            // Resources that deliver no bulletin are not bounded.
            #expect(try await console.get("/taxii2/bordernet/collections/", authorization: customs, client: client).status == .ok)
            // A bad request is refused before the bound is asked: no record, no token.
            #expect(try await console.get("\(customsBase)/objects/?limit=0", authorization: customs, client: client).status == .badRequest)
            let deliveries = Self.agencyRecords(console).filter { $0.outcome == .delivered }
            #expect(deliveries.count == served)
            // A second later the shared bucket and each agency's hold one again.
            clock.advance(.seconds(1))
            #expect(try await console.get("\(customsBase)/objects/", authorization: customs, client: client).status == .ok)
            #expect(Self.agencyRecords(console).filter { $0.outcome == .delivered }.count == served + 1)
        }
    }

    @Test("a flood of bad tokens is recorded only within the refusals' share: the deliveries' reserve is untouched")
    func refusalFlood() async throws {
        let clock = TestClock()
        let limits = TAXIIAccessLimits(burst: 6, perSecond: 1, agencyBurst: 10, agencyPerSecond: 1, deliveryReserve: 4)
        var quiet = Logger(label: "test")
        quiet.logLevel = .error
        let gate = TAXIIAccessGate(limits: limits, logger: quiet, clock: { clock.now })
        let console = try TAXIIConsole(gate: gate)
        let customs = "Bearer \(try #require(console.tokens["ma-customs"]))"
        let base = "/taxii2/bordernet/collections/\(TAXIICollectionKind.everything.id(agency: "ma-customs"))"
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            for attempt in 0..<30 {
                let answer = try await console.get("\(base)/objects/", authorization: "Bearer bnt_guess\(attempt)", client: client)
                #expect(answer.status == .unauthorized)
            }
            #expect(Self.agencyRecords(console) == Array(repeating: AgencyAccessRecord(agency: 0, outcome: .refused), count: 2))
            #expect(gate.refusalsNotRecorded == 28)
            // The 4 kept for deliveries are all there.
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 { statuses.append(try await console.get("\(base)/objects/", authorization: customs, client: client).status) }
            #expect(statuses == [.ok, .ok, .ok, .ok, .tooManyRequests])
            #expect(Self.agencyRecords(console).filter { $0.outcome == .delivered && $0.agency >= 1 }.count == 4)
        }
    }

    @Test("the node not taking records (none runs here): past the pending bound a page is 503 with Retry-After, delivering nothing")
    func nodeNotTaking() async throws {
        let console = try TAXIIConsole()
        let customs = "Bearer \(try #require(console.tokens["ma-customs"]))"
        let base = "/taxii2/bordernet/collections/\(TAXIICollectionKind.everything.id(agency: "ma-customs"))"
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            for _ in 0..<AgencyAccessBound.consolePending {
                #expect(try await console.get("\(base)/manifest/", authorization: customs, client: client).status == .ok)
            }
            let refused = try await console.get("\(base)/objects/", authorization: customs, client: client)
            #expect(refused.status == .serviceUnavailable && refused.headers[.retryAfter] == "5")
            #expect(refused.json?["http_status"]?.stringValue == "503" && refused.json?["objects"] == nil)
            #expect(Self.agencyRecords(console).count == AgencyAccessBound.consolePending)
        }
    }
}
