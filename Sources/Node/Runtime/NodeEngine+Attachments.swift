import Attachments
import BulletinSchema
import Exchange
import Foundation
import Logging
import Sodium
import Store
import Wire

/// A post's files, checked and sealed, with what the node writes of them into the bulletin.
struct PreparedAttachments {
    /// The `"attachments":[…],` member inserted into the draft (empty without files).
    var member: [UInt8] = []
    /// What the store keeps: each file's row and sealed chunks.
    var posted: [PostedAttachment] = []
    /// What metadata each file lost, for the log.
    var removed: [[AttachmentMetadataKind]] = []
}

extension NodeEngine {
    /// Checks a post's files (docs/PROTOCOL.md §17.1): count and sizes within `[attachments]`,
    /// a name without a path whose extension agrees with the content, a JPEG, PNG, WebP or PDF
    /// by its bytes and structure (``AttachmentContent``), metadata removed unless the officer
    /// keeps it; then hashes each file, draws its key and seals its chunks. Nothing is stored
    /// here: a refused file refuses the whole post.
    func prepareAttachments(
        _ uploads: [AttachmentUpload], files: [[UInt8]], bulletinID: BulletinID, reference: BulletinReference,
        now: Timestamp
    ) -> Result<PreparedAttachments, PostRefusal> {
        guard !uploads.isEmpty else { return .success(PreparedAttachments()) }
        guard uploads.count == files.count, uploads.count <= ControlRequest.maximumAttachments else {
            return .failure(
                PostRefusal("a post attaches at most \(ControlRequest.maximumAttachments) files, each described once"))
        }
        var prepared = PreparedAttachments()
        var entries: [AttachmentEntryJSON] = []
        var total = 0
        for (offset, (upload, file)) in zip(uploads, files).enumerated() {
            let number = offset + 1
            let name = upload.fileName
            guard file.count <= configuration.attachmentMaximumFileBytes else {
                return refusedAttachment(
                    "'\(name)' has \(file.count) bytes; a file may have at most \(configuration.attachmentMaximumFileBytes) ([attachments] max_file_bytes)"
                )
            }
            total += file.count
            guard total <= configuration.attachmentMaximumBulletinBytes else {
                return refusedAttachment(
                    "the files attached have \(total) bytes or more; a bulletin may carry at most \(configuration.attachmentMaximumBulletinBytes) ([attachments] max_bulletin_bytes)"
                )
            }
            guard !name.isEmpty, name.count <= 120, !name.contains("/"), !name.contains("\\") else {
                return refusedAttachment("'\(name)': a file name has 1 to 120 characters and no path (no / or \\)")
            }
            let checked: CheckedAttachment
            do throws(AttachmentContentError) {
                checked = try AttachmentContent.check(file, keepMetadata: upload.keepMetadata == true)
            } catch {
                return refusedAttachment("'\(name)': \(error)")
            }
            // The name travels to the recipients, whose officers save the file under it: its
            // extension must say what the content is.
            guard let named = Self.mediaType(ofExtensionIn: name) else {
                return refusedAttachment(
                    "'\(name)' has no extension of the types attached (.jpg, .jpeg, .png, .webp, .pdf); its content is \(checked.mediaType.rawValue): rename it"
                )
            }
            guard named == checked.mediaType else {
                return refusedAttachment(
                    "'\(name)' is named as \(named.rawValue) but its content is \(checked.mediaType.rawValue); rename it or attach the right file"
                )
            }
            let key = AttachmentCipher.generateKey()
            let size = UInt64(checked.bytes.count)
            let binding = AttachmentBinding(bulletinID: bulletinID, number: UInt16(number), size: size)
            var sealed: [[UInt8]] = []
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
                return .failure(PostRefusal("'\(name)' could not be sealed: \(error)"))
            }
            let digest = SHA256.hash(checked.bytes)
            entries.append(
                AttachmentEntryJSON(
                    sha256: Hex.encode(digest), mediaType: checked.mediaType.rawValue, size: size, fileName: name,
                    caption: upload.caption,
                    shows: upload.shows, key: key.base64URL))
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
            return .failure(PostRefusal("the attachments could not be written"))
        }
        prepared.member = Array("\"attachments\":".utf8) + Array(list) + [UInt8(ascii: ",")]
        return .success(prepared)
    }

    private func refusedAttachment(_ message: String) -> Result<PreparedAttachments, PostRefusal> {
        metrics.count("bordernet_posts_refused_total", [("reason", "attachment")])
        logger.warning("post refused: an attached file", metadata: ["reason": "\(message)"])
        return .failure(PostRefusal("\(message); nothing was stored or sent"))
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

    /// Answers a recipient's request for a chunk of an attachment of a bulletin this node sent
    /// it (docs/PROTOCOL.md §17.3): the sealed chunk, or an answer without one when the
    /// bulletin was not sent to it or has no such chunk. At most
    /// ``attachmentChunksServedPerSecond`` per peer: a flood is dropped as `throttled`.
    func serveAttachmentChunk(_ place: AttachmentChunkPlace, to peer: StateCode, routingID: [UInt8]) {
        let now = ContinuousClock.now
        // A peer whose queue was full a moment ago does not read its answers: no store read for
        // it until the pause is over (it asks again after its timeout).
        if let until = attachmentServingPausedUntil[peer], now < until {
            refuse(.throttled, from: peer, detail: "attachment chunk asked while its answers are not read")
            return
        }
        var bound = attachmentServingBounds[peer] ?? RateWindow()
        guard bound.take(now: now, limit: Self.attachmentChunksServedPerSecond) else {
            attachmentServingBounds[peer] = bound
            refuse(
                .throttled, from: peer,
                detail: "more than \(Self.attachmentChunksServedPerSecond) attachment chunks asked in a second")
            return
        }
        attachmentServingBounds[peer] = bound
        let reference = BulletinReference(origin: identity.state, id: place.bulletinID)
        let sealed: [UInt8]?
        do {
            sealed =
                try store.wasSent(reference, to: peer)
                ? store.chunk(of: reference, number: Int(place.number), index: place.index) : nil
        } catch {
            logger.error("cannot read an attachment chunk", metadata: ["peer": "\(peer)", "error": "\(error)"])
            return
        }
        if sealed == nil {
            refuse(
                .notLinked, from: peer,
                detail: "attachment chunk \(place) asked: not sent to this peer, or no such chunk")
        }
        do {
            let frames = [routingID] + AttachmentChunkAnswer(place: place, sealed: sealed).frames
            if try !service.send(frames, dontWait: true) {
                attachmentServingPausedUntil[peer] = now + Self.attachmentServingPause
                refuse(
                    .throttled, from: peer, detail: "attachment chunk not queued: the peer does not read its answers")
            } else if let sealed {
                metrics.count("bordernet_attachment_chunks_served_total", [("recipient", peer.description)])
                metrics.count(
                    "bordernet_attachment_bytes_served_total", [("recipient", peer.description)], by: sealed.count)
            }
        } catch {
            if case .hostUnreachable = error { return }
            logger.error("cannot answer on the service socket", metadata: ["error": "\(error)"])
        }
    }

    /// The most attachment chunks one peer is served per second (8 MiB/s of 64 KiB chunks is
    /// 128; this leaves a fast link its speed and bounds what a flood of requests costs).
    static let attachmentChunksServedPerSecond = 2_048
    /// How long a peer whose answer queue was full is served no chunk (no store read for it).
    static let attachmentServingPause = Duration.seconds(1)
}

