import Attachments
import BulletinSchema
import Exchange
import Foundation
import LinkRules
import Logging
import Sodium
import Store
import Wire

extension NodeEngine {
    /// The pull rules of a new link, with this node's rate cap.
    func makeAttachmentPull() -> AttachmentPull {
        AttachmentPull(bytesPerSecond: configuration.attachmentLinkBytesPerSecond)
    }

    /// The attachments a received bulletin lists, as rows to store with it: `transfer`, or
    /// `refused` when they exceed this node's `[attachments]` limits or their key does not read
    /// (a hostile origin cannot make this node pull more than its limits).
    func expectedAttachments(of bulletin: StoredBulletin, receivedAt: Timestamp) -> [StoredAttachment] {
        var total: Int64 = 0
        return BulletinAttachmentEntry.list(inBody: bulletin.body).map { entry in
            var detail: String?
            let digest = (try? Hex.decode(entry.sha256)) ?? []
            if entry.size > configuration.attachmentMaximumFileBytes {
                detail =
                    "\(entry.size) bytes, over this node's [attachments] max_file_bytes (\(configuration.attachmentMaximumFileBytes))"
            } else if total &+ entry.size > configuration.attachmentMaximumBulletinBytes {
                detail =
                    "the bulletin's files pass this node's [attachments] max_bulletin_bytes (\(configuration.attachmentMaximumBulletinBytes))"
            } else if AttachmentPreparation.mediaType(ofExtensionIn: entry.fileName)?.rawValue != entry.mediaType {
                // Officers save the file under its name: a name that lies about the type is refused.
                detail = "its name does not end with an extension of its type (\(entry.mediaType))"
            } else if (try? AttachmentKey(base64URL: entry.key)) == nil {
                detail = "its key does not read"
            } else if digest.count != SHA256.byteCount {
                detail = "its SHA-256 does not read"
            } else {
                total &+= entry.size
            }
            let size = UInt64(clamping: max(entry.size, 0))
            return StoredAttachment(
                bulletin: bulletin.reference, number: entry.number, sha256: digest, size: size,
                mediaType: entry.mediaType,
                fileName: entry.fileName, key: entry.key, chunkCount: AttachmentCipher.chunkCount(size: size),
                chunksHeld: 0,
                state: detail == nil ? .transfer : .refused, detail: detail,
                updatedAt: receivedAt)
        }
    }

    /// Asks each origin for the next chunks of its attachments, within each link's window and
    /// rate (``AttachmentPull``). Bulletins go first: a link that is catching up by replay asks
    /// for no chunk until it has caught up.
    func pullAttachments(now: ContinuousClock.Instant) {
        for link in inbound.values where link.rules.replayRequestedAt == nil {
            if now >= link.nextAttachmentReceipts {
                link.nextAttachmentReceipts = now + Self.attachmentReceiptInterval
                sendDueAttachmentReceipts(on: link)
            }
            if link.pulling == nil {
                guard now >= link.nextAttachmentLookup else { continue }
                link.nextAttachmentLookup = now + Self.attachmentLookupInterval
                startNextAttachment(on: link)
            }
            guard let pulling = link.pulling, let binding = pulling.attachment.binding, !link.verifying else {
                continue
            }
            if link.attachmentPull.isComplete {
                if let notBefore = link.verifyNotBefore, now < notBefore { continue }
                completeAttachment(on: link)
                continue
            }
            for index in link.attachmentPull.requests(now: now) {
                let place = AttachmentChunkPlace(bulletinID: binding.bulletinID, number: binding.number, index: index)
                do {
                    if try !link.requester.send(ServiceRequest.attachmentChunk(place).frames, dontWait: true) {
                        link.attachmentPull.requestNotSent(index)  // asked again at the next turn
                    }
                } catch {
                    link.attachmentPull.requestNotSent(index)
                }
            }
        }
    }

    /// How often a link with nothing to pull asks the store whether something came.
    static let attachmentLookupInterval = Duration.seconds(1)
    /// How often the receipts an origin has not confirmed are sent again.
    static let attachmentReceiptInterval = Duration.seconds(30)
    /// How many unconfirmed receipts are sent again per link and round.
    static let attachmentReceiptsPerRound = 16
    /// How long a file whose chunks could not be read from the store waits before it is checked again.
    static let attachmentVerificationRetry = Duration.seconds(10)

