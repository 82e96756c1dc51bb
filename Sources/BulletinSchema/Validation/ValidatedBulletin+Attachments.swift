/// One entry of a bulletin's `attachments` (schema 1.2, docs/SCHEMAS.md): what the origin
/// node wrote about a file it attached. The validator has checked the entry's shape and
/// bounds; the exchange layer checks the key and the content.
public struct BulletinAttachmentEntry: Sendable, Equatable {
    /// The place of the entry in the list, from 1 (how commands and the wire name it).
    public let number: Int
    /// The file's SHA-256, 64 lower-case hexadecimal digits.
    public let sha256: String
    /// `image/jpeg`, `image/png`, `image/webp` or `application/pdf`.
    public let mediaType: String
    /// The file's size in bytes (at least 1).
    public let size: Int64
    /// The file's name as attached, without a path.
    public let fileName: String
    /// The caption by language code (`ar`, `fr`, `en`); empty without one.
    public let caption: [String: String]
    /// The local id of the observable in `details` the file shows, if named.
    public let shows: String?
    /// The file's key: 43 characters of unpadded base64url.
    public let key: String
}

extension ValidatedBulletin {
    /// The bulletin's attachments in their order (empty when it has none).
    public var attachments: [BulletinAttachmentEntry] { BulletinAttachmentEntry.list(in: value) }
}

extension BulletinAttachmentEntry {
    /// The attachments of a bulletin's parsed body, in their order. Entries the schema would
    /// have refused are skipped, never trapped on: meant for validated bulletins.
    public static func list(in bulletin: JSONValue) -> [BulletinAttachmentEntry] {
        guard let list = bulletin["attachments"]?.arrayValue else { return [] }
        return list.enumerated().compactMap { index, item in
            guard let sha256 = item["sha256"]?.stringValue, let mediaType = item["mediaType"]?.stringValue,
                case .integer(let size) = item["size"], let fileName = item["fileName"]?.stringValue,
                let key = item["key"]?.stringValue
            else { return nil }
            let caption = (item["caption"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            return BulletinAttachmentEntry(
                number: index + 1, sha256: sha256, mediaType: mediaType, size: size, fileName: fileName,
                caption: caption,
                shows: item["shows"]?.stringValue, key: key)
        }
    }

    /// The attachments of a stored bulletin's body (a validated one): empty when it has none,
    /// and without parsing a body that does not name `attachments`.
    public static func list(inBody body: [UInt8]) -> [BulletinAttachmentEntry] {
        guard body.count <= SchemaCatalog.maximumBulletinBytes, mayList(inBody: body),
            let value = try? JSONParser().parse(body)
        else { return [] }
        return list(in: value)
    }

    private static let member: [UInt8] = Array("\"attachments\"".utf8)

    /// Whether a body may list attachments: it names the member somewhere. A cheap scan, so that
    /// bodies without files (nearly all) are never parsed to look for them.
    public static func mayList(inBody body: [UInt8]) -> Bool {
        let needle = member
        guard body.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        while index <= body.count - needle.count {
            if body[index] == first, body[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
