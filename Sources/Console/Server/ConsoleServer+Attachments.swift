import BulletinSchema
import Clearance
import Exchange
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// A bulletin's attached files (docs/PROTOCOL.md §17): listed on its page, and each served at
/// `/bulletins/ID/attachments/N` to whoever may read the bulletin — the page's own check
/// (``readableSummary(id:for:)``), never a second one.
extension ConsoleServer {
    /// The media types served, with how a browser is told to take them (docs/PROTOCOL.md §17.1):
    /// images shown in the page, PDF downloaded. Anything else is never served.
    static let servedMediaTypes: [String: AttachmentDisposition] = [
        "image/jpeg": .inline, "image/png": .inline, "image/webp": .inline, "application/pdf": .attachment,
    ]

    /// The largest file served: the node's own bound on an attachment (`max_file_bytes` cannot
    /// exceed 1 GiB), so a damaged row cannot make the console hold more.
    static let maximumServedBytes: UInt64 = 1 << 30

    /// The policy of a served file, replacing the pages' own: nothing it holds may load, run or
    /// be framed (`sandbox`: a PDF viewer or an image opened alone gets an opaque origin).
    static let attachmentContentSecurityPolicy = "default-src 'none'; sandbox"

    /// How a served file is presented.
    enum AttachmentDisposition: String, Sendable {
        case inline, attachment
    }

    /// `GET /bulletins/:id/attachments/:number`: the file, its chunks opened and its SHA-256
    /// checked, when the person may read the bulletin; the console's 404 page for a bulletin
    /// they may not read, an unknown number, or a file not complete or refused; a 500 page
    /// (logged) for a file whose chunks no longer make it. Recorded in the node's audit log as
    /// the bulletin's opening (`openBulletin`).
    func attachmentFile(context: ConsoleContext) async throws -> Response {
        let person = try Self.person(context)
        let language = person.language
        let id = context.parameters.get("id") ?? ""
        let notFound = {
            renderer.message(
                heading: ConsoleText.notFound(language), text: ConsoleText.notFound(language), frame: frame(context),
                status: .notFound)
        }
        guard try await readableSummary(id: id, for: person) != nil else { return notFound() }
        guard let number = Self.attachmentNumber(context.parameters.get("number")),
            let row = try await node.attachments(of: id).first(where: { $0.number == number }), row.state == .complete,
            let disposition = Self.servedMediaTypes[row.mediaType], row.size <= Self.maximumServedBytes
        else {
            recordOpening(person, id: id, .notFound)
            return notFound()
        }
        let file: [UInt8]
        do {
            file = try await node.file(of: row)
        } catch {
            logger.error(
                "console attachment unreadable",
                metadata: ["bulletin": "\(row.bulletin)", "number": "\(row.number)", "error": "\(error)"])
            recordOpening(person, id: id, .notFound)
            return renderer.message(
                heading: ConsoleText.requestRefused(language), text: AttachmentText.fileUnreadable(language),
                frame: frame(context),
                status: .internalServerError)
        }
        recordOpening(person, id: id, .succeeded)
        logger.info(
            "console attachment served",
            metadata: ["user": "\(person.username)", "bulletin": "\(row.bulletin)", "number": "\(row.number)"])
        let headers: HTTPFields = [
            .contentType: row.mediaType, .contentLength: String(file.count),
            .contentDisposition: Self.contentDisposition(disposition, fileName: row.fileName),
            .contentSecurityPolicy: Self.attachmentContentSecurityPolicy, .xContentTypeOptions: "nosniff",
            .cacheControl: "private, no-store",
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file)))
    }

    /// A file's number from the path: 1–65,535 in plain decimal digits (no sign, no space).
    static func attachmentNumber(_ text: String?) -> Int? {
        guard let text, (1...5).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let number = Int(text), (1...Int(UInt16.max)).contains(number)
        else { return nil }
        return number
    }

    /// `Content-Disposition` after RFC 6266: an ASCII `filename` with every character that is not
    /// a letter, digit, space or one of `.-_()` replaced by `_` (so no quote, backslash, control or
    /// path separator), and the exact name as `filename*=UTF-8''…`, percent-encoded (RFC 8187).
    static func contentDisposition(_ disposition: AttachmentDisposition, fileName: String) -> String {
        let name = fileName.isEmpty ? "file" : fileName
        let fallback = String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { scalar -> Unicode.Scalar in
                    let safe =
                        scalar.isASCII
                        && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                            || " .-_()".unicodeScalars.contains(scalar))
                    return safe ? scalar : "_"
                }))
        // attr-char of RFC 8187: ALPHA / DIGIT / "!" "#" "$" "&" "+" "-" "." "^" "_" "`" "|" "~".
        var encoded = ""
        for byte in name.utf8 {
            let scalar = Unicode.Scalar(byte)
            if scalar.isASCII,
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || "!#$&+-.^_`|~".unicodeScalars.contains(scalar)
            {
                encoded.unicodeScalars.append(scalar)
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return "\(disposition.rawValue); filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }

    /// The bulletin page's list of attached files (`attachments`, `hasAttachments`, the words as
    /// `a`), and for one of this node's bulletins what each recipient acknowledged of them.
    func addAttachments(of record: BulletinRecord, to model: inout [String: Any], language: Language) async throws {
        let id = record.summary.id.description
        let rows = try await node.attachments(of: id)
        guard !rows.isEmpty else { return }
        let presenter = BulletinPresenter(catalog: node.catalog, language: language)
        let body = (try? JSONParser(maximumDepth: 64).parse(record.body)) ?? .object([:])
        let listed = body["attachments"]?.arrayValue ?? []
        model["a"] = AttachmentText.table(language)
        model["hasAttachments"] = true
        model["attachments"] = rows.map { row -> [String: Any] in
            var item: [String: Any] = [
                "number": row.number, "fileName": BulletinPresenter.safe(row.fileName),
                "typeLabel": AttachmentText.typeLabel(row.mediaType), "size": AttachmentText.size(row.size, language),
                "url": "/bulletins/\(id)/attachments/\(row.number)",
            ]
            let entry = row.number >= 1 && row.number <= listed.count ? listed[row.number - 1].objectValue : nil
            let captions = (entry?["caption"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            if let caption = presenter.localized(captions) {
                item["caption"] = caption.text
                item["captionLang"] = caption.language
            }
            item["alt"] = item["caption"] ?? item["fileName"]
            let served = Self.servedMediaTypes[row.mediaType]
            switch row.state {
            case .complete:
                item["stateClass"] = "complete"
                item["state"] = AttachmentText.complete(language)
                if served == .inline { item["isImage"] = true }
                if served == .attachment { item["isDownload"] = true }
            case .transfer:
                item["stateClass"] = "transfer"
                item["state"] = AttachmentText.inTransfer(held: row.chunksHeld, of: row.chunkCount)[language]
            case .refused:
                item["stateClass"] = "refused"
                item["state"] = AttachmentText.refused(language)
                if let detail = row.detail { item["detail"] = BulletinPresenter.safe(detail) }
            }
            return item
        }
        guard record.summary.isOwn, !record.recipients.isEmpty else { return }
        let receipts = try await node.attachmentReceipts(of: id)
        model["hasAttachmentReceipts"] = true
        model["attachmentReceipts"] = record.recipients.map { delivery -> [String: String] in
            let kept = receipts[delivery.recipient] ?? [:]
            let held = kept.values.filter { $0 }.count
            let refused = kept.count - held
            return [
                "state": presenter.stateLabel(delivery.recipient.description),
                "status": AttachmentText.received(held: held, refused: refused, of: rows.count)[language],
            ]
        }
    }
}