    /// Sends the receipts of finished attachments from `link`'s origin that it has not confirmed,
    /// ``attachmentReceiptsPerRound`` at a time: each round starts after the last receipt of the
    /// previous one, and after the last due receipt the rounds start again from the oldest.
    private func sendDueAttachmentReceipts(on link: InboundLink) {
        do {
            var due = try store.attachmentReceiptsDue(
                from: link.origin, limit: Self.attachmentReceiptsPerRound, after: link.attachmentReceiptsCursor)
            if due.isEmpty, link.attachmentReceiptsCursor != nil {
                // Past the last one: the rounds start again from the oldest.
                due = try store.attachmentReceiptsDue(from: link.origin, limit: Self.attachmentReceiptsPerRound)
            }
            link.attachmentReceiptsCursor = due.count < Self.attachmentReceiptsPerRound ? nil : due.last
            for attachment in due {
                guard sendAttachmentReceipt(for: attachment, held: attachment.state == .complete, on: link) else {
                    // A receipt that cannot name its file (a digest that did not read) is never due again.
                    try store.markAttachmentReceiptKept(attachment.bulletin, number: attachment.number)
                    continue
                }
            }
        } catch {
            logger.error(
                "cannot read the attachment receipts due", metadata: ["origin": "\(link.origin)", "error": "\(error)"])
        }
    }

    /// Signs and sends this node's receipt for an attachment of `link`'s origin; `false` when it
    /// cannot be made (the body's digest did not read).
    @discardableResult
    func sendAttachmentReceipt(for attachment: StoredAttachment, held: Bool, on link: InboundLink) -> Bool {
        guard let digest = try? AttachmentDigest(bytes: attachment.sha256),
            let number = UInt16(exactly: attachment.number)
        else { return false }
        let receipt = AttachmentReceipt(
            link: link.rules.link, bulletinID: attachment.bulletin.id, number: number, digest: digest,
            receivedAt: attachment.updatedAt,
            held: held)
        do {
            let signed = try receipt.signed(by: identity)
            if try !link.requester.send(ServiceRequest.attachmentReceipt(signed).frames, dontWait: true) {
                logger.info(
                    "attachment receipt not queued; it is sent again later", metadata: ["origin": "\(link.origin)"])
            }
        } catch {
            logger.error(
                "cannot send an attachment receipt", metadata: ["origin": "\(link.origin)", "error": "\(error)"])
        }
        return true
    }

    /// The origin kept one of this node's attachment receipts.
    func takeAttachmentReceiptAnswer(_ frames: [[UInt8]], on link: InboundLink) {
        do throws(WireError) {
            let answer = try AttachmentReceiptAnswer(frames: frames)
            do {
                try store.markAttachmentReceiptKept(
                    BulletinReference(origin: link.origin, id: answer.bulletinID), number: Int(answer.number))
            } catch {
                logger.error(
                    "cannot record that an attachment receipt was kept",
                    metadata: ["origin": "\(link.origin)", "error": "\(error)"])
            }
        } catch {
            refuse(error.reason, from: link.origin, detail: error.description)
        }
    }

    /// Audits what a stored batch says of attachments this node will not pull (its limits).
    func auditRefusedOnArrival(_ deliveries: [BulletinStore.Delivery]) {
        for delivery in deliveries {
            for attachment in delivery.attachments where attachment.state == .refused {
                guard let digest = try? AttachmentDigest(bytes: attachment.sha256),
                    let number = UInt16(exactly: attachment.number)
                else {
                    continue
                }
                audit(
                    .attachmentReceived(
                        link: Link(origin: delivery.envelope.origin, recipient: identity.state),
                        bulletin: attachment.bulletin.id,
                        number: number, digest: digest, size: attachment.size, held: false))
                logger.warning(
                    "attachment refused",
                    metadata: [
                        "id": "\(attachment.bulletin)", "number": "\(attachment.number)",
                        "reason": "\(attachment.detail ?? "")",
                    ])
            }
        }
    }

