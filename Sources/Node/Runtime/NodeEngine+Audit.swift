import Audit
import Exchange
import Foundation
import Logging
import Sodium
import Wire
import ZeroMQ

extension NodeEngine {
    /// Notes an event for the audit log; ``flushAudit()`` writes the loop iteration's events in
    /// one transaction, after the store commits they describe.
    func audit(_ event: AuditEvent) {
        pendingAudit.append(event)
    }

    /// Appends the pending events to the audit log (one durable transaction).
    func flushAudit() {
        guard !pendingAudit.isEmpty else { return }
        do {
            _ = try auditLog.append(pendingAudit, at: .now)
            pendingAudit.removeAll(keepingCapacity: true)
        } catch {
            // Kept for the next flush: an audit entry is never dropped silently.
            logger.error("cannot append to the audit log; will retry", metadata: ["error": "\(error)", "pending": "\(pendingAudit.count)"])
        }
    }

    /// Signs a tree head of the current log (at the interval, and when the secretariat asks).
    @discardableResult
    func signTreeHead() throws -> SignedTreeHead {
        flushAudit()
        let head = try auditLog.treeHead(signedBy: identity, at: .now)
        lastTreeHeadSize = head.head.treeSize
        logger.debug("tree head signed", metadata: ["size": "\(head.head.treeSize)"])
        return head
    }

    /// Signs a new head at the interval if the log grew.
    func signTreeHeadIfGrown() {
        guard auditLog.size > lastTreeHeadSize else { return }
        do {
            try signTreeHead()
        } catch {
            logger.error("cannot sign a tree head", metadata: ["error": "\(error)"])
        }
    }

    /// Brings the audit log up to what the store holds, at start. The store commits first and
    /// the audit log right after (and the log's last entries reach the disk with its next signed
    /// head), so a crash or a power cut can leave the last envelopes sent or received, and the last
    /// receipts received, without their entries: they are appended now (from the store, which is
    /// the truth), and the roster in force is logged when it differs from the last one logged.
    /// One pass over the log: start-up time grows with its size.
    func reconcileAuditWithStore() {
        var lastRoster: UInt64?
        var sent: [StateCode: UInt64] = [:]
        var received: [StateCode: UInt64] = [:]
        var receipts: [StateCode: UInt64] = [:]
        var start: UInt64 = 0
        while start < auditLog.size {
            let entries: [AuditEntry]
            do {
                entries = try auditLog.entries(in: start..<min(auditLog.size, start + 1_000))
            } catch {
                // Without the whole log, recovering would append entries it may already hold.
                logger.error("cannot compare the audit log with the store", metadata: ["error": "\(error)"])
                return
            }
            for entry in entries {
                switch entry.event {
                case .rosterInstalled(let version): lastRoster = version
                case .envelopeSent(let link, let sequence, _, _): sent[link.recipient] = max(sent[link.recipient] ?? 0, sequence)
                case .envelopeReceived(let link, let sequence, _, _) where link.recipient == identity.state:
                    received[link.origin] = max(received[link.origin] ?? 0, sequence)
                case .receiptReceived(let link, let sequence, _, _) where link.origin == identity.state:
                    receipts[link.recipient] = max(receipts[link.recipient] ?? 0, sequence)
                default: break
                }
            }
            start += UInt64(max(entries.count, 1))
        }
        if lastRoster != roster.version { audit(.rosterInstalled(version: roster.version)) }
        var recovered = 0
        do {
            for (recipient, position) in outgoingPositions where position.sequence > sent[recipient] ?? 0 {
                let link = Link(origin: identity.state, recipient: recipient)
                try forEachStored(after: sent[recipient] ?? 0, sequence: \.sequence) { after in
                    try store.outgoingEnvelopes(to: recipient, after: after, limit: 1_000)
                } _: { envelope in
                    audit(.envelopeSent(link: link, sequence: envelope.sequence, hash: envelope.hash, bulletin: envelope.bulletin.id))
                    recovered += 1
                }
            }
            for (origin, inboundLink) in inbound where inboundLink.position.sequence > received[origin] ?? 0 {
                let link = Link(origin: origin, recipient: identity.state)
                try forEachStored(after: received[origin] ?? 0, sequence: \.sequence) { after in
                    try store.incomingEnvelopes(from: origin, after: after, limit: 1_000)
                } _: { envelope in
                    audit(.envelopeReceived(link: link, sequence: envelope.sequence, hash: envelope.hash, status: envelope.status))
                    recovered += 1
                }
            }
            for recipient in roster.recipients(of: identity.state) {
                let link = Link(origin: identity.state, recipient: recipient)
                try forEachStored(after: receipts[recipient] ?? 0, sequence: \.sequence) { after in
                    try store.receipts(from: recipient, after: after, limit: 1_000)
                } _: { receipt in
                    audit(.receiptReceived(link: link, sequence: receipt.sequence, hash: receipt.envelopeHash, status: receipt.status))
                    recovered += 1
                }
            }
        } catch {
            logger.error("cannot compare the audit log with the store", metadata: ["error": "\(error)"])
        }
        if recovered > 0 {
            logger.warning("audit entries recovered from the store after an interrupted stop", metadata: ["entries": "\(recovered)"])
        }
    }

