import Audit
import AuditCollection
import BulletinSchema
import Clearance
import ConsoleAccounts
import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import Console

/// An ``AuditSource`` answering from an ``AuditLog`` as a node would (heads signed by `identity`).
final class LogAnswers: AuditSource {
    var log: AuditLog
    let identity: NodeIdentity
    var unreachable = false

    init(log: AuditLog, identity: NodeIdentity) {
        self.log = log
        self.identity = identity
    }

    private func answer<T>(_ body: () throws -> T) throws(AuditCollectionError) -> T {
        if unreachable { throw .unreachable(state: identity.state, endpoint: "tcp://127.0.0.1:2", milliseconds: 100) }
        do {
            return try body()
        } catch {
            throw .refused(state: identity.state, reason: "\(error)")
        }
    }

    func signedTreeHead() throws(AuditCollectionError) -> SignedTreeHead { try answer { try log.treeHead(signedBy: identity, at: .now) } }
    func consistencyProof(from firstSize: UInt64, to secondSize: UInt64) throws(AuditCollectionError) -> ConsistencyProof {
        try answer { try log.consistencyProof(from: firstSize, to: secondSize) }
    }
    func entryBytes(from first: UInt64, count: UInt64) throws(AuditCollectionError) -> [[UInt8]] {
        try answer { try log.entries(in: first..<(first + min(count, 1_000))).map(\.canonicalBytes) }
    }
    func inclusionProof(index: UInt64, treeSize: UInt64) throws(AuditCollectionError) -> InclusionProof {
        try answer { try log.inclusionProof(index: index, treeSize: treeSize) }
    }
}

/// A secretariat's folder whose `collected.sqlite` two real collections made (MA sent DZ two
/// envelopes, DZ received one and rejected a forged one; TN unreachable; DZ forked in the second
/// run), a console folder with an auditor, an officer and an operator, and the console serving
/// it with `--secretariat`.
final class SecretariatConsole: Sendable {
    let root: URL
    let secretariat: URL
    let accounts: AccountStore
    let server: ConsoleServer
    let cookies: [String: String]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bn-audit-console-\(UUID().uuidString.prefix(8))")
        secretariat = root.appendingPathComponent("secretariat")
        try FileManager.default.createDirectory(at: secretariat, withIntermediateDirectories: true)
        try Self.collect(into: secretariat.appendingPathComponent("collected.sqlite").path, logs: root)

