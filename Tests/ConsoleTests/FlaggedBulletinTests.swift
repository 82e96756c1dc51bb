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
import Testing

@testable import Console

/// A node folder whose store holds two bulletins received from TN (stored at
/// 1,700,000,000,000 and 1,700,000,001,000 ms, created when stored), TN's keys revoked from the
/// second's time in roster 9 — the second alone is flagged for review — and a console folder with
/// an officer reading in each language (`en`, `fr`, `ar`), and the node's console.
final class FlaggedConsole: Sendable {
    let root: URL
    let server: ConsoleServer
    let cookies: [String: String]
    /// The bulletins: not flagged, flagged.
    let ids: [String]

    /// The compromise time of the revocation, as the console shows times.
    static let since = "2023-11-14 22:13 UTC"

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bn-flagged-console-\(UUID().uuidString.prefix(8))")
        let node = root.appendingPathComponent("node")
        try FileManager.default.createDirectory(at: node, withIntermediateDirectories: true)
        try NodeConfiguration().renderedFile.write(
            to: node.appendingPathComponent("node.toml"), atomically: true, encoding: .utf8)
        let store = try BulletinStore(path: node.appendingPathComponent("store.sqlite").path)
        let repository = SearchConsole.repository
        let catalog = try SchemaCatalog.load(from: repository.appendingPathComponent("Schemas"))
        let example = try catalog.validate(
            Array(try Data(contentsOf: repository.appendingPathComponent("Schemas/examples/fuel-smuggling.json")))
        ).value
        guard case .object(let base) = example else { throw CocoaError(.fileReadCorruptFile) }
        var ids: [String] = []
        for number in 0..<2 {
            var members = base
            members["id"] = .string("TN-01J7333A92ZFM27JTCYCFWT" + String(format: "%03d", number + 1))
            members["title"] = .object(["fr": .string("Contrebande de carburant \(number + 1)")])
            let body = CanonicalJSON.bytes(.object(members))
            let bulletin = try catalog.validate(body).value
            let reference = try BulletinReference(bulletin["id"]?.stringValue ?? "")
            let storedAt = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + UInt64(number) * 1_000)
            var hash = [UInt8](repeating: 0, count: 32)
            hash[0] = UInt8(number + 1)
            let tlp = try TLP(label: bulletin["tlp"]?.stringValue ?? "")
            try store.recordDeliveries([
                BulletinStore.Delivery(
                    envelope: IncomingEnvelope(
                        origin: reference.origin, sequence: UInt64(number + 1), bulletin: reference,
                        hash: try EnvelopeHash(bytes: hash),
                        receivedAt: storedAt, signer: 42),
                    bulletin: StoredBulletin(
                        reference: reference, incidentType: "fuel-smuggling", tlp: tlp, createdAt: storedAt,
                        storedAt: storedAt, body: body))
            ])
            ids.append(reference.description)
        }
        let flags = try store.flagBulletinsOfRevokedKey(
            origin: try StateCode("TN"), signer: 42, since: Timestamp(millisecondsSinceEpoch: 1_700_000_001_000),
            rosterVersion: 9, at: Timestamp(millisecondsSinceEpoch: 1_700_000_100_000))
        guard flags?.first.map(\.bulletin.description) == [ids[1]] else { throw CocoaError(.fileReadCorruptFile) }
        self.ids = ids
        let consoleFolder = root.appendingPathComponent("console")
        let accounts = try AccountStore.open(folder: consoleFolder)
        var cookies: [String: String] = [:]
        for language in ["en", "fr", "ar"] {
            let user = try accounts.addUser(
                NewUser(
                    username: "officer-\(language)", displayName: "officer", role: "officer", workingGroups: [],
                    highestTLP: "RED",
                    agencyKind: "law-enforcement", language: language, mustChangePassword: false),
                password: "a-long-enough-password-1", now: Date())
            cookies[language] =
                "\(ConsoleServer.sessionCookie)=\(try accounts.createSession(for: user, now: Date()).token)"
        }
        self.cookies = cookies
        server = try ConsoleServer(
            configuration: ConsoleConfiguration(
                nodeData: node, consoleData: consoleFolder, schemas: repository.appendingPathComponent("Schemas"),
                port: 0),
            logger: Logger(label: "test"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// GET `path` as the officer reading `language`: the status and the body.
    func get(_ path: String, language: String, client: some TestClientProtocol) async throws -> (
        status: HTTPResponse.Status, body: String
    ) {
        var headers: HTTPFields = [:]
        if let cookie = cookies[language] { headers[.cookie] = cookie }
        return try await client.execute(uri: path, method: .get, headers: headers) { response in
            (response.status, String(buffer: response.body))
        }
    }

    /// The feed's rows by bulletin id: each row's HTML, `<tr …>` to `</tr>`.
    static func rows(_ body: String) -> [String: String] {
        guard let table = body.range(of: #"<table class="bulletins" id="bulletins">"#) else { return [:] }
        let rest = body[table.upperBound...]
        let end = rest.range(of: "</table>")?.lowerBound ?? rest.endIndex
        var rows: [String: String] = [:]
        for row in rest[..<end].components(separatedBy: "<tr ").dropFirst() {
            guard let id = row.components(separatedBy: #"data-id=""#).dropFirst().first?.split(separator: "\"").first
            else { continue }
            rows[String(id)] = row.components(separatedBy: "</tr>")[0]
        }
        return rows
    }
}

@Suite("The console shows bulletins flagged for review", .serialized)
struct FlaggedBulletinTests {
    /// The banner's sentence in each language, as `bordernet feed` says it, escaped as the page writes it.
    static let banners: [String: String] = [
        "en":
            "FLAGGED FOR REVIEW: TN's keys were revoked from \(FlaggedConsole.since) (roster 9); check this bulletin with TN",
        "fr":
            "À VÉRIFIER : les clés de TN sont révoquées depuis \(FlaggedConsole.since) (liste 9) ; vérifiez ce bulletin auprès de TN",
        "ar": "للمراجعة: أُلغيت مفاتيح \u{2068}TN\u{2069} منذ \u{2068}\(FlaggedConsole.since)\u{2069} (القائمة 9)؛ تحقّقوا من هذه النشرة مع \u{2068}TN\u{2069}",
    ].mapValues(ScalarHTMLEscaping.escape)

    @Test("a flagged bulletin's page has the banner (role alert) in the reader's language; an unflagged one has none")
    func banner() async throws {
        let console = try FlaggedConsole()
        let application = Application(
            router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            for (language, banner) in Self.banners {
                let flagged = try await console.get("/bulletins/\(console.ids[1])", language: language, client: client)
                #expect(flagged.status == .ok, "\(language)")
                #expect(
                    flagged.body.contains(#"<div class="warning" role="alert" id="flagged"><p>\#(banner)</p></div>"#),
                    "\(language): \(flagged.body)")
                for (other, text) in Self.banners where other != language {
                    #expect(!flagged.body.contains(text), "\(language) shows \(other)")
                }

                let clear = try await console.get("/bulletins/\(console.ids[0])", language: language, client: client)
                #expect(clear.status == .ok, "\(language)")
                #expect(
                    !clear.body.contains(#"id="flagged""#) && !clear.body.contains(#"class="warning""#),
                    "\(language): \(clear.body)")
                #expect(!Self.banners.values.contains { clear.body.contains($0) }, "\(language)")
            }
        }
    }

    @Test("the feed marks the flagged bulletin alone, with a badge in the reader's language")
    func feedBadge() async throws {
        let console = try FlaggedConsole()
        let application = Application(
            router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let badges = ["en": "flagged for review", "fr": "à vérifier", "ar": "للمراجعة"]
        try await application.test(.live) { client in
            for (language, badge) in badges {
                let feed = try await console.get("/", language: language, client: client)
                #expect(feed.status == .ok, "\(language)")
                let rows = FlaggedConsole.rows(feed.body)
                #expect(Set(rows.keys) == Set(console.ids), "\(language): \(feed.body)")
                let flagged = try #require(rows[console.ids[1]])
                #expect(flagged.contains(#"<span class="flag-badge">\#(badge)</span>"#), "\(language): \(flagged)")
                #expect(
                    flagged.hasPrefix(#"class="tlp-"#) && flagged.contains(#" flagged" data-id="#),
                    "\(language): \(flagged)")
                let clear = try #require(rows[console.ids[0]])
                #expect(!clear.contains("flag-badge") && !clear.contains(" flagged\""), "\(language): \(clear)")
            }
        }
    }
}