    /// Calls `body` on every row `fetch` returns above sequence `after`, one bounded batch at a
    /// time, each batch fetched after the last sequence of the one before.
    private func forEachStored<Row>(
        after start: UInt64, sequence: (Row) -> UInt64, fetch: (UInt64) throws -> [Row], _ body: (Row) -> Void
    ) throws {
        var after = start
        while true {
            let batch = try fetch(after)
            guard let last = batch.last else { return }
            batch.forEach(body)
            after = sequence(last)
        }
    }

    /// Answers the secretariat's audit requests on the service socket. Only the roster's
    /// secretariat (by its authenticated transport key) may read the log; a malformed request
    /// (`request` holds the ``WireError``) is answered `audit-refused` with what was wrong.
    func answerAuditRequest(_ request: Result<AuditRequest, WireError>, from peer: StateCode, routingID: [UInt8]) {
        guard roster.member(peer)?.role == .secretariat else {
            let verb = (try? request.get().name) ?? "(malformed)"
            refuse(.notLinked, from: peer, detail: "audit request \(verb) from a node that is not the secretariat")
            reply(service: routingID, AuditAnswer.refused(reason: "only the secretariat may read the audit log"))
            return
        }
        do {
            let answer: AuditAnswer
            switch try request.get() {
            case .head:
                answer = .head(try signTreeHead().serializedBytes)
            case .consistency(let from, let to):
                flushAudit()
                answer = .consistency(try auditLog.consistencyProof(from: from, to: to).canonicalBytes)
            case .inclusion(let index, let size):
                flushAudit()
                answer = .inclusion(try auditLog.inclusionProof(index: index, treeSize: size).canonicalBytes)
            case .entries(let from, let count):
                flushAudit()
                let end = min(auditLog.size, from &+ min(count, AuditRequest.maximumEntriesPerRequest))
                answer = .entries(from: from, from < end ? try auditLog.entries(in: from..<end).map(\.canonicalBytes) : [])
            }
            reply(service: routingID, answer)
            logger.debug("audit request served", metadata: ["verb": "\((try? request.get().name) ?? "")"])
        } catch {
            logger.warning("audit request refused", metadata: ["error": "\(error)"])
            reply(service: routingID, AuditAnswer.refused(reason: "\(error)"))
        }
    }

    private func reply(service routingID: [UInt8], _ answer: AuditAnswer) {
        do {
            _ = try service.send([routingID] + answer.frames, dontWait: true)
        } catch .hostUnreachable {
            return  // the secretariat disconnected before its answer: it asks again
        } catch {
            logger.error("cannot answer on the service socket", metadata: ["error": "\(error)"])
        }
    }
}
