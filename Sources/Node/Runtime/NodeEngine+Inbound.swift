import Audit
import BulletinSchema
import Exchange
import Foundation
import Logging
import Sodium
import Store
import ZeroMQ

extension NodeEngine {
    /// Envelopes and heartbeats published by `origin` for this node. Anything else is refused
    /// and counted (docs/PROTOCOL.md §16); a frame over the envelope limit is refused unread.
    func handlePublications(from origin: StateCode) {
        guard let link = inbound[origin] else { return }
        var envelopes: [[UInt8]] = []
        for message in drain(link.subscriber) {
            link.lastContact = .now
            guard message.frames.count == 3 else {
                refuse(.malformedMessage, from: origin, detail: "publication of \(message.frames.count) frames, not 3")
                continue
            }
            if message.frames[1] == WireFrames.envelopeKind {
                if message.frames[2].count > configuration.maximumEnvelopeBytes {
                    refuse(.oversized, from: origin, detail: "a frame of \(message.frames[2].count) bytes")
                } else {
                    envelopes.append(message.frames[2])
                }
            } else if message.frames[1] == WireFrames.heartbeatKind {
                if let (latest, acknowledged) = WireFrames.decodeHeartbeat(message.frames[2]) {
                    link.noteHeartbeatArrival(at: .now)
                    noteHeartbeat(from: link, latest: latest, acknowledged: acknowledged)
                } else {
                    refuse(.malformedMessage, from: origin, detail: "heartbeat of \(message.frames[2].count) bytes, not 16")
                }
            } else {
                refuse(.unknownMessageKind, from: origin, detail: "publication kind of \(message.frames[1].count) bytes")
            }
        }
        ingest(envelopes, via: origin, replayed: false)
    }

    /// A heartbeat says how far the origin's link to us goes and how far it holds our receipts:
    /// still behind what the previous heartbeat announced means lost envelopes (ask for a
    /// replay), behind on the second means a lost receipt (send it again).
    ///
    /// A heartbeat is unsigned: it is a hint, never evidence (docs/PROTOCOL.md §16.4). It can
    /// trigger a replay request (for one bounded batch after what the link holds, whatever the
    /// heartbeat claims; at most one per ``NodeEngine/replayTimeout``) or a receipt sent again
    /// (at most one per heartbeat interval), so a flood of heartbeats costs no more than a
    /// steady one; a claim that contradicts the link (it acknowledges more than we received) is
    /// refused and counted.
    ///
    /// A steady stream is always a little behind the latest heartbeat; asking for a replay then
    /// would fetch, and verify twice, what is already on its way. So a position is compared with
    /// the previous heartbeat, one interval later: a lost last envelope is asked for within two.
    private func noteHeartbeat(from link: InboundLink, latest: UInt64, acknowledged: UInt64) {
        guard acknowledged <= link.position.sequence else {
            refuse(
                .implausibleClaim, from: link.origin,
                detail: "heartbeat says \(acknowledged) acknowledged; \(link.position.sequence) received")
            return
        }
        link.announced = max(link.announced ?? 0, latest)
        let stillBehind = (link.previousHeartbeat ?? 0) > link.position.sequence
        link.previousHeartbeat = latest
        let now = ContinuousClock.now
        let trusted = link.heartbeatsIgnoredUntil.map { now >= $0 } ?? true
        if stillBehind {
            guard trusted, link.heartbeatReplayAt.map({ now - $0 >= Self.replayTimeout }) ?? true else { return }
            if link.replayRequestedAt == nil { link.heartbeatReplayAt = now }
            requestReplay(link, reason: "heartbeat")
        } else if acknowledged < link.position.sequence {
            let spacing = Duration.milliseconds(configuration.heartbeatIntervalMilliseconds)
            guard link.receiptResentAt.map({ now - $0 >= spacing }) ?? true else { return }
            link.receiptResentAt = now
            sendCumulativeReceipt(for: link)
        }
    }