    private func startNextAttachment(on link: InboundLink) {
        do {
            guard let next = try store.attachmentsInTransfer(from: link.origin, limit: 1).first else { return }
            guard let binding = next.binding, let key = try? AttachmentKey(base64URL: next.key) else {
                try store.finishAttachment(
                    next.bulletin, number: next.number, state: .refused, detail: "its key does not read", at: .now)
                return
            }
            let held = try store.heldChunks(of: next.bulletin, number: next.number)
            link.pulling = (next, key)
            link.attachmentPull.start(binding, held: held)
            logger.info(
                "attachment transfer",
                metadata: [
                    "id": "\(next.bulletin)", "number": "\(next.number)", "bytes": "\(next.size)",
                    "chunks": "\(binding.chunkCount)", "held": "\(held.count)",
                ])
        } catch {
            logger.error(
                "cannot read the attachments in transfer", metadata: ["origin": "\(link.origin)", "error": "\(error)"])
        }
    }

    /// Takes the chunk answers of one read of `link`'s requester: each must answer a chunk
    /// asked for, and open under the attachment's key at its place; those that do are stored
    /// in one transaction. A chunk that does not open is refused (counted, audited) and asked
    /// again.
    func takeAttachmentAnswers(_ answers: [[[UInt8]]], on link: InboundLink) {
        var received: [ReceivedChunk] = []
        let now = ContinuousClock.now
        for frames in answers {
            let answer: AttachmentChunkAnswer
            do throws(WireError) {
                answer = try AttachmentChunkAnswer(
                    frames: frames,
                    maximumChunkBytes: AttachmentCipher.chunkByteCount + AttachmentCipher.overheadByteCount)
            } catch {
                refuse(error.reason, from: link.origin, detail: error.description)
                continue
            }
            let place = answer.place
            guard let pulling = link.pulling, let binding = pulling.attachment.binding,
                binding.bulletinID == place.bulletinID, binding.number == place.number
            else {
                refuse(.implausibleClaim, from: link.origin, detail: "attachment chunk \(place) not asked for")
                continue
            }
            switch link.attachmentPull.arrival(of: place.index) {
            case .asked, .late: break
            // The second answer to a chunk asked again after its timeout: the first was taken.
            // Counted, blaming no one (an origin that repeats without end shows here).
            case .repeated:
                metrics.count("bordernet_attachment_chunks_repeated_total", [("origin", link.origin.description)])
                continue
            case .unasked:
                refuse(.implausibleClaim, from: link.origin, detail: "attachment chunk \(place) not asked for")
                continue
            }
            guard let sealed = answer.sealed else {
                let detail = "the origin does not serve it"
                logger.warning(
                    "attachment refused",
                    metadata: [
                        "id": "\(pulling.attachment.bulletin)", "number": "\(place.number)", "reason": "\(detail)",
                    ])
                finish(link, state: .refused, detail: detail)
                return
            }
            do throws(AttachmentError) {
                _ = try AttachmentCipher.open(sealed, index: place.index, of: binding, key: pulling.key)
                received.append(
                    ReceivedChunk(
                        bulletin: pulling.attachment.bulletin, number: Int(place.number), index: place.index,
                        sealed: sealed))
            } catch {
                metrics.count("bordernet_attachment_chunks_refused_total", [("origin", link.origin.description)])
                refuse(.decryptionFailed, from: link.origin, detail: "attachment \(error)")
                link.attachmentPull.chunkRefused(place.index, now: now)
            }
        }
        guard !received.isEmpty else { return }
        do {
            try store.recordChunks(received, at: .now)
        } catch {
            logger.error("cannot store attachment chunks; they will be asked again", metadata: ["error": "\(error)"])
            for chunk in received { link.attachmentPull.requestNotSent(chunk.index) }
            return
        }
        for chunk in received { link.attachmentPull.chunkStored(chunk.index) }
        metrics.count(
            "bordernet_attachment_chunks_received_total", [("origin", link.origin.description)], by: received.count)
        metrics.count(
            "bordernet_attachment_bytes_received_total", [("origin", link.origin.description)],
            by: received.reduce(0) { $0 + $1.sealed.count })
        if link.attachmentPull.isComplete, link.verifyNotBefore.map({ ContinuousClock.now >= $0 }) ?? true {
            completeAttachment(on: link)
        }
        pullAttachments(now: .now)
    }