        let consoleFolder = root.appendingPathComponent("console")
        accounts = try AccountStore.open(folder: consoleFolder)
        var cookies: [String: String] = [:]
        for (username, role) in [("auditor", "auditor"), ("officer", "officer"), ("operator", "operator")] {
            let user = try accounts.addUser(
                NewUser(
                    username: username, displayName: username, role: role, workingGroups: [], highestTLP: role == "officer" ? "RED" : "CLEAR",
                    agencyKind: "other", language: "en", mustChangePassword: false),
                password: "a-long-enough-password-1", now: Date())
            cookies[username] = "\(ConsoleServer.sessionCookie)=\(try accounts.createSession(for: user, now: Date()).token)"
        }
        self.cookies = cookies
        let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schemas")
        server = try ConsoleServer(
            configuration: ConsoleConfiguration(
                nodeData: root.appendingPathComponent("no-node"), consoleData: consoleFolder, schemas: schemas, port: 0,
                secretariatData: secretariat),
            logger: Logger(label: "test"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static func collect(into path: String, logs: URL) throws {
        let store = try CollectionStore(path: path)
        let collector = AuditCollector(store: store, recheckCount: 2)
        func identity(_ code: String) throws -> NodeIdentity {
            try NodeIdentity(
                state: StateCode(code), nodeName: "\(code.lowercased())-1",
                endpoints: NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2"))
        }
        let ma = try identity("MA"), dz = try identity("DZ"), tn = try identity("TN")
        let maDZ = Link(origin: ma.state, recipient: dz.state)
        func hash(_ byte: UInt8) throws -> EnvelopeHash { try EnvelopeHash(bytes: [UInt8](repeating: byte, count: 32)) }
        let sent = Timestamp(millisecondsSinceEpoch: Timestamp.now.millisecondsSinceEpoch - 600_000)
        let maLog = try AuditLog(path: logs.appendingPathComponent("ma.sqlite").path, state: ma.state)
        // The bulletin of sequence 1 carries a file: DZ logs it held with another SHA-256 than MA stored.
        let withFile = try BulletinID(ulid: "01JQ3M8K2Z9V4T6R5W7X8Y9A0B")
        func digest(_ byte: UInt8) throws -> AttachmentDigest { try AttachmentDigest(bytes: [UInt8](repeating: byte, count: 32)) }
        try maLog.append(
            [
                .envelopeSent(link: maDZ, sequence: 1, hash: try hash(1), bulletin: withFile),
                .attachmentStored(bulletin: withFile, number: 1, digest: try digest(0xA1), size: 4_096),
                .envelopeSent(link: maDZ, sequence: 2, hash: try hash(2), bulletin: BulletinID.generate()),
                .receiptReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted),
            ], at: sent)
        let dzEvents: [AuditEvent] = [
            .envelopeReceived(link: maDZ, sequence: 1, hash: try hash(1), status: .accepted),
            .envelopeReceived(link: maDZ, sequence: 3, hash: try hash(3), status: .rejected(.badSignature)),
            .attachmentReceived(link: maDZ, bulletin: withFile, number: 1, digest: try digest(0xB1), size: 4_096, held: true),
        ]
        let dzLog = try AuditLog(path: logs.appendingPathComponent("dz.sqlite").path, state: dz.state)
        try dzLog.append(dzEvents, at: sent)
        let tnLog = try AuditLog(path: logs.appendingPathComponent("tn.sqlite").path, state: tn.state)
        try tnLog.append(.nodeStarted(softwareVersion: "test"), at: sent)
        let sources = [LogAnswers(log: maLog, identity: ma), LogAnswers(log: dzLog, identity: dz), LogAnswers(log: tnLog, identity: tn)]
        sources[2].unreachable = true
        let members = [ma, dz, tn].map { RosterMember(card: $0.card, role: .member) }
        for (member, source) in zip(members, sources) { _ = try collector.collect(member, from: source) }
        let fork = try AuditLog(path: logs.appendingPathComponent("dz-fork.sqlite").path, state: dz.state)
        try fork.append([dzEvents[0], .nodeStopped, dzEvents[2]], at: sent)
        sources[1].log = fork
        // A second run (every node once, as `audit collect` does): DZ now shows another history.
        for (member, source) in zip(members, sources) { _ = try collector.collect(member, from: source) }
    }

    /// GET (or POST) `path` as `username` (`nil`: no session): the status, the location, the body.
    func request(_ path: String, as username: String?, method: HTTPRequest.Method = .get, client: some TestClientProtocol) async throws
        -> (status: HTTPResponse.Status, location: String?, body: String)
    {
        var headers: HTTPFields = [:]
        if let username, let cookie = cookies[username] { headers[.cookie] = cookie }
        return try await client.execute(uri: path, method: method, headers: headers) { response in
            (response.status, response.headers[.location], String(buffer: response.body))
        }
    }
}

@Suite("The secretariat's console: auditors only, audit pages only", .serialized)
struct SecretariatConsoleTests {
    @Test("the auditor sees the matrix, a link, the findings, the history and a node")
    func auditorPages() async throws {
        let console = try SecretariatConsole()
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let home = try await console.request("/", as: "auditor", client: client)
            #expect(home.status == .seeOther && home.location == "/audit")

            let matrix = try await console.request("/audit", as: "auditor", client: client)
            #expect(matrix.status == .ok)
            #expect(matrix.body.contains(#"<td class="cell health-red" data-link="MA-DZ""#))
            #expect(matrix.body.contains(#"<a href="/audit/links/MA/DZ"><span class="counts">2 / 1 / 1</span>"#))
            #expect(matrix.body.contains("Rejected 1") && matrix.body.contains("<a href=\"/audit\">Audit</a>"))

            let link = try await console.request("/audit/links/MA/DZ", as: "auditor", client: client)
            #expect(link.status == .ok && link.body.contains("badSignature"))
            // The attachments: counts, and the disagreement on the file's SHA-256 (hashes, never content).
            #expect(matrix.body.contains(#"<span class="issue">Attachment disagreements 1</span>"#))
            #expect(link.body.contains(#"<table class="audit" id="link-attachments">"#))
            #expect(link.body.contains(#"<tr><th scope="row">Files</th><td>1</td></tr>"#))
            #expect(link.body.contains(#"<tr><th scope="row">Complete and acknowledged</th><td>0</td></tr>"#))
            #expect(link.body.contains(#"<td><bdi dir="ltr">MA-01JQ3M8K2Z9V4T6R5W7X8Y9A0B#1</bdi></td><td>sha256</td>"#))
            #expect(link.body.contains(String(repeating: "b1", count: 32)))
            let mismatch = try await console.request("/audit/findings?kind=attachmentMismatch", as: "auditor", client: client)
            #expect(mismatch.body.contains("Attachment mismatch"))
            #expect(mismatch.body.contains("attachment MA-01JQ3M8K2Z9V4T6R5W7X8Y9A0B#1 sha256 mismatch"))
            #expect(!mismatch.body.contains("1 rejected, reason 203"))
            #expect(AuditText.table(.fr)["attachments"] == "Pièces jointes")
            #expect(AuditText.kindLabel("attachmentOverdue", .ar) == "مرفق تجاوز المهلة")

            let findings = try await console.request("/audit/findings?node=DZ&kind=equivocation", as: "auditor", client: client)
            #expect(findings.status == .ok && findings.body.contains("EQUIVOCATION: two signed heads of size 3"))
            let rejected = try await console.request("/audit/findings?kind=rejected", as: "auditor", client: client)
            #expect(rejected.body.contains("1 rejected, reason 203 badSignature") && !rejected.body.contains("EQUIVOCATION"))

            let history = try await console.request("/audit/history", as: "auditor", client: client)
            #expect(history.status == .ok && history.body.contains("unreachable"))
            #expect(history.body.components(separatedBy: #"<tbody class="run">"#).count == 3)
            #expect(history.body.contains("Failures: 2") && history.body.contains("Failures: 1"))

            let node = try await console.request("/audit/nodes/DZ", as: "auditor", client: client)
            #expect(node.status == .ok && node.body.contains("This node showed two histories"))
            #expect(try await console.request("/audit/nodes/EG", as: "auditor", client: client).status == .notFound)
            #expect(try await console.request("/audit/links/M%3C/DZ", as: "auditor", client: client).status == .notFound)
        }
    }

    @Test("every other role is refused every audit page; the auditor every bulletin page and API")
    func refusals() async throws {
        let console = try SecretariatConsole()
        let application = Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let audit = ["/audit", "/audit/findings", "/audit/history", "/audit/nodes/DZ", "/audit/links/MA/DZ"]
            for username in ["officer", "operator"] {
                for path in audit + ["/", "/links", "/users", "/post"] {
                    #expect(try await console.request(path, as: username, client: client).status == .forbidden, "\(username) \(path)")
                }
                #expect(try await console.request("/settings", as: username, client: client).status == .ok)
            }
            for path in audit {
                let anonymous = try await console.request(path, as: nil, client: client)
                #expect(anonymous.status == .seeOther && anonymous.location == "/login")
            }
            for path in ["/bulletins/01JD0000000000000000000000", "/post", "/post/fuel-smuggling", "/withdraw/x", "/links", "/users", "/events"] {
                #expect(try await console.request(path, as: "auditor", client: client).status == .forbidden, "auditor \(path)")
            }
            #expect(try await console.request("/post/fuel-smuggling", as: "auditor", method: .post, client: client).status == .forbidden)
            #expect(try await console.request("/settings", as: "auditor", client: client).status == .ok)
        }
    }

