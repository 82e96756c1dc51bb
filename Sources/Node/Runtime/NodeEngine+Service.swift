import Exchange
import Foundation
import LinkRules
import Logging
import Store
import Wire
import ZeroMQ

extension NodeEngine {
    /// Replay requests and receipts from peers. The peer is who the CURVE handshake says it is
    /// (the ZAP `User-Id`), never what a message claims.
    func handleServiceRequests() {
        var receipts: [(receipt: Receipt, stored: StoredReceipt)] = []
        defer { recordChecked(receipts) }
        for message in drain(service) {
            guard let name = message.userID, let peer = try? StateCode(name) else {
                // ZAP names every CURVE peer; without a name the message cannot be attributed.
                refuse(.unknownTransportKey, from: nil, detail: "service request without a peer identity")
                continue
            }
            guard let routingID = message.frames.first else { continue }
            let request: ServiceRequest
            do throws(WireError) {
                request = try ServiceRequest(frames: Array(message.frames.dropFirst()))
            } catch .malformedAuditRequest(let verb) {
                answerAuditRequest(.failure(.malformedAuditRequest(verb: verb)), from: peer, routingID: routingID)
                continue
            } catch {
                refuse(error.reason, from: peer, detail: error.description)
                continue
            }
            switch request {
            case .audit(let auditRequest):
                answerAuditRequest(.success(auditRequest), from: peer, routingID: routingID)
            case .replay(let after):
                serveReplay(to: peer, routingID: routingID, after: after)
            case .receipt(let bytes):
                if let checked = checkReceipt(bytes, from: peer) { receipts.append(checked) }
            case .roster(let version):
                serveRoster(to: peer, routingID: routingID, requesterVersion: version)
            case .attachmentChunk(let place):
                serveAttachmentChunk(place, to: peer, routingID: routingID)
            case .attachmentReceipt(let bytes):
                takeAttachmentReceipt(bytes, from: peer, routingID: routingID)
            }
        }
    }

