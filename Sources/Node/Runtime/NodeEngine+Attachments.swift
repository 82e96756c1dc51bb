import Attachments
import BulletinSchema
import Exchange
import Foundation
import Logging
import Sodium
import Store
import Wire

extension NodeEngine {
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
    /// The most attachment receipts taken from one peer in a second.
    static let attachmentReceiptsTakenPerSecond = 64
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
    /// At most ``attachmentReceiptsTakenPerSecond`` per peer (each costs a signature check and
    /// store reads on the loop): more are dropped as `throttled`, and sent again by the recipient.
    func takeAttachmentReceipt(_ bytes: [UInt8], from peer: StateCode, routingID: [UInt8]) {
        var bound = attachmentReceiptBounds[peer] ?? RateWindow()
        let taken = bound.take(now: .now, limit: Self.attachmentReceiptsTakenPerSecond)
        attachmentReceiptBounds[peer] = bound
        guard taken else {
            refuse(
                .throttled, from: peer,
                detail: "more than \(Self.attachmentReceiptsTakenPerSecond) attachment receipts sent in a second")
            return
        }
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
