import BulletinSchema
import ConsoleAccounts
import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NodeSetup
import Sodium
import Store
import Testing

@testable import Console

/// A node folder whose store holds one `fuel-smuggling` bulletin (GREEN, customs) received from
/// TN with six attachments — 1 a JPEG of two chunks (complete, captioned), 2 a PDF (complete),
/// 3 a PNG in transfer (1 of 2 chunks), 4 a WebP refused, 5 a JPEG whose chunks make another
/// file than its hash says (complete), 6 a file of another media type (complete) — and a console
/// with an officer reading everything in each language and a reader of `justice` who may not
/// read the bulletin.
final class AttachmentConsole: Sendable {
    let root: URL
    let server: ConsoleServer
    let cookies: [String: String]
    let id: String
    /// The files as stored, by number (1, 2, 5, 6: complete).
    let files: [Int: [UInt8]]

    static let jpegName = "camion رقم 7 \"x\"/..\\a.jpg"

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bn-attachment-console-\(UUID().uuidString.prefix(8))")
        let node = root.appendingPathComponent("node")
        try FileManager.default.createDirectory(at: node, withIntermediateDirectories: true)
        try NodeConfiguration().renderedFile.write(
            to: node.appendingPathComponent("node.toml"), atomically: true, encoding: .utf8)
        let store = try BulletinStore(path: node.appendingPathComponent("store.sqlite").path)
        let repository = SearchConsole.repository
        let example = try JSONParser(maximumDepth: 64).parse(
            Array(try Data(contentsOf: repository.appendingPathComponent("Schemas/examples/fuel-smuggling.json"))))
        guard case .object(var members) = example else { throw CocoaError(.fileReadCorruptFile) }
        let reference = try BulletinReference("TN-01J7333A92ZFM27JTCYCFWT001")
        id = reference.description
        members["id"] = .string(id)
        members["schemaVersion"] = .string("1.2.0")

        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 7, count: 70_000) + [0xFF, 0xD9]
        let pdf = Array("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)
        let png = [0x89, 0x50, 0x4E, 0x47] + [UInt8](repeating: 1, count: 80_000)
        let webp = Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)
        let other = Array("<html><script>alert(1)</script></html>".utf8)
        let specs: [(name: String, type: String, bytes: [UInt8], state: StoredAttachment.State)] = [
            (Self.jpegName, "image/jpeg", jpeg, .complete), ("rapport.pdf", "application/pdf", pdf, .complete),
            ("plan.png", "image/png", png, .transfer), ("photo.webp", "image/webp", webp, .refused),
            ("damaged.jpg", "image/jpeg", jpeg, .complete), ("page.html", "text/html", other, .complete),
        ]
        var listed: [JSONValue] = []
        var rows: [StoredAttachment] = []
        var chunks: [ReceivedChunk] = []
        var files: [Int: [UInt8]] = [:]
        let now = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
        for (offset, spec) in specs.enumerated() {
            let number = offset + 1
            let key = AttachmentCipher.generateKey()
            let binding = AttachmentBinding(
                bulletinID: reference.id, number: UInt16(number), size: UInt64(spec.bytes.count))
            var entry: [String: JSONValue] = [
                "sha256": .string(Hex.encode(SHA256.hash(spec.bytes))), "mediaType": .string(spec.type),
                "size": .integer(Int64(spec.bytes.count)), "fileName": .string(spec.name),
                "key": .string(key.base64URL),
            ]
            if number == 1 {
                entry["caption"] = .object(["fr": .string("Le camion"), "en": .string("The <b>truck</b>")])
            }
            listed.append(.object(entry))
            rows.append(
                StoredAttachment(
                    bulletin: reference, number: number, sha256: SHA256.hash(spec.bytes),
                    size: UInt64(spec.bytes.count),
                    mediaType: spec.type, fileName: spec.name, key: key.base64URL, chunkCount: binding.chunkCount,
                    chunksHeld: 0,
                    state: .transfer, updatedAt: now))
            // Number 5's chunks seal another file of the same size: each opens, the hash differs.
            let content = number == 5 ? jpeg.map { $0 ^ 1 } : spec.bytes
            let stored = spec.state == .transfer ? 1 : Int(binding.chunkCount)
            for index in 0..<stored {
                let start = index * AttachmentCipher.chunkByteCount
                let part = Array(content[start..<min(start + AttachmentCipher.chunkByteCount, content.count)])
                let sealed = try AttachmentCipher.seal(part, index: UInt64(index), of: binding, key: key)
                chunks.append(ReceivedChunk(bulletin: reference, number: number, index: UInt64(index), sealed: sealed))
            }
            if spec.state == .complete { files[number] = spec.bytes }
        }
        self.files = files
        members["attachments"] = .array(listed)
        let body = Array(JSONValue.object(members).description.utf8)
        try store.recordDeliveries([
            BulletinStore.Delivery(
                envelope: IncomingEnvelope(
                    origin: reference.origin, sequence: 1, bulletin: reference,
                    hash: try EnvelopeHash(bytes: [UInt8](repeating: 1, count: 32)),
                    receivedAt: now, signer: 42),
                bulletin: StoredBulletin(
                    reference: reference, incidentType: "fuel-smuggling", tlp: try TLP(label: "GREEN"), createdAt: now,
                    storedAt: now, body: body),
                attachments: rows)
        ])
        try store.recordChunks(chunks, at: now)
        for (offset, spec) in specs.enumerated() where spec.state != .transfer {
            try store.finishAttachment(
                reference, number: offset + 1, state: spec.state,
                detail: spec.state == .refused ? "larger than max_file_bytes" : nil, at: now)
        }

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
        let reader = try accounts.addUser(
            NewUser(
                username: "justice-reader", displayName: "reader", role: "reader", workingGroups: ["justice"],
                highestTLP: "AMBER",
                agencyKind: "law-enforcement", language: "en", mustChangePassword: false),
            password: "a-long-enough-password-1", now: Date())
        cookies["reader"] =
            "\(ConsoleServer.sessionCookie)=\(try accounts.createSession(for: reader, now: Date()).token)"
        self.cookies = cookies
        server = try ConsoleServer(
            configuration: ConsoleConfiguration(
                nodeData: node, consoleData: consoleFolder, schemas: repository.appendingPathComponent("Schemas"),
                port: 0),
            logger: Logger(label: "test"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// GET `path` as `who` (a language's officer, or `reader`).
    func get(_ path: String, as who: String, client: some TestClientProtocol) async throws -> (
        status: HTTPResponse.Status, headers: HTTPFields, body: [UInt8]
    ) {
        var headers: HTTPFields = [:]
        if let cookie = cookies[who] { headers[.cookie] = cookie }
        return try await client.execute(uri: path, method: .get, headers: headers) { response in
            (response.status, response.headers, Array(buffer: response.body))
        }
    }
}

@Suite("The console lists a bulletin's attachments and serves its files", .serialized)
struct AttachmentRouteTests {
    @Test("the page lists each file with its type, size, caption and state; images inline, the PDF as a link")
    func page() async throws {
        let console = try AttachmentConsole()
        let application = Application(
            router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let page = try await console.get("/bulletins/\(console.id)", as: "en", client: client)
            #expect(page.status == .ok)
            let html = String(decoding: page.body, as: UTF8.self)
            let url = "/bulletins/\(console.id)/attachments"
            #expect(
                html.contains(#"<img src="\#(url)/1" alt="The &lt;b&gt;truck&lt;/b&gt;" loading="lazy">"#), "\(html)")
            #expect(html.contains(#"<p class="caption" lang="en" dir="auto">The &lt;b&gt;truck&lt;/b&gt;</p>"#))
            #expect(
                html.contains(
                    #"<bdi dir="auto" class="file-name">camion رقم 7 &quot;x&quot;/..\a.jpg</bdi> · JPEG · <bdi dir="ltr" class="file-size">68.4 KiB</bdi> · <span class="file-state">complete</span>"#
                ))
            #expect(html.contains(#"<a class="download" href="\#(url)/2">Download the file"#))
            #expect(!html.contains(#"<img src="\#(url)/2""#) && !html.contains(#"<img src="\#(url)/3""#))
            #expect(html.contains("in transfer: 1 of 2 parts"))
            #expect(html.contains(#"refused: <bdi dir="auto">larger than max_file_bytes</bdi>"#))
            #expect(!html.contains("attachment-receipts"), "a received bulletin shows no receipts")

            let french = String(
                decoding: try await console.get("/bulletins/\(console.id)", as: "fr", client: client).body,
                as: UTF8.self)
            #expect(french.contains(#"<p class="caption" lang="fr" dir="auto">Le camion</p>"#))
            #expect(french.contains("68,4 KiB") && french.contains("en cours de transfert : 1 parties sur 2"))
            let arabic = String(
                decoding: try await console.get("/bulletins/\(console.id)", as: "ar", client: client).body,
                as: UTF8.self)
            #expect(
                arabic.contains("<h2>المرفقات</h2>")
                    && arabic.contains("قيد النقل: \u{2068}1\u{2069} من \u{2068}2\u{2069} أجزاء"))
        }
    }

    @Test("a complete file is served, its hash checked, with its type, disposition, a sandboxing policy and no caching")
    func served() async throws {
        let console = try AttachmentConsole()
        let application = Application(
            router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let image = try await console.get("/bulletins/\(console.id)/attachments/1", as: "en", client: client)
            #expect(image.status == .ok)
            #expect(image.body == console.files[1])
            #expect(image.headers[.contentType] == "image/jpeg")
            #expect(image.headers[.contentLength] == String(console.files[1]?.count ?? 0))
            #expect(
                image.headers[.contentDisposition]
                    == #"inline; filename="camion ___ 7 _x__.._a.jpg"; filename*=UTF-8''camion%20%D8%B1%D9%82%D9%85%207%20%22x%22%2F..%5Ca.jpg"#
            )
            #expect(image.headers[.contentSecurityPolicy] == "default-src 'none'; sandbox")
            #expect(image.headers[values: .contentSecurityPolicy].count == 1)
            #expect(image.headers[.xContentTypeOptions] == "nosniff")
            #expect(image.headers[.cacheControl] == "private, no-store")

            let pdf = try await console.get("/bulletins/\(console.id)/attachments/2", as: "fr", client: client)
            #expect(pdf.status == .ok && pdf.body == console.files[2])
            #expect(pdf.headers[.contentType] == "application/pdf")
            #expect(
                pdf.headers[.contentDisposition] == #"attachment; filename="rapport.pdf"; filename*=UTF-8''rapport.pdf"#
            )
            #expect(pdf.headers[.contentSecurityPolicy] == "default-src 'none'; sandbox")

            // The pages keep their own policy.
            let page = try await console.get("/bulletins/\(console.id)", as: "en", client: client)
            #expect(page.headers[.contentSecurityPolicy] == SecurityHeaders.contentSecurityPolicy)
        }
    }

    @Test("a file in transfer, refused, of another type, an unknown or malformed number answers the 404 page")
    func notFound() async throws {
        let console = try AttachmentConsole()
        let application = Application(
            router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            for number in ["3", "4", "6", "7", "0", "65536", "+1", "01x", "-1", "1.0"] {
                let answer = try await console.get(
                    "/bulletins/\(console.id)/attachments/\(number)", as: "en", client: client)
                #expect(answer.status == .notFound, "\(number)")
                let html = String(decoding: answer.body, as: UTF8.self)
                #expect(html.contains("<h1>Not found</h1>") || html.contains("Not found"), "\(number)")
                #expect(answer.headers[.contentType]?.hasPrefix("text/html") == true, "\(number)")
                #expect(answer.headers[.contentDisposition] == nil, "\(number)")
            }
            let unknown = try await console.get(
                "/bulletins/TN-01J7333A92ZFM27JTCYCFWT999/attachments/1", as: "en", client: client)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("a reader who may not read the bulletin gets no file and no list, exactly as for an unknown bulletin")
    func refused() async throws {
        let console = try AttachmentConsole()
        let application = Application(
            router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let unknown = try await console.get(
                "/bulletins/TN-01J7333A92ZFM27JTCYCFWT999/attachments/1", as: "reader", client: client)
            for number in 1...2 {
                let file = try await console.get(
                    "/bulletins/\(console.id)/attachments/\(number)", as: "reader", client: client)
                #expect(file.status == .notFound)
                #expect(file.body == unknown.body)
                #expect(file.body != console.files[number])
                #expect(file.headers[.contentDisposition] == nil)
            }
            let page = try await console.get("/bulletins/\(console.id)", as: "reader", client: client)
            #expect(page.status == .notFound)
            #expect(!String(decoding: page.body, as: UTF8.self).contains("attachments"))
            let anonymous = try await console.get(
                "/bulletins/\(console.id)/attachments/1", as: "nobody", client: client)
            #expect(anonymous.status != .ok && anonymous.body != console.files[1])
        }
    }

    @Test("a file whose chunks no longer make the signed hash answers 500 and is never served")
    func hashDiffers() async throws {
        let console = try AttachmentConsole()
        let application = Application(
            router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await application.test(.live) { client in
            let answer = try await console.get("/bulletins/\(console.id)/attachments/5", as: "en", client: client)
            #expect(answer.status == .internalServerError)
            #expect(answer.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(answer.headers[.contentDisposition] == nil)
            #expect(String(decoding: answer.body, as: UTF8.self).contains("This file could not be read on this node"))
            #expect(!AttachmentRouteTests.contains(answer.body, [0xFF, 0xD8, 0xFF, 0xE0]))
        }
    }

    @Test("Content-Disposition keeps an ASCII name as it is and replaces what is unsafe in the fallback")
    func disposition() {
        #expect(
            ConsoleServer.contentDisposition(.inline, fileName: "a b(1).png")
                == #"inline; filename="a b(1).png"; filename*=UTF-8''a%20b%281%29.png"#)
        #expect(
            ConsoleServer.contentDisposition(.attachment, fileName: "x\r\nSet-Cookie: a;b.pdf").contains(
                #"filename="x__Set-Cookie_ a_b.pdf""#))
        #expect(ConsoleServer.contentDisposition(.attachment, fileName: "").hasPrefix(#"attachment; filename="file""#))
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<$0 + needle.count]) == needle }
    }
}