    /// Every chunk is here: the file goes to the verifier, off the loop (the link pulls nothing
    /// meanwhile); ``takeAttachmentVerdicts()`` ends the transfer.
    private func completeAttachment(on link: InboundLink) {
        guard let (attachment, key) = link.pulling, !link.verifying else { return }
        link.verifying = true
        attachmentVerifier.submit(AttachmentVerifier.Job(origin: link.origin, attachment: attachment, key: key))
    }

    /// Ends the transfers the verifier has judged: a file the body describes is held; one that
    /// is not is refused and its chunks dropped (never altered: a recipient keeps what the origin
    /// signed); a chunk found missing is pulled; a chunk that no longer opens makes the file
    /// pulled again.
    func takeAttachmentVerdicts() {
        for (job, verdict) in attachmentVerifier.takeVerdicts() {
            guard let link = inbound[job.origin], link.verifying, let (attachment, _) = link.pulling,
                attachment.bulletin == job.attachment.bulletin, attachment.number == job.attachment.number,
                let binding = attachment.binding
            else { continue }
            link.verifying = false
            switch verdict {
            case .held:
                metrics.count(
                    "bordernet_attachments_received_total",
                    [("origin", link.origin.description), ("type", attachment.mediaType)])
                logger.info(
                    "attachment received",
                    metadata: [
                        "id": "\(attachment.bulletin)", "number": "\(attachment.number)", "bytes": "\(attachment.size)",
                        "type": "\(attachment.mediaType)",
                    ])
                finish(link, state: .complete, detail: nil)
            case .refused(let reason):
                metrics.count("bordernet_attachments_refused_total", [("origin", link.origin.description)])
                logger.warning(
                    "attachment refused",
                    metadata: ["id": "\(attachment.bulletin)", "number": "\(attachment.number)", "reason": "\(reason)"])
                finish(link, state: .refused, detail: reason)
            case .chunkMissing:
                if let held = try? store.heldChunks(of: attachment.bulletin, number: attachment.number) {
                    link.attachmentPull.start(binding, held: held)
                } else {
                    link.verifyNotBefore = .now + Self.attachmentVerificationRetry
                }
            case .storeUnavailable(let error):
                logger.error(
                    "cannot read a received attachment; checking it again later",
                    metadata: ["id": "\(attachment.bulletin)", "error": "\(error)"])
                link.verifyNotBefore = .now + Self.attachmentVerificationRetry
            case .unreadable(let error):
                // A stored chunk that no longer opens (a damaged disk): pulled again from the start.
                logger.error(
                    "cannot read a received attachment; pulling it again",
                    metadata: ["id": "\(attachment.bulletin)", "error": "\(error)"])
                try? store.dropChunks(of: attachment.bulletin, number: attachment.number, at: .now)
                link.attachmentPull.restart()
            }
        }
    }

    private func finish(_ link: InboundLink, state: StoredAttachment.State, detail: String?) {
        guard let (attachment, _) = link.pulling else { return }
        let now = Timestamp.now
        do {
            try store.finishAttachment(
                attachment.bulletin, number: attachment.number, state: state, detail: detail, at: now)
        } catch {
            logger.error(
                "cannot record an attachment's end", metadata: ["id": "\(attachment.bulletin)", "error": "\(error)"])
            // Checked again later rather than at every turn of the loop.
            link.verifyNotBefore = .now + Self.attachmentVerificationRetry
            return
        }
        link.pulling = nil
        link.verifying = false
        link.verifyNotBefore = nil
        link.attachmentPull.finish()
        link.nextAttachmentLookup = .now
        if let digest = try? AttachmentDigest(bytes: attachment.sha256), let number = UInt16(exactly: attachment.number)
        {
            audit(
                .attachmentReceived(
                    link: link.rules.link, bulletin: attachment.bulletin.id, number: number, digest: digest,
                    size: attachment.size,
                    held: state == .complete))
        }
        var finished = attachment
        finished.updatedAt = now
        sendAttachmentReceipt(for: finished, held: state == .complete, on: link)
    }
}