    /// Sends `peer` the next batch of the envelopes of our link to it after `after`, with the
    /// link's last sequence so that it knows whether to ask again.
    ///
    /// One answer in flight per peer (docs/PROTOCOL.md §16.3): a request is answered when the
    /// previous answer is older than ``LinkConfiguration/replayTimeout`` (the requester's own retry
    /// delay) or when the request starts at or beyond that answer's last envelope with that
    /// answer having brought some (the requester got it and asks for the next). Others are
    /// dropped and counted as `throttled`. An answer the service socket could not queue (the
    /// peer's queue of ``NodeEngine/serviceAnswersQueuedPerPeer`` is full: it does not read) is
    /// neither audited nor followed by another for ``LinkConfiguration/replayTimeout``. So a peer that
    /// floods requests and never reads costs bounded memory, one store read per replay timeout
    /// once its queue is full, and an audit entry only per answer actually queued.
    private func serveReplay(to peer: StateCode, routingID: [UInt8], after: UInt64) {
        guard roster.isLinked(from: identity.state, to: peer) else {
            refuse(.notLinked, from: peer, detail: "replay asked by a state we have no link to")
            return
        }
        let now = ContinuousClock.now
        if case .throttle(let detail) = outboundRules(to: peer).replayRequested(after: after, now: now) {
            refuse(.throttled, from: peer, detail: detail)
            return
        }
        do {
            let batch = try store.replayableEnvelopes(to: peer, after: after, limit: configuration.replayBatchSize)
            let latest = outgoingPositions[peer]?.sequence ?? 0
            let frames = [routingID] + ReplayBatch(latest: latest, envelopes: batch.map(\.bytes)).frames
            let queued = queueAnswer(frames)
            var rules = outboundRules(to: peer)
            rules.answerSent(after: after, last: batch.last?.sequence ?? after, queued: queued, now: now)
            outbound[peer] = rules
            if !queued {
                refuse(.throttled, from: peer, detail: "replay answer not queued: the peer does not read its answers (or left)")
            } else if let first = batch.first, let last = batch.last {
                audit(.replayServed(link: Link(origin: identity.state, recipient: peer), sequences: first.sequence...last.sequence))
                metrics.count("bordernet_replay_envelopes_served_total", [("recipient", peer.description)], by: batch.count)
                logger.info(
                    "replay served",
                    metadata: [
                        "link": "\(identity.state)→\(peer)", "after": "\(after)", "envelopes": "\(batch.count)", "latest": "\(latest)",
                    ])
            }
        } catch {
            logger.error("cannot serve a replay", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
    }

    /// Queues an answer on the service socket without waiting: `false` when the peer's queue is
    /// full or the peer has gone (ROUTER_MANDATORY makes both visible), or on another error (logged).
    private func queueAnswer(_ frames: [[UInt8]]) -> Bool {
        do {
            return try service.send(frames, dontWait: true)
        } catch {
            if case .hostUnreachable = error { return false }  // the peer left: it asks again when it is back
            logger.error("cannot answer on the service socket", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Checks a receipt from `peer`: its signature, that `peer` signed it for our link to it,
    /// and that it names the envelope we sent with that sequence. Refusals are recorded here.
    private func checkReceipt(_ bytes: [UInt8], from peer: StateCode) -> (receipt: Receipt, stored: StoredReceipt)? {
        let receipt: Receipt
        do {
            receipt = try SignedReceipt(serializedBytes: bytes).verify(against: roster)
        } catch {
            refuse(.badSignature, from: peer, detail: "receipt: \(error)")
            return nil
        }
        // The envelope the receipt names, read before the rules judge it: a store that cannot be
        // read is not the peer's fault, so the receipt is neither refused nor taken (it comes again).
        let sent: OutgoingEnvelope?
        do {
            sent = receipt.sequence > 0 ? try store.outgoingEnvelope(to: peer, sequence: receipt.sequence) : nil
        } catch {
            logger.error("cannot read the envelope a receipt names", metadata: ["peer": "\(peer)", "error": "\(error)"])
            return nil
        }
        let verdict = outboundRules(to: peer).receiptArrived(receipt) { sequence in
            guard let sent, sent.sequence == sequence else { return nil }
            return SentEnvelope(sequence: sent.sequence, hash: sent.hash)
        }
        if case .refuse(let reason, let detail) = verdict {
            refuse(reason, from: peer, detail: detail)
            return nil
        }
        return (
            receipt,
            StoredReceipt(
                recipient: peer, sequence: receipt.sequence, envelopeHash: receipt.envelopeHash, status: receipt.status,
                receivedAt: receipt.receivedAt, bytes: bytes)
        )
    }

    /// Stores checked receipts in one transaction (a burst of receipts costs one disk flush),
    /// then takes them into account.
    private func recordChecked(_ receipts: [(receipt: Receipt, stored: StoredReceipt)]) {
        guard !receipts.isEmpty else { return }
        let new: [Bool]
        do {
            new = try store.recordReceipts(receipts.map(\.stored))
        } catch {
            logger.error("cannot store receipts; the recipients will send them again", metadata: ["error": "\(error)"])
            return
        }
        for (index, (receipt, _)) in receipts.enumerated() {
            let peer = receipt.link.recipient
            // A receipt sent again (the recipient answers a heartbeat) is audited once, when first stored.
            if new.indices.contains(index), new[index] {
                audit(.receiptReceived(link: receipt.link, sequence: receipt.sequence, hash: receipt.envelopeHash, status: receipt.status))
            }
            metrics.count(
                "bordernet_receipts_received_total",
                [("recipient", peer.description), ("status", receipt.status.reason?.name ?? "accepted")])
            // Accepted, or a 400/5xx refusal whose envelope took its place in the recipient's
            // chain: the link is delivered up to it (heartbeats stop asking for that receipt again).
            var rules = outboundRules(to: peer)
            rules.receiptStored(receipt)
            outbound[peer] = rules
            if receipt.status != .accepted {
                logger.warning(
                    "recipient refused a bulletin",
                    metadata: ["link": "\(receipt.link)", "seq": "\(receipt.sequence)", "status": "\(receipt.status)"])
            }
        }
    }

    /// The rules of the link to `peer` (new ones, acknowledged at 0, for a peer not seen before).
    func outboundRules(to peer: StateCode) -> OutboundLinkStateMachine {
        outbound[peer] ?? OutboundLinkStateMachine(link: Link(origin: identity.state, recipient: peer), configuration: linkConfiguration)
    }

    /// A refused message, for the store's counts.
    func rejection(from peer: StateCode?, sequence: UInt64?, reason: RejectionReason, detail: String) -> Rejection {
        logger.warning(
            "rejected",
            metadata: ["peer": "\(peer?.description ?? "?")", "seq": "\(sequence.map(String.init) ?? "-")", "reason": "\(reason.name)", "detail": "\(detail)"])
        return Rejection(peer: peer?.description ?? "?", sequence: sequence, reason: reason.name, at: Int64(Timestamp.now.millisecondsSinceEpoch))
    }

    /// Stores refused messages in one transaction.
    func record(_ rejections: [Rejection]) {
        guard !rejections.isEmpty else { return }
        for rejection in rejections {
            metrics.count("bordernet_rejections_total", [("peer", rejection.peer), ("reason", rejection.reason)])
        }
        do {
            try store.recordRejections(rejections)
        } catch {
            logger.error("cannot record rejections", metadata: ["error": "\(error)"])
        }
    }
}
