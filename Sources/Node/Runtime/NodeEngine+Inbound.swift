import Audit
import BulletinSchema
import Exchange
import Foundation
import LinkRules
import Logging
import Sodium
import Store
import Wire
import ZeroMQ

extension NodeEngine {
    /// Envelopes and heartbeats published by `origin` for this node. Anything else is refused
    /// and counted (docs/PROTOCOL.md §16); a frame over the envelope limit is refused unread.
    func handlePublications(from origin: StateCode) {
        guard let link = inbound[origin] else { return }
        var envelopes: [[UInt8]] = []
        for message in drain(link.subscriber) {
            link.lastContact = .now
            do throws(WireError) {
                switch try Publication(frames: message.frames, maximumEnvelopeBytes: configuration.maximumEnvelopeBytes) {
                case .envelope(let bytes):
                    envelopes.append(bytes)
                case .heartbeat(let latest, let acknowledged):
                    perform(link.rules.heartbeatArrived(latest: latest, acknowledged: acknowledged, now: .now), on: link)
                }
            } catch {
                refuse(error.reason, from: origin, detail: error.description)
            }
        }
        ingest(envelopes, via: origin, replayed: false)
    }

    /// Replay batches answered by `origin`'s service socket; the link rules say what an answer
    /// that moves nothing means and whether to ask for the next batch.
    func handleReplies(from origin: StateCode) {
        guard let link = inbound[origin] else { return }
        var attachmentAnswers: [[[UInt8]]] = []
        defer { if inbound[origin] === link, !attachmentAnswers.isEmpty { takeAttachmentAnswers(attachmentAnswers, on: link) } }
        for message in drain(link.requester) {
            link.lastContact = .now
            if AttachmentChunkAnswer.isAttachmentAnswer(message.frames) {
                attachmentAnswers.append(message.frames)
                continue
            }
            if AttachmentReceiptAnswer.isReceiptAnswer(message.frames) {
                takeAttachmentReceiptAnswer(message.frames, on: link)
                continue
            }
            if RosterAnswer.isRosterAnswer(message.frames) {
                takeRosterAnswer(message.frames, from: origin)
                // A roster put in force may have closed or replaced this link: what is left of
                // the batch belongs to sockets that are gone.
                guard inbound[origin] === link else { return }
                continue
            }
            let batch: ReplayBatch
            do throws(WireError) {
                batch = try ReplayBatch(frames: message.frames, maximumEnvelopes: LinkConfiguration.maximumReplayBatch)
            } catch {
                refuse(error.reason, from: origin, detail: error.description)
                continue
            }
            let latest = batch.latest
            if case .refuse(let reason, let detail) = link.rules.replayAnswerArrived(latest: latest, envelopeCount: batch.envelopes.count) {
                refuse(reason, from: origin, detail: detail)
                continue
            }
            let envelopes = batch.envelopes
            logger.debug(
                "replay batch", metadata: ["link": "\(origin)→\(identity.state)", "envelopes": "\(envelopes.count)", "latest": "\(latest)"])
            ingest(envelopes, via: origin, replayed: true)
            perform(link.rules.replayAnswerIngested(now: .now), on: link)
        }
    }

    /// Does what `link`'s rules asked for after a heartbeat, a replay answer, a connection event
    /// or a timer.
    func perform(_ actions: [InboundLinkAction], on link: InboundLink, endpoint: String? = nil) {
        for action in actions {
            switch action {
            case .requestReplay(let request): sendReplayRequest(request, on: link)
            case .sendReceipt(let receipt): send(receipt, on: link, receivedAt: .now)
            case .refuse(let reason, let detail): refuse(reason, from: link.origin, detail: detail)
            case .resetSockets(let reason): resetLink(link, reason: reason)
            case .warnHandshakeFailed:
                askForNewerRosterSoon()  // the origin's transport key may be in a newer roster
                logger.warning(
                    "handshake with an origin failed; check that its card in the roster is current",
                    metadata: ["origin": "\(link.origin)", "endpoint": "\(endpoint ?? "?")"])
            }
        }
    }

    /// Asks `link`'s origin for what follows the link's position, and audits the request for the
    /// range the rules bounded to one batch; tells the rules when it could not be sent.
    func sendReplayRequest(_ request: ReplayRequest, on link: InboundLink) {
        do {
            if try link.requester.send(ServiceRequest.replay(after: request.after).frames, dontWait: true) {
                audit(.replayRequested(link: link.rules.link, sequences: request.audited))
                logger.debug(
                    "replay requested",
                    metadata: ["link": "\(link.rules.link)", "after": "\(request.after)", "reason": "\(request.reason.rawValue)"])
                return
            }
        } catch {
            logger.error("cannot send a replay request", metadata: ["origin": "\(link.origin)", "error": "\(error)"])
        }
        link.rules.replayRequestNotSent()
    }