    @Test("the gate: account pages for all, audit pages for auditors, nothing else")
    func gate() {
        func clearance(_ role: ConsoleRole) -> Clearance { Clearance(role: role, workingGroups: [], highestTLP: .clear, agencyKind: .other) }
        for role in ConsoleRole.allCases {
            #expect(SecretariatGate.allows(clearance(role), path: "/settings"))
            for path in ["/security", "/security/keys", "/security/keys/remove", "/security/recovery"] {
                #expect(SecretariatGate.allows(clearance(role), path: path), "\(path)")
            }
            #expect(!SecretariatGate.allows(clearance(role), path: "/users/1/second-factor"))
            #expect(SecretariatGate.allows(clearance(role), path: "/audit") == (role == .auditor))
            #expect(SecretariatGate.allows(clearance(role), path: "/audit/history") == (role == .auditor))
            #expect(!SecretariatGate.allows(clearance(role), path: "/auditx"))
            #expect(!SecretariatGate.allows(clearance(role), path: "/bulletins/x"))
        }
    }

    @Test("every audit text exists in the three languages")
    func texts() {
        for text in AuditText.allCases {
            #expect(!text.text.ar.isEmpty && !text.text.fr.isEmpty && !text.text.en.isEmpty, "\(text)")
        }
    }
}
