import Attachments
import Exchange
import Foundation
import Sodium
import Store
import Wire

/// A post's files, checked and sealed, with what the node writes of them into the bulletin.
struct PreparedAttachments: Sendable {
    /// The `"attachments":[…],` member inserted into the draft (empty without files).
    var member: [UInt8] = []
    /// What the store keeps: each file's row and sealed chunks.
    var posted: [PostedAttachment] = []
    /// What metadata each file lost, for the log.
    var removed: [[AttachmentMetadataKind]] = []
}

/// Checks and seals a post's files (docs/PROTOCOL.md §17.1). Pure: it reads no node state, so the
/// node runs it on ``AttachmentSealer``'s queue, off the I/O thread — 50 MiB of files take
/// hundreds of milliseconds of parsing, hashing and sealing, during which no envelope would move.
enum AttachmentPreparation {
    /// The node's `[attachments]` limits that apply at post.
    struct Limits: Sendable {
        var maximumFileBytes: Int
        var maximumBulletinBytes: Int
    }

    /// Why a post's files were refused: said to the officer, with "nothing was stored or sent".
    struct Refusal: Error, Sendable {
        let message: String
    }

    /// Checks count and sizes within `limits`, a name without a path whose extension agrees with
    /// the content, a JPEG, PNG, WebP or PDF by its bytes and structure (``AttachmentContent``),
    /// metadata removed unless the officer keeps it; then hashes each file, draws its key and
    /// seals its chunks. Nothing is stored here: a refused file refuses the whole post.
    static func prepare(
        _ uploads: [AttachmentUpload], files: [[UInt8]], bulletinID: BulletinID, reference: BulletinReference,
        now: Timestamp, limits: Limits
    ) -> Result<PreparedAttachments, Refusal> {
        guard !uploads.isEmpty || !files.isEmpty else { return .success(PreparedAttachments()) }
        guard uploads.count == files.count, uploads.count <= ControlRequest.maximumAttachments else {
            return .failure(
                Refusal(
                    message: "a post attaches at most \(ControlRequest.maximumAttachments) files, each described once"))
        }
        var prepared = PreparedAttachments()
        var entries: [AttachmentEntryJSON] = []
        var total = 0
        for (offset, (upload, file)) in zip(uploads, files).enumerated() {
            let number = offset + 1
            let name = upload.fileName
            guard file.count <= limits.maximumFileBytes else {
                return .failure(
                    Refusal(
                        message:
                            "'\(name)' has \(file.count) bytes; a file may have at most \(limits.maximumFileBytes) ([attachments] max_file_bytes)"
                    ))
            }
            total += file.count
            guard total <= limits.maximumBulletinBytes else {
                return .failure(
                    Refusal(
                        message:
                            "the files attached have \(total) bytes or more; a bulletin may carry at most \(limits.maximumBulletinBytes) ([attachments] max_bulletin_bytes)"
                    ))
            }
            // Counted in Unicode scalars, as the schema counts `fileName`: a name of combining marks
            // is refused here, before its file is sealed.
            guard !name.isEmpty, name.unicodeScalars.count <= 120, !name.contains("/"), !name.contains("\\") else {
                return .failure(
                    Refusal(message: "'\(name)': a file name has 1 to 120 characters and no path (no / or \\)"))
            }
            let checked: CheckedAttachment
            do throws(AttachmentContentError) {
                checked = try AttachmentContent.check(file, keepMetadata: upload.keepMetadata == true)
            } catch {
                return .failure(Refusal(message: "'\(name)': \(error)"))
            }
            // The name travels to the recipients, whose officers save the file under it: its
            // extension must say what the content is.
            guard let named = mediaType(ofExtensionIn: name) else {
                return .failure(
                    Refusal(
                        message:
                            "'\(name)' has no extension of the types attached (.jpg, .jpeg, .png, .webp, .pdf); its content is \(checked.mediaType.rawValue): rename it"
                    ))
            }
            guard named == checked.mediaType else {
                return .failure(
                    Refusal(
                        message:
                            "'\(name)' is named as \(named.rawValue) but its content is \(checked.mediaType.rawValue); rename it or attach the right file"
                    ))
            }
            let key = AttachmentCipher.generateKey()
            let size = UInt64(checked.bytes.count)
            let binding = AttachmentBinding(bulletinID: bulletinID, number: UInt16(number), size: size)
            var sealed: [[UInt8]] = []
            sealed.reserveCapacity(Int(clamping: binding.chunkCount))
            do throws(AttachmentError) {
                var start = 0
                for index in 0..<binding.chunkCount {
                    let end = min(start + AttachmentCipher.chunkByteCount, checked.bytes.count)
                    sealed.append(
                        try AttachmentCipher.seal(
                            Array(checked.bytes[start..<end]), index: index, of: binding, key: key))
                    start = end
                }
            } catch {
                return .failure(Refusal(message: "'\(name)' could not be sealed: \(error)"))
            }
            let digest = SHA256.hash(checked.bytes)
            entries.append(
                AttachmentEntryJSON(
                    sha256: Hex.encode(digest), mediaType: checked.mediaType.rawValue, size: size, fileName: name,
                    caption: upload.caption, shows: upload.shows, key: key.base64URL))
            prepared.posted.append(
                PostedAttachment(
                    record: StoredAttachment(
                        bulletin: reference, number: number, sha256: digest, size: size,
                        mediaType: checked.mediaType.rawValue, fileName: name,
                        key: key.base64URL, chunkCount: binding.chunkCount, chunksHeld: binding.chunkCount,
                        state: .complete, updatedAt: now),
                    sealedChunks: sealed))
            prepared.removed.append(checked.removedMetadata)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let list = try? encoder.encode(entries) else {
            return .failure(Refusal(message: "the attachments could not be written"))
        }
        prepared.member = Array("\"attachments\":".utf8) + Array(list) + [UInt8(ascii: ",")]
        return .success(prepared)
    }

    /// The type a file name's extension announces, when it is one of the types attached.
    static func mediaType(ofExtensionIn name: String) -> AttachmentMediaType? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "jpg", "jpeg", "jpe", "jfif": return .jpeg
        case "png": return .png
        case "webp": return .webp
        case "pdf": return .pdf
        default: return nil
        }
    }
}

/// One entry of a bulletin's `attachments`, as the origin writes it (schema 1.2).
struct AttachmentEntryJSON: Encodable {
    let sha256: String
    let mediaType: String
    let size: UInt64
    let fileName: String
    let caption: [String: String]?
    let shows: String?
    let key: String
}