    /// Refuses bytes that failed before or at the signature check (1xx, 2xx): nothing in them is
    /// signed for us, so they go through ``refuse(_:from:detail:count:)`` (counted in full, logged
    /// in summaries) and only the first ``unreadableAuditedPerInterval`` per peer and interval
    /// are audited one by one, as `envelopeUnreadable` under the peer that sent them (the
    /// `messagesRefused` summary counts them all), in the batch's audit entries.
    func refuseUnverified(
        _ bytes: [UInt8], hash: EnvelopeHash?, reason: RejectionReason, detail: String, in batch: inout IngestBatch
    ) {
        refuse(reason, from: batch.source, detail: detail)
        // A signature no key of our roster verifies: the origin may have rotated its keys under
        // a roster we do not have yet.
        if reason == .badSignature { askForNewerRosterSoon() }
        let audited = unreadableAudited[batch.source, default: 0]
        guard audited < Self.unreadableAuditedPerInterval,
            let hash = hash ?? (try? EnvelopeHash(bytes: SHA256.hash(bytes)))
        else { return }
        unreadableAudited[batch.source] = audited + 1
        batch.audited.append(.envelopeUnreadable(peer: batch.source, byteCount: UInt64(bytes.count), hash: hash, reason: reason))
    }

    /// The hash of `origin`'s envelope `sequence` as the store holds it (`nil`: none). A read
    /// that fails is kept in `batch` (the first one): the batch then stops before its commit and
    /// its envelopes come again by replay — an unreadable row is never taken for "not stored".
    func storedHash(from origin: StateCode, sequence: UInt64, in batch: inout IngestBatch) -> EnvelopeHash? {
        do {
            return try store.incomingEnvelope(from: origin, sequence: sequence)?.hash
        } catch {
            if batch.readFailure == nil { batch.readFailure = error }
            return nil
        }
    }

    /// What the position-independent work made of one envelope: verified as if it came next on
    /// its link, decrypted, its bulletin checked.
    struct OpenedCandidate: Sendable {
        let verified: VerifiedEnvelope
        let bulletin: StoredBulletin?
        let status: ReceiptStatus
        let refusal: String?
    }

    /// Opens every envelope of a batch on all cores (in order for small batches), except those at
    /// or below their origin's position in `positions`. `nil` where the envelope was not opened
    /// or does not verify even as the next of its link: the ordered checks will say why.
    static func openAll(
        _ envelopes: [[UInt8]], after positions: [StateCode: UInt64], opener: EnvelopeOpener, keys: [X25519.PrivateKey],
        keyCache: OpeningKeyCache? = nil, catalog: SchemaCatalog, storedAt: Timestamp
    ) -> [OpenedCandidate?] {
        ParallelMap.map(envelopes) {
            open($0, after: positions, opener: opener, keys: keys, keyCache: keyCache, catalog: catalog, storedAt: storedAt)
        }
    }

    private static func open(
        _ bytes: [UInt8], after positions: [StateCode: UInt64], opener: EnvelopeOpener, keys: [X25519.PrivateKey],
        keyCache: OpeningKeyCache?, catalog: SchemaCatalog, storedAt: Timestamp
    ) -> OpenedCandidate? {
        guard let envelope = try? Envelope(bytes: bytes, limits: opener.limits), envelope.header.sequence > 0,
            envelope.header.sequence > positions[envelope.header.origin] ?? 0
        else { return nil }
        let assumed = ChainPosition(sequence: envelope.header.sequence - 1, hash: envelope.header.previousHash)
        guard let verified = try? opener.verify(envelope, after: assumed) else { return nil }
        let (bulletin, status, refusal) = decryptAndCheck(verified, keys: keys, keyCache: keyCache, catalog: catalog, storedAt: storedAt)
        return OpenedCandidate(verified: verified, bulletin: bulletin, status: status, refusal: refusal)
    }

    /// Decrypts a verified envelope and checks its bulletin: the bulletin to store, or the
    /// rejection (with a reason for the log) when the content is refused. `keys` are this
    /// node's encryption keys, current first: after a rotation an origin may still seal to the
    /// previous key (it has not installed the new roster yet), or already to the next one.
    static func decryptAndCheck(
        _ verified: VerifiedEnvelope, keys: [X25519.PrivateKey], keyCache: OpeningKeyCache? = nil, catalog: SchemaCatalog,
        storedAt: Timestamp
    ) -> (StoredBulletin?, ReceiptStatus, String?) {
        do throws(EnvelopeError) {
            let opened = try decrypt(verified, keys: keys, keyCache: keyCache)
            do {
                return (try checkedBulletin(opened.body, of: verified.header, catalog: catalog, storedAt: storedAt), .accepted, nil)
            } catch {
                return (nil, .rejected(.invalidBulletin), "\(error)")
            }
        } catch {
            return (nil, .rejected(error.reason), nil)
        }
    }