    /// Replay batches answered by `origin`'s service socket.
    ///
    /// A batch that does not move the link while the heartbeats announced more means the
    /// heartbeats were wrong (or the answers are junk): the claim is refused and counted, and
    /// heartbeats from that origin trigger no replay for a while.
    /// The next batch is asked only after a batch that brought envelopes (never in a loop on an
    /// unsigned "latest").
    func handleReplies(from origin: StateCode) {
        guard let link = inbound[origin] else { return }
        for message in drain(link.requester) {
            link.lastContact = .now
            guard message.frames.count >= 2, message.frames[0] == WireFrames.envelopesVerb,
                let latest = WireFrames.decodeUInt64(message.frames[1])
            else {
                refuse(.malformedMessage, from: origin, detail: "service answer of \(message.frames.count) frames")
                continue
            }
            guard message.frames.count - 2 <= Self.maximumReplayBatch else {
                refuse(.malformedMessage, from: origin, detail: "replay batch of \(message.frames.count - 2) envelopes")
                continue
            }
            link.replayRequestedAt = nil
            let envelopes = Array(message.frames.dropFirst(2))
            logger.debug(
                "replay batch", metadata: ["link": "\(origin)→\(identity.state)", "envelopes": "\(envelopes.count)", "latest": "\(latest)"])
            let before = link.position.sequence
            ingest(envelopes, via: origin, replayed: true)
            let progressed = link.position.sequence > before
            if !progressed, (link.announced ?? 0) > link.position.sequence {
                refuse(
                    .implausibleClaim, from: origin,
                    detail: "heartbeats announced \(link.announced ?? 0); the replay answer brought nothing after \(link.position.sequence)")
                link.announced = link.position.sequence
                link.previousHeartbeat = nil
                link.heartbeatsIgnoredUntil = .now + Self.heartbeatDistrust
            } else {
                link.announced = max(link.announced ?? 0, min(latest, link.position.sequence.addingSaturating(UInt64(configuration.replayBatchSize))))
            }
            if progressed, link.position.sequence < latest { requestReplay(link, reason: "continue") }
        }
    }

    /// Asks `link`'s origin for the envelopes after our position, unless a request is in flight.
    /// The request and its audit entry cover at most one batch after what the link holds.
    func requestReplay(_ link: InboundLink, reason: String) {
        guard link.replayRequestedAt == nil else { return }
        do {
            if try link.requester.send([WireFrames.replayVerb, WireFrames.encode(link.position.sequence)], dontWait: true) {
                link.replayRequestedAt = .now
                let first = link.position.sequence.addingSaturating(1)  // a position of 2^64−1 cannot be reached
                let batchEnd = link.position.sequence.addingSaturating(UInt64(configuration.replayBatchSize))
                let last = min(max(first, link.announced ?? first), batchEnd)
                audit(.replayRequested(link: Link(origin: link.origin, recipient: identity.state), sequences: first...max(first, last)))
                logger.debug(
                    "replay requested",
                    metadata: ["link": "\(link.origin)→\(identity.state)", "after": "\(link.position.sequence)", "reason": "\(reason)"])
            }
        } catch {
            logger.error("cannot send a replay request", metadata: ["origin": "\(link.origin)", "error": "\(error)"])
        }
    }

