import Audit
import Exchange
import Foundation
import LinkRules
import Logging
import Store

extension NodeEngine {
    /// Checks, opens, validates and stores a batch of envelopes that arrived through `source`'s
    /// connection (`replayed`: in a replay batch rather than live), then publishes the accepted
    /// bulletins on the local feed and sends the receipts the links' rules call for.
    ///
    /// Where an envelope goes in its chain is the link rules' decision
    /// (``InboundLinkStateMachine``); this moves bytes between them, the opener, the store, the
    /// audit log and the sockets. The batch is committed in one durable transaction before any
    /// receipt leaves: a receipt never names an envelope that a crash could lose. If the commit
    /// fails, the rules go back to what is stored and the envelopes will come again by replay.
    func ingest(_ envelopes: [[UInt8]], via source: StateCode, replayed: Bool) {
        guard !envelopes.isEmpty else { return }
        var batch = IngestBatch(source: source, replayed: replayed, receivedAt: .now)
        // The costly work (signature, decryption, schema) does not depend on the link's position:
        // it runs on every core first; the link rules then only compare positions. Envelopes at
        // or below their link's position (a replay overlapping what came live) are left to the
        // rules, which recognise a duplicate by its hash without opening it.
        let candidates = Self.openAll(
            envelopes, after: inbound.mapValues(\.position.sequence), opener: opener, keys: ownEncryptionKeys,
            keyCache: openingKeys, catalog: catalog, storedAt: batch.receivedAt)
        for (index, bytes) in envelopes.enumerated() {
            if batch.readFailure != nil { break }
            // Only the origin's own connection carries its envelopes: one a member sends under
            // another state's name (with that state's key, stolen) is refused, never placed.
            if let candidate = candidates[index], candidate.verified.header.origin == source,
                let link = inbound[candidate.verified.header.origin]
            {
                place(candidate.verified.envelope, verified: candidate.verified, opened: candidate, on: link, in: &batch)
            } else {
                admit(bytes, in: &batch)
            }
        }
        do throws(StoreError) {
            // A duplicate that could not be told from a conflict stops the batch before the commit.
            if let readFailure = batch.readFailure { throw readFailure }
            try store.recordDeliveries(batch.deliveries)
            if !batch.accepted.isEmpty { searchIndexer?.wake() }
            // Attachments listed: their origin's link looks for them at its next turn.
            for delivery in batch.deliveries where delivery.attachments.contains(where: { $0.state == .transfer }) {
                inbound[delivery.envelope.origin]?.nextAttachmentLookup = .now
            }
        } catch {
            logger.critical("cannot store received envelopes; they will be replayed", metadata: ["error": "\(error)"])
            for link in inbound.values { link.rules.storeCommitFailed(now: .now) }
            // Refusals of bytes that were never an envelope of ours were counted already: their
            // audit samples do not depend on the commit.
            for event in batch.audited { if case .envelopeUnreadable = event { audit(event) } }
            return
        }
        let receipts = inbound.values.flatMap { link in link.rules.storeCommitted().map { (link, $0) } }
        record(batch.rejections)
        batch.audited.forEach(audit)
        auditRefusedOnArrival(batch.deliveries)
        if !batch.flagged.isEmpty { announceFlagsOnArrival(batch.flagged) }
        if replayed { metrics.count("bordernet_envelopes_replayed_total", [("origin", source.description)], by: batch.deliveries.count) }
        for bulletin in batch.accepted {
            metrics.count("bordernet_bulletins_received_total", [("origin", bulletin.origin.description), ("type", bulletin.incidentType)])
            logger.info(
                "bulletin received",
                metadata: [
                    "id": "\(bulletin.reference)", "origin": "\(bulletin.origin)", "type": "\(bulletin.incidentType)",
                    "tlp": "\(bulletin.tlp.label)",
                ])
            publishOnFeed(bulletin)
        }
        for (link, receipt) in receipts { send(receipt, on: link, receivedAt: batch.receivedAt) }
    }

    /// An envelope that was not pre-opened as the next of its link: parsed, refused unless it is
    /// on a link to us, acknowledged again if the link holds the same bytes, else verified against
    /// the link's position and placed by the rules if its signature holds.
    private func admit(_ bytes: [UInt8], in batch: inout IngestBatch) {
        let envelope: Envelope
        do {
            envelope = try Envelope(bytes: bytes, limits: opener.limits)
        } catch {
            refuseUnverified(bytes, hash: nil, reason: error.reason, detail: "\(error)", in: &batch)
            return
        }
        let header = envelope.header
        guard header.origin == batch.source || inbound[header.origin] == nil else {
            refuseUnverified(
                bytes, hash: envelope.hash, reason: .notLinked,
                detail: "an envelope of \(header.origin) on \(batch.source)'s connection", in: &batch)
            return
        }
        guard let link = inbound[header.origin] else {
            // Not a link to us: let the opener name the reason (wrong recipient, unknown origin, not linked).
            let reason: RejectionReason
            do {
                _ = try opener.verify(bytes, after: .start)
                reason = .notLinked
            } catch {
                reason = error.reason
            }
            refuseUnverified(bytes, hash: envelope.hash, reason: reason, detail: "claims \(header.link)", in: &batch)
            return
        }
        let read = link.rules.envelopeRead(EnvelopeFacts(envelope), storedHash: { storedHash(from: header.origin, sequence: $0, in: &batch) })
        // A store read that failed tells nothing about the envelope: the batch stops (see ingest).
        guard batch.readFailure == nil, read == .checkSignature else { return }
        let verified: VerifiedEnvelope?
        do throws(EnvelopeError) {
            verified = try opener.verify(bytes, after: link.position)
        } catch {
            // Refused at steps 7–8 (duplicate, gap, chain): the signature holds, the rules place it.
            guard [.duplicate, .gap, .chainBroken].contains(error.reason) else {
                refuseUnverified(bytes, hash: envelope.hash, reason: error.reason, detail: "\(error)", in: &batch)
                return
            }
            verified = nil
        }
        place(envelope, verified: verified, opened: nil, on: link, in: &batch)
    }