    /// The first of `keys` that opens `verified`; the failure of the first key when none does.
    private static func decrypt(
        _ verified: VerifiedEnvelope, keys: [X25519.PrivateKey], keyCache: OpeningKeyCache?
    ) throws(EnvelopeError) -> OpenedEnvelope {
        // Signed with a revoked key: refused without trying any key (and counted once).
        if verified.revokedSince != nil, let key = keys.first { return try verified.decrypt(with: key, cache: keyCache) }
        var firstFailure: EnvelopeError?
        for key in keys {
            do throws(EnvelopeError) {
                return try verified.decrypt(with: key, cache: keyCache)
            } catch {
                if firstFailure == nil { firstFailure = error }
            }
        }
        throw firstFailure ?? EnvelopeError.decryptionFailed(link: verified.header.link, sequence: verified.header.sequence)
    }

    /// The bulletin of an opened envelope, validated against the schemas and checked against
    /// the header that carried it (same id, TLP and schema major version).
    private static func checkedBulletin(
        _ body: [UInt8], of header: EnvelopeHeader, catalog: SchemaCatalog, storedAt: Timestamp
    ) throws -> StoredBulletin {
        let validated = try catalog.validate(body, stage: .issued)
        let reference = header.metadata.bulletinID.reference(origin: header.origin)
        guard validated.id == reference else {
            throw ContentMismatch(field: "id", header: reference, body: validated.id ?? "none")
        }
        guard validated.tlp == header.metadata.tlp.label else {
            throw ContentMismatch(field: "tlp", header: header.metadata.tlp.label, body: validated.tlp)
        }
        guard validated.schemaVersion.major == Int(header.metadata.schemaVersion.major) else {
            throw ContentMismatch(
                field: "schemaVersion", header: "\(header.metadata.schemaVersion)", body: "\(validated.schemaVersion)")
        }
        return StoredBulletin(
            reference: BulletinReference(origin: header.origin, id: header.metadata.bulletinID), incidentType: validated.incidentType,
            tlp: header.metadata.tlp, createdAt: header.metadata.createdAt, storedAt: storedAt, body: body,
            indexFields: BulletinIndexFields(validated: validated))
    }

    /// Signs `receipt` for `link` and sends it to the origin's service; audited once queued.
    func send(_ receipt: LinkReceipt, on link: InboundLink, receivedAt: Timestamp) {
        let receipt = Receipt(
            link: link.rules.link, sequence: receipt.sequence, envelopeHash: receipt.envelopeHash, receivedAt: receivedAt,
            status: receipt.status)
        do {
            let signed = try receipt.signed(by: identity)
            if try !link.requester.send(ServiceRequest.receipt(signed.serializedBytes).frames, dontWait: true) {
                logger.warning("receipt queue full; the origin's next heartbeat will ask again", metadata: ["origin": "\(link.origin)"])
            } else {
                audit(.receiptSent(link: receipt.link, sequence: receipt.sequence, hash: receipt.envelopeHash, status: receipt.status))
            }
        } catch {
            logger.error("cannot send a receipt", metadata: ["origin": "\(link.origin)", "error": "\(error)"])
        }
    }

    func publishOnFeed(_ bulletin: StoredBulletin) {
        do {
            _ = try feed.send(
                FeedMessage(incidentType: bulletin.incidentType, origin: bulletin.origin.description, body: bulletin.body).frames, dontWait: true)
        } catch {
            logger.error("cannot publish on the local feed", metadata: ["error": "\(error)"])
        }
    }
}

/// A genuine envelope whose bulletin does not match its header.
struct ContentMismatch: Error, CustomStringConvertible {
    let field: String
    let header: String
    let body: String
    var description: String { "the bulletin's \(field) (\(body)) does not match its envelope header (\(header))" }
}

extension ReceiptStatus {
    /// 0 for accepted, otherwise the rejection reason's code (as stored and audited).
    var code: Int {
        switch self {
        case .accepted: 0
        case .rejected(let reason): Int(reason.rawValue)
        }
    }

    /// The rejection reason, if any.
    var reason: RejectionReason? {
        if case .rejected(let reason) = self { return reason }
        return nil
    }
}