    /// Checks, opens, validates and stores a batch of envelopes that arrived through `source`'s
    /// connection (`replayed`: in a replay batch rather than live), then publishes the accepted
    /// bulletins on the local feed and acknowledges them.
    ///
    /// The batch is committed in one durable transaction before any receipt leaves: a receipt
    /// never names an envelope that a crash could lose. If the commit fails, the in-memory link
    /// positions go back to what is stored and the envelopes will come again by replay.
    func ingest(_ envelopes: [[UInt8]], via source: StateCode, replayed: Bool) {
        guard !envelopes.isEmpty else { return }
        let positionsBefore = inbound.mapValues(\.position)
        let statusesBefore = inbound.mapValues(\.positionStatus)
        var deliveries: [BulletinStore.Delivery] = []
        var accepted: [StoredBulletin] = []
        var lastAccepted: [StateCode: Envelope] = [:]
        var refusedContent: [Receipt] = []
        var acknowledgeAgain: Set<StateCode> = []
        var rejections: [Rejection] = []
        var audited: [AuditEvent] = []
        /// A store read that failed while telling a duplicate from a conflict: the batch stops there.
        var readFailure: StoreError?
        let now = Timestamp.now
        // The costly work (signature, decryption, schema) does not depend on the link's position:
        // it runs on every core first; the checks in order below then only compare positions.
        // Envelopes at or below their link's position (a replay overlapping what came live) are
        // left to those checks, which recognise a duplicate by its hash without opening it.
        let candidates = Self.openAll(
            envelopes, after: inbound.mapValues(\.position.sequence), opener: opener, key: identity.encryptionKey, catalog: catalog,
            storedAt: now)

        /// Takes a verified envelope as the next of its link, with its bulletin or the reason
        /// its content was refused (a genuine envelope keeps its place in the chain either way).
        func take(_ verified: VerifiedEnvelope, _ bulletin: StoredBulletin?, _ status: ReceiptStatus, _ refusal: String?, on link: InboundLink) {
            let header = verified.header
            if let refusal {
                logger.warning(
                    "refused the bulletin of a genuine envelope",
                    metadata: ["link": "\(header.link)", "seq": "\(header.sequence)", "error": "\(refusal)"])
            }
            deliveries.append(
                .init(
                    envelope: IncomingEnvelope(
                        origin: header.origin, sequence: header.sequence,
                        bulletin: BulletinReference(origin: header.origin, id: header.metadata.bulletinID),
                        hash: verified.envelope.hash, receivedAt: now, status: status),
                    bulletin: bulletin))
            audited.append(.envelopeReceived(link: header.link, sequence: header.sequence, hash: verified.envelope.hash, status: status))
            link.position = verified.position
            link.positionStatus = status
            link.announced = max(link.announced ?? 0, header.sequence)
            if replayed { link.acceptedByReplay += 1 } else { link.acceptedLive += 1 }
            if let bulletin {
                accepted.append(bulletin)
                lastAccepted[header.origin] = verified.envelope
            } else {
                refusedContent.append(Receipt(for: verified.envelope, receivedAt: now, status: status))
                rejections.append(rejection(from: source, sequence: header.sequence, reason: status.reason ?? .invalidBulletin, detail: "content"))
            }
        }

        for (index, bytes) in envelopes.enumerated() {
            if let candidate = candidates[index], let link = inbound[candidate.verified.header.origin],
                candidate.verified.header.sequence == link.position.sequence.addingSaturating(1),
                candidate.verified.header.previousHash == link.position.hash
            {
                take(candidate.verified, candidate.bulletin, candidate.status, candidate.refusal, on: link)
                continue
            }
            let envelope: Envelope
            do {
                envelope = try Envelope(bytes: bytes, limits: opener.limits)
            } catch {
                if let event = refuseUnverified(bytes, hash: nil, from: source, reason: error.reason, detail: "\(error)") {
                    audited.append(event)
                }
                continue
            }
            let header = envelope.header
            guard let link = inbound[header.origin] else {
                // Not a link to us: let the opener name the reason (wrong recipient, unknown origin, not linked).
                let reason: RejectionReason
                do {
                    _ = try opener.verify(bytes, after: .start)
                    reason = .notLinked
                } catch {
                    reason = error.reason
                }
                if let event = refuseUnverified(bytes, hash: envelope.hash, from: source, reason: reason, detail: "claims \(header.link)") {
                    audited.append(event)
                }
                continue
            }
            // The same bytes as an envelope already stored (same SHA-256): verified when it was
            // accepted; acknowledged again without a second signature check.
            var knownAtPosition = false
            if header.sequence <= link.position.sequence {
                do {
                    knownAtPosition = try isKnown(origin: header.origin, sequence: header.sequence, hash: envelope.hash, pending: deliveries)
                } catch {
                    readFailure = error
                    break
                }
            }
            if knownAtPosition {
                acknowledgeAgain.insert(header.origin)
                continue
            }
            let verified: VerifiedEnvelope
            do throws(EnvelopeError) {
                verified = try opener.verify(bytes, after: link.position)
            } catch .duplicate(_, let sequence, let hash) {
                let known: Bool
                do {
                    known = try isKnown(origin: header.origin, sequence: sequence, hash: hash, pending: deliveries)
                } catch {
                    readFailure = error
                    break
                }
                if known {
                    acknowledgeAgain.insert(header.origin)
                } else {
                    logger.error(
                        "conflicting envelope: another envelope already holds this sequence",
                        metadata: ["link": "\(header.link)", "seq": "\(sequence)"])
                    rejections.append(rejection(from: source, sequence: sequence, reason: .conflict, detail: "\(header.link)"))
                    audited.append(.envelopeReceived(link: header.link, sequence: sequence, hash: hash, status: .rejected(.conflict)))
                    // Signed by its origin (the signature is checked before the sequence): receipted.
                    refusedContent.append(Receipt(for: envelope, receivedAt: now, status: .rejected(.conflict)))
                }
                continue
            } catch .gap(let link, let missing) {
                logger.info("gap on link", metadata: ["link": "\(link)", "missing": "\(missing.lowerBound)…\(missing.upperBound)"])
                if let inboundLink = inbound[link.origin] { requestReplay(inboundLink, reason: "gap") }
                continue
            } catch {
                if error.reason == .chainBroken {
                    // Found after the signature holds: the origin signed it, so its link and
                    // sequence are the origin's own statement, and it gets a receipt saying why
                    // (docs/PROTOCOL.md §11.1).
                    rejections.append(rejection(from: source, sequence: header.sequence, reason: .chainBroken, detail: "\(error)"))
                    audited.append(.envelopeReceived(link: header.link, sequence: header.sequence, hash: envelope.hash, status: .rejected(.chainBroken)))
                    refusedContent.append(Receipt(for: envelope, receivedAt: now, status: .rejected(.chainBroken)))
                } else if let event = refuseUnverified(bytes, hash: envelope.hash, from: source, reason: error.reason, detail: "\(error)") {
                    audited.append(event)
                }
                continue
            }

            let (bulletin, status, refusal) = Self.decryptAndCheck(
                verified, key: identity.encryptionKey, catalog: catalog, storedAt: now)
            take(verified, bulletin, status, refusal, on: link)
        }

        do throws(StoreError) {
            // A duplicate that could not be told from a conflict stops the batch before the commit.
            if let readFailure { throw readFailure }
            try store.recordDeliveries(deliveries)
        } catch {
            logger.critical("cannot store received envelopes; they will be replayed", metadata: ["error": "\(error)"])
            for (origin, position) in positionsBefore { inbound[origin]?.position = position }
            for (origin, status) in statusesBefore { inbound[origin]?.positionStatus = status }
            return
        }
        record(rejections)
        audited.forEach(audit)
        if replayed { metrics.count("bordernet_envelopes_replayed_total", [("origin", source.description)], by: deliveries.count) }
        for bulletin in accepted {
            metrics.count("bordernet_bulletins_received_total", [("origin", bulletin.origin.description), ("type", bulletin.incidentType)])
            logger.info(
                "bulletin received",
                metadata: [
                    "id": "\(bulletin.reference)", "origin": "\(bulletin.origin)", "type": "\(bulletin.incidentType)", "tlp": "\(bulletin.tlp.label)",
                ])
            publishOnFeed(bulletin)
        }
        for (origin, envelope) in lastAccepted {
            send(Receipt(for: envelope, receivedAt: now, status: .accepted), to: origin)
        }
        for receipt in refusedContent { send(receipt, to: receipt.link.origin) }
        for origin in acknowledgeAgain where lastAccepted[origin] == nil {
            if let link = inbound[origin] { sendCumulativeReceipt(for: link) }
        }
    }

