import BulletinSchema
import ConsoleAccounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NodeSetup
import Store
import Testing
import Wire

@testable import Console

/// A node folder with small `[attachments]` limits (2 KiB a file, 4 KiB a bulletin) and no node
/// running, and a console with an officer (English, French) and a reader, who may not post.
final class UploadConsole: Sendable {
    let root: URL
    let server: ConsoleServer
    /// Session cookies and CSRF tokens by person (`en`, `fr`, `reader`).
    let sessions: [String: (cookie: String, csrf: String)]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bn-upload-console-\(UUID().uuidString.prefix(8))")
        let node = root.appendingPathComponent("node")
        try FileManager.default.createDirectory(at: node, withIntermediateDirectories: true)
        var configuration = NodeConfiguration()
        configuration.attachmentMaximumFileBytes = 2_048
        configuration.attachmentMaximumBulletinBytes = 4_096
        try configuration.renderedFile.write(
            to: node.appendingPathComponent("node.toml"), atomically: true, encoding: .utf8)
        _ = try BulletinStore(path: node.appendingPathComponent("store.sqlite").path)
        let consoleFolder = root.appendingPathComponent("console")
        let accounts = try AccountStore.open(folder: consoleFolder)
        var sessions: [String: (cookie: String, csrf: String)] = [:]
        for (name, role, language) in [("en", "officer", "en"), ("fr", "officer", "fr"), ("reader", "reader", "en")] {
            let user = try accounts.addUser(
                NewUser(
                    username: "person-\(name)", displayName: name, role: role,
                    workingGroups: role == "reader" ? ["customs"] : [],
                    highestTLP: "RED", agencyKind: "law-enforcement", language: language, mustChangePassword: false),
                password: "a-long-enough-password-1", now: Date())
            let session = try accounts.createSession(for: user, now: Date())
            sessions[name] = ("\(ConsoleServer.sessionCookie)=\(session.token)", session.csrfToken)
        }
        self.sessions = sessions
        server = try ConsoleServer(
            configuration: ConsoleConfiguration(
                nodeData: node, consoleData: consoleFolder,
                schemas: SearchConsole.repository.appendingPathComponent("Schemas"),
                port: 0),
            logger: Logger(label: "test"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// `POST /post/fuel-smuggling` as `who` with `body` (multipart unless `contentType` says otherwise).
    func post(
        _ body: [UInt8], as who: String, contentType: String = MultipartBody.contentType,
        client: some TestClientProtocol
    ) async throws -> (status: HTTPResponse.Status, html: String) {
        var headers: HTTPFields = [.contentType: contentType]
        if let session = sessions[who] { headers[.cookie] = session.cookie }
        return try await client.execute(
            uri: "/post/fuel-smuggling", method: .post, headers: headers, body: ByteBuffer(bytes: body)
        ) { response in
            (response.status, String(buffer: response.body))
        }
    }

    func csrf(_ who: String) -> String { sessions[who]?.csrf ?? "" }
}

@Suite("The post form's files: the form, its refusals, and the bodies refused", .serialized)
struct UploadRouteTests {
    static func application(_ console: UploadConsole) -> some ApplicationProtocol {
        Application(router: console.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test(
        "the form is multipart, with four file inputs and their captions, the caption language, and metadata removal on by default"
    )
    func formPage() async throws {
        let console = try UploadConsole()
        try await Self.application(console).test(.live) { client in
            let html = try await client.execute(
                uri: "/post/fuel-smuggling", method: .get, headers: [.cookie: console.sessions["en"]?.cookie ?? ""]
            ) { String(buffer: $0.body) }
            #expect(
                html.contains(
                    #"<form method="post" action="/post/fuel-smuggling" class="post" enctype="multipart/form-data" novalidate>"#
                ))
            for number in 1...4 {
                #expect(html.contains(#"<input type="file" id="f-file.\#(number)" name="file.\#(number)""#))
                #expect(html.contains(#"name="caption.\#(number)" value="" maxlength="300""#))
            }
            #expect(!html.contains(#"name="file.5""#))
            #expect(
                html.contains(
                    #"<input type="checkbox" name="keepMetadata" value="yes" aria-describedby="keep-metadata-hint">"#))
            #expect(html.contains("Off by default: the node removes from each photo where and when it was taken"))
            #expect(html.contains(#"<option value="en" selected lang="en">English</option>"#))
            #expect(html.contains("at most \u{2068}2.0 KiB\u{2069} per file, \u{2068}4.0 KiB\u{2069} per bulletin"))
            #expect(!html.contains("files-lost"))
        }
    }

    @Test(
        "a file over the node's max_file_bytes is refused beside its input; captions, language and the box are kept; the page asks for the files again"
    )
    func oversizedFileBesideItsInput() async throws {
        let console = try UploadConsole()
        try await Self.application(console).test(.live) { client in
            let body = MultipartBody(parts: [
                .field("csrf", console.csrf("fr")), .field("title.fr", "Camion"),
                .file(name: "file.1", fileName: "petit.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xD9]),
                .field("caption.1", "Le petit"),
                .file(name: "file.2", fileName: "grand.jpg", bytes: [UInt8](repeating: 1, count: 3_000)),
                .field("caption.2", "Le <b>grand</b>"), .field("captionLang", "ar"), .field("keepMetadata", "yes"),
            ]).bytes
            let page = try await console.post(body, as: "fr", client: client)
            #expect(page.status == .unprocessableContent)
            let slot2 =
                page.html.components(separatedBy: #"id="upload-2""#).dropFirst().first?.components(
                    separatedBy: "</div>"
                ).first ?? ""
            #expect(page.html.contains(#"<div class="field upload invalid" id="upload-2">"#))
            // The file input is marked, not its caption.
            #expect(slot2.contains(#"application/pdf" aria-invalid="true">"#))
            #expect(slot2.components(separatedBy: "aria-invalid").count == 2)
            #expect(
                slot2.contains("Fichier trop volumineux : \u{2068}2,0 KiB\u{2069} au plus par fichier."), "\(slot2)")
            #expect(!page.html.contains(#"<div class="field upload invalid" id="upload-1">"#))
            #expect(
                page.html.contains(#"value="Le &lt;b&gt;grand&lt;/b&gt;""#) && page.html.contains(#"value="Le petit""#))
            #expect(page.html.contains(#"<option value="ar" selected lang="ar">"#))
            #expect(page.html.contains(#"name="keepMetadata" value="yes" checked"#))
            #expect(page.html.contains("choisissez de nouveau les fichiers"))
        }
    }

    @Test("a caption over 300 characters or with a direction override is refused beside it")
    func captionRefused() async throws {
        let console = try UploadConsole()
        try await Self.application(console).test(.live) { client in
            let body = MultipartBody(parts: [
                .field("csrf", console.csrf("en")),
                .file(name: "file.1", fileName: "a.jpg", bytes: [1]),
                .field("caption.1", String(repeating: "c", count: 301)),
                .file(name: "file.3", fileName: "b.jpg", bytes: [1]), .field("caption.3", "x\u{202E}y"),
            ]).bytes
            let page = try await console.post(body, as: "en", client: client)
            #expect(page.status == .unprocessableContent)
            #expect(page.html.contains("The caption is longer than 300 characters."))
            #expect(page.html.contains("The caption holds control or direction characters"))
            #expect(page.html.contains(#"<div class="field upload invalid" id="upload-3">"#))
        }
    }

    @Test(
        "bodies that are not the form's get a 400 page that says so: no boundary, cut short, a file under another input's name, two files in one input"
    )
    func malformedBodies() async throws {
        let console = try UploadConsole()
        try await Self.application(console).test(.live) { client in
            let good = MultipartBody(parts: [
                .field("csrf", console.csrf("en")), .file(name: "file.1", fileName: "a.jpg", bytes: [1]),
            ])
            let cases: [(body: [UInt8], contentType: String, says: String)] = [
                (good.bytes, "multipart/form-data", "no valid boundary"),
                (Array(good.bytes.dropLast(12)), MultipartBody.contentType, "closing delimiter"),
                (
                    MultipartBody(parts: [
                        .field("csrf", console.csrf("en")), .file(name: "file.9", fileName: "a.jpg", bytes: [1]),
                    ]).bytes,
                    MultipartBody.contentType, "not one of the form&#39;s file inputs"
                ),
                (
                    MultipartBody(parts: [
                        .field("csrf", console.csrf("en")), .file(name: "file.1", fileName: "a.jpg", bytes: [1]),
                        .file(name: "file.1", fileName: "b.jpg", bytes: [1]),
                    ]).bytes, MultipartBody.contentType, "two files were sent as"
                ),
                (
                    MultipartBody(parts: [
                        .raw(
                            headers: "Content-Disposition: form-data; name=\"file.1\"; filename=\"a.jpg\r\nX: \"",
                            content: [1])
                    ]).bytes, MultipartBody.contentType, "Content-Disposition"
                ),
            ]
            for (body, contentType, says) in cases {
                let page = try await console.post(body, as: "en", contentType: contentType, client: client)
                #expect(page.status == .badRequest, "\(says)")
                #expect(page.html.contains("The form sent could not be read"), "\(says)")
                #expect(page.html.contains(says), "\(says): \(page.html)")
            }
        }
    }

    @Test(
        "a body announced over max_bulletin_bytes and the form's overhead is refused with 413 before it is read (the reader's own test covers a body that grows past it)"
    )
    func bodyTooLarge() async throws {
        let console = try UploadConsole()
        let limit = 4_096 + UploadLimits.formOverheadBytes
        try await Self.application(console).test(.live) { client in
            let body = MultipartBody(parts: [
                .field("csrf", console.csrf("en")),
                .file(name: "file.1", fileName: "a.jpg", bytes: [UInt8](repeating: 2, count: limit)),
            ]).bytes
            let page = try await console.post(body, as: "en", client: client)
            #expect(page.status == .contentTooLarge)
            #expect(page.html.contains("The files chosen together pass \u{2068}4.0 KiB\u{2069}"))
        }
    }

    @Test(
        "only people who may post upload: a reader gets 403 before the body is read; a wrong CSRF token is refused, multipart or not"
    )
    func permissionAndCSRF() async throws {
        let console = try UploadConsole()
        try await Self.application(console).test(.live) { client in
            let files = [MultipartBody.Part.file(name: "file.1", fileName: "a.jpg", bytes: [1])]
            let reader = try await console.post(
                MultipartBody(parts: [.field("csrf", console.csrf("reader"))] + files).bytes, as: "reader",
                client: client)
            #expect(reader.status == .forbidden)
            let forged = try await console.post(
                MultipartBody(parts: [.field("csrf", console.csrf("fr"))] + files).bytes, as: "en", client: client)
            #expect(forged.status == .forbidden)
            let none = try await console.post(MultipartBody(parts: files).bytes, as: "en", client: client)
            #expect(none.status == .forbidden)
            let urlencoded = try await console.post(
                Array("csrf=wrong&title.en=x".utf8), as: "en", contentType: "application/x-www-form-urlencoded",
                client: client)
            #expect(urlencoded.status == .forbidden)
            // The urlencoded form is still read (no node here: the refusal says so, the fields are kept).
            let plain = try await console.post(
                Array("csrf=\(console.csrf("en"))&title.en=Kept".utf8), as: "en",
                contentType: "application/x-www-form-urlencoded",
                client: client)
            #expect(plain.status == .unprocessableContent && plain.html.contains(#"value="Kept""#))
        }
    }
}

@Suite("The node's refusals of a post's files, read back and said in the officer's language")
struct AttachmentRefusalTests {
    static let suffix = "; nothing was stored or sent"

    @Test("each refusal of NodeEngine.prepareAttachments is read into its kind and the file it names")
    func kinds() {
        let names = ["scan.pdf", "big.jpg", "x", "photo", "a.jpg", "a.jpg.png"]
        let cases: [(String, String?, AttachmentRefusal.Kind)] = [
            (
                "'scan.pdf' is named as application/pdf but its content is image/png; rename it or attach the right file",
                "scan.pdf", .misnamed(named: "application/pdf", content: "image/png")
            ),
            (
                "'big.jpg' has 25000000 bytes; a file may have at most 20971520 ([attachments] max_file_bytes)",
                "big.jpg",
                .tooLarge(limit: 20_971_520)
            ),
            (
                "the files attached have 52428801 bytes or more; a bulletin may carry at most 52428800 ([attachments] max_bulletin_bytes)",
                nil, .totalTooLarge(limit: 52_428_800)
            ),
            (
                "'x': the file is not a JPEG, PNG, WebP or PDF file by its content; attach a JPEG, PNG, WebP or PDF file",
                "x",
                .unknownType
            ),
            (
                "'photo' has no extension of the types attached (.jpg, .jpeg, .png, .webp, .pdf); its content is image/jpeg: rename it",
                "photo", .noExtension(content: "image/jpeg")
            ),
            (
                "'a.jpg': the JPEG file is damaged (no SOS at 12); save or scan it again and attach the new file",
                "a.jpg", .damaged
            ),
            ("'a.jpg.png': the PNG file is cut short; attach the whole file", "a.jpg.png", .cutShort),
            ("'a.jpg': the file is empty; attach a JPEG, PNG, WebP or PDF file", "a.jpg", .empty),
            ("'a.jpg': a file name has 1 to 120 characters and no path (no / or \\)", "a.jpg", .badName),
        ]
        for (message, name, kind) in cases {
            let refusal = AttachmentRefusal.read(message + Self.suffix, names: names)
            #expect(refusal?.kind == kind, "\(message)")
            #expect(refusal?.fileName == name, "\(message)")
        }
        #expect(AttachmentRefusal.read("unknown recipient XX; it is not linked", names: names) == nil)
    }

    @Test(
        "the refusal is said in Arabic, French and English, with the types by their names and the node's own words kept"
    )
    func languages() throws {
        let refusal = try #require(
            AttachmentRefusal.read(
                "'scan.pdf' is named as application/pdf but its content is image/png; rename it or attach the right file"
                    + Self.suffix, names: ["scan.pdf"]))
        let i = "\u{2068}"
        let o = "\u{2069}"
        #expect(
            refusal.text(.en).hasPrefix("The file's name says \(i)PDF\(o) but its content is \(i)PNG\(o): rename it"))
        #expect(
            refusal.text(.fr).hasPrefix("Le nom du fichier annonce un \(i)PDF\(o) mais son contenu est un \(i)PNG\(o)"))
        #expect(refusal.text(.ar).hasPrefix("اسم الملف يدلّ على \(i)PDF\(o) لكن محتواه \(i)PNG\(o)"))
        #expect(refusal.text(.ar).contains("العقدة: \(i)'scan.pdf' is named as application/pdf"))
    }

    @Test(
        "the post form's files: inputs file.1…file.4 only, once each; the descriptions sent are the CLI's; a refusal lands beside the file it names"
    )
    func postUploads() throws {
        func file(_ field: String, _ name: String, size: Int = 1) -> UploadedFile {
            UploadedFile(
                field: field, fileName: name, bytes: [UInt8](repeating: 1, count: size), size: size, isOversized: false)
        }
        let form = FormBody(values: ["caption.2": ["  La carte  "], "captionLang": ["fr"], "keepMetadata": ["yes"]])
        let uploads = try PostUploads(
            form: form, files: [file("file.2", "C:\\x\\carte.png"), file("file.1", "scan.pdf")], language: .en,
            maximumFileBytes: 10)
        #expect(uploads.chosen.map(\.slot) == [1, 2])
        #expect(
            uploads.uploads == [
                AttachmentUpload(fileName: "scan.pdf", caption: nil, keepMetadata: true),
                AttachmentUpload(fileName: "carte.png", caption: ["fr": "La carte"], keepMetadata: true),
            ])
        #expect(uploads.files == [[1], [1]])
        let place = uploads.place(
            ofRefusal: "'carte.png' is named as image/png but its content is application/pdf; rename it" + Self.suffix,
            language: .en)
        #expect(place?.field == "file.2")
        #expect(uploads.place(ofRefusal: "recipient XX is not linked", language: .en) == nil)
        // Unticked: no keepMetadata at all, as `bordernet post` without --keep-metadata.
        let plain = try PostUploads(form: .empty, files: [file("file.4", "a.jpg")], language: .ar, maximumFileBytes: 10)
        #expect(plain.uploads == [AttachmentUpload(fileName: "a.jpg")])
        #expect(plain.captionLanguage == .ar)

        for field in ["file.0", "file.5", "file.01", "file", "caption.1", "file.1 "] {
            #expect(throws: PostUploads.Refusal.unknownField(field)) {
                try PostUploads(form: .empty, files: [file(field, "a.jpg")], language: .en, maximumFileBytes: 10)
            }
        }
        #expect(throws: PostUploads.Refusal.repeatedField("file.3")) {
            try PostUploads(
                form: .empty, files: [file("file.3", "a.jpg"), file("file.3", "b.jpg")], language: .en,
                maximumFileBytes: 10)
        }
    }
}