/// A count per one-second window: how many of something a peer got in the current second.
struct RateWindow {
    private var start: ContinuousClock.Instant?
    private var count = 0

    /// Counts one if fewer than `limit` were counted in the current second.
    mutating func take(now: ContinuousClock.Instant, limit: Int) -> Bool {
        if let start, now - start < .seconds(1) {
            guard count < limit else { return false }
            count += 1
            return true
        }
        start = now
        count = 1
        return true
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

extension FeedAttachment {
    /// A stored attachment as the feed and `bordernet attachment list` show it.
    public init(_ stored: StoredAttachment) {
        self.init(
            number: stored.number, fileName: stored.fileName, mediaType: stored.mediaType, size: stored.size,
            sha256: Hex.encode(stored.sha256),
            state: stored.state.rawValue, chunksHeld: stored.chunksHeld, chunkCount: stored.chunkCount,
            detail: stored.detail)
    }
}

extension NodeEngine {
    /// A recipient's signed attachment receipt (docs/PROTOCOL.md §17.4): checked against the
    /// roster, for an attachment of a bulletin this node sent that recipient with the same
    /// SHA-256; kept and audited once, and answered so that the recipient stops sending it.
    func takeAttachmentReceipt(_ bytes: [UInt8], from peer: StateCode, routingID: [UInt8]) {
        let receipt: AttachmentReceipt
        do throws(ReceiptError) {
            receipt = try AttachmentReceipt.verify(bytes, against: roster)
        } catch {
            let reason: RejectionReason
            switch error {
            case .malformed: reason = .malformedMessage
            case .notLinked: reason = .notLinked
            case .unknownRecipient: reason = .unknownOrigin
            case .badSignature, .signerIsNotRecipient: reason = .badSignature
            }
            refuse(reason, from: peer, detail: "attachment receipt: \(error)")
            return
        }
        guard receipt.link.recipient == peer, receipt.link.origin == identity.state else {
            refuse(
                .implausibleClaim, from: peer, detail: "attachment receipt for \(receipt.link) on \(peer)'s connection")
            return
        }
        let reference = BulletinReference(origin: identity.state, id: receipt.bulletinID)
        let isNew: Bool
        do {
            let attachment = try store.attachments(of: reference).first { $0.number == Int(receipt.number) }
            guard let attachment, attachment.sha256 == receipt.digest.bytes, try store.wasSent(reference, to: peer)
            else {
                refuse(
                    .implausibleClaim, from: peer,
                    detail: "attachment receipt for \(reference) #\(receipt.number): no such attachment sent to it")
                return
            }
            isNew = try store.recordAttachmentReceipt(
                reference, number: attachment.number, recipient: peer, held: receipt.held,
                receivedAt: receipt.receivedAt, bytes: bytes)
        } catch {
            logger.error(
                "cannot store an attachment receipt; the recipient will send it again",
                metadata: ["peer": "\(peer)", "error": "\(error)"])
            return
        }
        if isNew {
            audit(
                .attachmentAcknowledged(
                    link: receipt.link, bulletin: receipt.bulletinID, number: receipt.number, digest: receipt.digest,
                    held: receipt.held))
            metrics.count(
                "bordernet_attachment_receipts_received_total",
                [("recipient", peer.description), ("held", "\(receipt.held)")])
            if !receipt.held {
                logger.warning(
                    "recipient refused an attachment",
                    metadata: ["link": "\(receipt.link)", "id": "\(reference)", "number": "\(receipt.number)"])
            }
        }
        do {
            _ = try service.send(
                [routingID] + AttachmentReceiptAnswer(bulletinID: receipt.bulletinID, number: receipt.number).frames,
                dontWait: true)
        } catch {
            if case .hostUnreachable = error { return }
            logger.error("cannot answer on the service socket", metadata: ["error": "\(error)"])
        }
    }
}