    /// Refuses bytes that failed before or at the signature check (1xx, 2xx): nothing in them is
    /// signed for us, so they go through ``refuse(_:from:detail:count:)`` (counted in full, logged
    /// in summaries) and only the first ``unreadableAuditedPerInterval`` per peer and interval
    /// are audited one by one, as `envelopeUnreadable` under the peer that sent them (the
    /// `messagesRefused` summary counts them all). Returns that audit event, if any.
    func refuseUnverified(
        _ bytes: [UInt8], hash: EnvelopeHash?, from source: StateCode, reason: RejectionReason, detail: String
    ) -> AuditEvent? {
        refuse(reason, from: source, detail: detail)
        let audited = unreadableAudited[source, default: 0]
        guard audited < Self.unreadableAuditedPerInterval,
            let hash = hash ?? (try? EnvelopeHash(bytes: SHA256.hash(bytes)))
        else { return nil }
        unreadableAudited[source] = audited + 1
        return .envelopeUnreadable(peer: source, byteCount: UInt64(bytes.count), hash: hash, reason: reason)
    }

    /// Whether `origin`'s envelope `sequence` with `hash` is already stored (or about to be, in
    /// this batch): a harmless duplicate rather than a conflict.
    private func isKnown(
        origin: StateCode, sequence: UInt64, hash: EnvelopeHash, pending: [BulletinStore.Delivery]
    ) throws(StoreError) -> Bool {
        if let pendingDelivery = pending.first(where: { $0.envelope.origin == origin && $0.envelope.sequence == sequence }) {
            return pendingDelivery.envelope.hash == hash
        }
        return try store.incomingEnvelope(from: origin, sequence: sequence)?.hash == hash
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
        _ envelopes: [[UInt8]], after positions: [StateCode: UInt64], opener: EnvelopeOpener, key: X25519.PrivateKey,
        catalog: SchemaCatalog, storedAt: Timestamp
    ) -> [OpenedCandidate?] {
        ParallelMap.map(envelopes) { open($0, after: positions, opener: opener, key: key, catalog: catalog, storedAt: storedAt) }
    }