    /// Does what `link`'s rules say of an envelope whose signature holds. `verified` is set when
    /// the opener verified it as the next of the link, `opened` when its content was already
    /// opened; the content is opened here only for the envelope the rules call next.
    private func place(
        _ envelope: Envelope, verified: VerifiedEnvelope?, opened: OpenedCandidate?, on link: InboundLink, in batch: inout IngestBatch
    ) {
        let header = envelope.header
        let facts = EnvelopeFacts(envelope)
        let action = link.rules.envelopeVerified(facts, storedHash: { storedHash(from: link.origin, sequence: $0, in: &batch) }, now: .now)
        // A conflict or a duplicate judged on a store read that failed is no judgement at all.
        guard batch.readFailure == nil else { return }
        switch action {
        case .next:
            guard let verified else {
                logger.error(
                    "envelope not taken: the link rules and the opener disagree",
                    metadata: ["link": "\(header.link)", "seq": "\(header.sequence)", "error": "the opener did not verify it as the next"])
                return
            }
            let (bulletin, status, refusal) =
                opened.map { ($0.bulletin, $0.status, $0.refusal) }
                ?? Self.decryptAndCheck(
                    verified, keys: ownEncryptionKeys, keyCache: openingKeys, catalog: catalog, storedAt: batch.receivedAt)
            do throws(InboundLinkError) {
                try link.rules.take(facts, status: status, replayed: batch.replayed)
            } catch {
                logger.error(
                    "envelope not taken: the link rules and the opener disagree",
                    metadata: ["link": "\(header.link)", "seq": "\(header.sequence)", "error": "\(error)"])
                return
            }
            if let refusal {
                logger.warning(
                    "refused the bulletin of a genuine envelope",
                    metadata: ["link": "\(header.link)", "seq": "\(header.sequence)", "error": "\(refusal)"])
            }
            let reference = BulletinReference(origin: header.origin, id: header.metadata.bulletinID)
            var flag: BulletinFlag?
            if let bulletin {
                flag = flagOnArrival(verified, bulletin: reference, receivedAt: batch.receivedAt)
                if let flag { batch.flagged.append((flag, bulletin.incidentType)) }
            }
            batch.deliveries.append(
                .init(
                    envelope: IncomingEnvelope(
                        origin: header.origin, sequence: header.sequence, bulletin: reference, hash: envelope.hash,
                        receivedAt: batch.receivedAt, status: status, signer: SigningKeyFingerprint.of(verified.signingKey)),
                    bulletin: bulletin, flag: flag,
                    attachments: bulletin.map { expectedAttachments(of: $0, receivedAt: batch.receivedAt) } ?? []))
            batch.audited.append(.envelopeReceived(link: header.link, sequence: header.sequence, hash: envelope.hash, status: status))
            if let bulletin {
                batch.accepted.append(bulletin)
            } else {
                batch.rejections.append(
                    rejection(from: batch.source, sequence: header.sequence, reason: status.reason ?? .invalidBulletin, detail: "content"))
            }
        case .acknowledgeAgain:
            break
        case .rejectConflict:
            logger.error(
                "conflicting envelope: another envelope already holds this sequence",
                metadata: ["link": "\(header.link)", "seq": "\(header.sequence)"])
            batch.rejections.append(rejection(from: batch.source, sequence: header.sequence, reason: .conflict, detail: "\(header.link)"))
            batch.audited.append(
                .envelopeReceived(link: header.link, sequence: header.sequence, hash: envelope.hash, status: .rejected(.conflict)))
        case .rejectChainBroken(let expected, let got):
            let error = EnvelopeError.chainBroken(link: header.link, expected: expected, got: got)
            batch.rejections.append(rejection(from: batch.source, sequence: header.sequence, reason: .chainBroken, detail: "\(error)"))
            batch.audited.append(
                .envelopeReceived(link: header.link, sequence: header.sequence, hash: envelope.hash, status: .rejected(.chainBroken)))
        case .gap(let missing, let replay):
            logger.info("gap on link", metadata: ["link": "\(header.link)", "missing": "\(missing.lowerBound)…\(missing.upperBound)"])
            if let replay { sendReplayRequest(replay, on: link) }
        }
    }
}
