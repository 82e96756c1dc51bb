import Audit
import Exchange
import Foundation
import Logging
import Sodium
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

    /// Logs the roster in force at start when it differs from the last one the log records.
    func auditRosterIfChanged() {
        var end = auditLog.size
        while end > 0 {
            let start = end >= 1_000 ? end - 1_000 : 0
            guard let entries = try? auditLog.entries(in: start..<end) else { break }
            for entry in entries.reversed() {
                if case .rosterInstalled(let version) = entry.event {
                    if version != roster.version { audit(.rosterInstalled(version: roster.version)) }
                    return
                }
            }
            end = start
        }
        audit(.rosterInstalled(version: roster.version))
    }

    /// Answers the secretariat's audit requests on the service socket. Only the roster's
    /// secretariat (by its authenticated transport key) may read the log.
    func answerAuditRequest(_ frames: [[UInt8]], from peer: StateCode, routingID: [UInt8]) {
        let verb = String(decoding: frames[0], as: UTF8.self)
        guard roster.member(peer)?.role == .secretariat else {
            logger.warning("audit request from a node that is not the secretariat", metadata: ["peer": "\(peer)", "verb": "\(verb)"])
            record([rejection(from: peer, sequence: nil, reason: .notLinked, detail: "audit request \(verb)")])
            reply(service: routingID, ["audit-refused", "only the secretariat may read the audit log"].map { Array($0.utf8) })
            return
        }
        let numbers = frames.dropFirst().map(WireFrames.decodeUInt64)
        do {
            switch (verb, numbers.count) {
            case ("audit-head", 0):
                let head = try signTreeHead()
                reply(service: routingID, [frames[0], head.serializedBytes])
            case ("audit-consistency", 2):
                guard let from = numbers[0], let to = numbers[1] else { throw AuditRequestError.malformed }
                flushAudit()
                reply(service: routingID, [frames[0], try auditLog.consistencyProof(from: from, to: to).canonicalBytes])
            case ("audit-inclusion", 2):
                guard let index = numbers[0], let size = numbers[1] else { throw AuditRequestError.malformed }
                flushAudit()
                reply(service: routingID, [frames[0], try auditLog.inclusionProof(index: index, treeSize: size).canonicalBytes])
            case ("audit-entries", 2):
                guard let from = numbers[0], let count = numbers[1] else { throw AuditRequestError.malformed }
                flushAudit()
                let end = min(auditLog.size, from &+ min(count, 1_000))
                let entries = from < end ? try auditLog.entries(in: from..<end) : []
                reply(service: routingID, [frames[0], WireFrames.encode(from)] + entries.map(\.canonicalBytes))
            default:
                throw AuditRequestError.malformed
            }
            logger.debug("audit request served", metadata: ["verb": "\(verb)"])
        } catch {
            logger.warning("audit request refused", metadata: ["verb": "\(verb)", "error": "\(error)"])
            reply(service: routingID, ["audit-refused", "\(error)"].map { Array($0.utf8) })
        }
    }

    private func reply(service routingID: [UInt8], _ frames: [[UInt8]]) {
        do {
            _ = try service.send([routingID] + frames, dontWait: true)
        } catch {
            logger.error("cannot answer on the service socket", metadata: ["error": "\(error)"])
        }
    }
}

/// A malformed audit request.
enum AuditRequestError: Error, CustomStringConvertible {
    case malformed
    var description: String {
        "malformed audit request: expected audit-head, audit-consistency FROM TO, audit-inclusion INDEX SIZE or audit-entries FROM COUNT (u64 big-endian frames)"
    }
}