    private static func open(
        _ bytes: [UInt8], after positions: [StateCode: UInt64], opener: EnvelopeOpener, key: X25519.PrivateKey,
        catalog: SchemaCatalog, storedAt: Timestamp
    ) -> OpenedCandidate? {
        guard let envelope = try? Envelope(bytes: bytes, limits: opener.limits), envelope.header.sequence > 0,
            envelope.header.sequence > positions[envelope.header.origin] ?? 0
        else { return nil }
        let assumed = ChainPosition(sequence: envelope.header.sequence - 1, hash: envelope.header.previousHash)
        guard let verified = try? opener.verify(bytes, after: assumed) else { return nil }
        let (bulletin, status, refusal) = decryptAndCheck(verified, key: key, catalog: catalog, storedAt: storedAt)
        return OpenedCandidate(verified: verified, bulletin: bulletin, status: status, refusal: refusal)
    }

    /// Decrypts a verified envelope and checks its bulletin: the bulletin to store, or the
    /// rejection (with a reason for the log) when the content is refused.
    static func decryptAndCheck(
        _ verified: VerifiedEnvelope, key: X25519.PrivateKey, catalog: SchemaCatalog, storedAt: Timestamp
    ) -> (StoredBulletin?, ReceiptStatus, String?) {
        do throws(EnvelopeError) {
            let opened = try verified.decrypt(with: key)
            do {
                return (try checkedBulletin(opened.body, of: verified.header, catalog: catalog, storedAt: storedAt), .accepted, nil)
            } catch {
                return (nil, .rejected(.invalidBulletin), "\(error)")
            }
        } catch {
            return (nil, .rejected(error.reason), nil)
        }
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
            tlp: header.metadata.tlp, createdAt: header.metadata.createdAt, storedAt: storedAt, body: body)
    }

    /// Acknowledges everything stored from `link`'s origin so far (the chain makes the receipt
    /// for the last envelope cover all before it), with the status this node gave the envelope at
    /// its position: a refused (400/5xx) last envelope is answered with its rejection again.
    func sendCumulativeReceipt(for link: InboundLink) {
        guard link.position.sequence > 0 else { return }
        let receipt = Receipt(
            link: Link(origin: link.origin, recipient: identity.state), sequence: link.position.sequence,
            envelopeHash: link.position.hash, receivedAt: .now, status: link.positionStatus)
        send(receipt, to: link.origin)
    }

    private func send(_ receipt: Receipt, to origin: StateCode) {
        guard let link = inbound[origin] else { return }
        do {
            let signed = try receipt.signed(by: identity)
            if try !link.requester.send([WireFrames.receiptVerb, signed.serializedBytes], dontWait: true) {
                logger.warning("receipt queue full; the origin's next heartbeat will ask again", metadata: ["origin": "\(origin)"])
            } else {
                audit(.receiptSent(link: receipt.link, sequence: receipt.sequence, hash: receipt.envelopeHash, status: receipt.status))
            }
        } catch {
            logger.error("cannot send a receipt", metadata: ["origin": "\(origin)", "error": "\(error)"])
        }
    }

    private func publishOnFeed(_ bulletin: StoredBulletin) {
        do {
            _ = try feed.send([Array(bulletin.incidentType.utf8), Array(bulletin.origin.description.utf8), bulletin.body], dontWait: true)
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
