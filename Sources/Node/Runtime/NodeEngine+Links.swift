import Audit
import Exchange
import Foundation
import LinkRules
import Logging
import NodeSetup
import Synchronization
import Wire
import ZeroMQ

/// Connection attempts the ZAP handler refused, handed from its thread to the I/O thread.
final class RefusedConnections: Sendable {
    private struct Pending {
        var count: UInt64 = 0
        var lastAddress = ""
    }

    private let pending = Mutex(Pending())

    /// Called on the ZAP handler's thread for a refused client.
    func note(_ decision: ZAPAuthenticator.Decision) {
        pending.withLock {
            $0.count &+= 1
            $0.lastAddress = decision.address
        }
    }

    /// The refusals since the last call, and the address of the last one.
    func take() -> (count: UInt64, lastAddress: String) {
        pending.withLock { pending in
            defer { pending = Pending() }
            return (pending.count, pending.lastAddress)
        }
    }
}

extension NodeEngine {
    /// The largest transport frame a link's sockets read (`ZMQ_MAXMSGSIZE`): twice the envelope
    /// limit, so that an envelope a little over the limit (a newer origin with a larger body
    /// limit, or a hostile one) is read, refused as `oversized`, counted and audited, and the
    /// connection stays up. A larger frame makes libzmq close the connection (a protocol error),
    /// which the link's monitor reports: the link then gets new sockets.
    static func transportFrameLimit(_ configuration: NodeConfiguration) -> Int64 { Int64(configuration.maximumEnvelopeBytes) * 2 }

    /// The largest frame a link's requester reads: the transport limit, and never less than a
    /// whole attachment chunk answer with room to spare (docs/PROTOCOL.md §17.3), so that a node
    /// with a small envelope limit still pulls files instead of losing its connection to each.
    static func requesterFrameLimit(_ configuration: NodeConfiguration) -> Int64 {
        max(transportFrameLimit(configuration), Int64(AttachmentCipher.chunkByteCount + AttachmentCipher.overheadByteCount + 4_096))
    }

    /// How many answers a link's requester queues from its origin.
    static let answersQueuedFromOrigin = 4

    /// Opens the sockets to `card`'s node: a CURVE subscriber to its publisher (topic: our
    /// state) and a CURVE requester to its service, each with a monitor.
    static func makeInboundSockets(
        to card: IdentityCard, generation: Int, context: Context, identity: NodeIdentity, configuration: NodeConfiguration
    ) throws(ZeroMQError) -> InboundSockets {
        let serverKey = try CurvePublicKey(rawRepresentation: card.transportKey.rawRepresentation)
        let transportKeys = CurveKeyPair(x25519: identity.transportKey)
        let frameLimit = transportFrameLimit(configuration)

        let subscriber = try Socket(context, type: .subscriber)
        try subscriber.setOption(.receiveHighWaterMark(Int32(clamping: configuration.highWaterMark)))
        try subscriber.setOption(.receiveBufferSize(bytes: Int32(clamping: configuration.socketBufferBytes)))
        try subscriber.setOption(.maxMessageSize(bytes: frameLimit))
        try subscriber.setOption(.heartbeatInterval(milliseconds: 5_000))
        try subscriber.setOption(.heartbeatTimeout(milliseconds: 15_000))
        try subscriber.setOption(.reconnectInterval(milliseconds: 200))
        try subscriber.setOption(.reconnectIntervalMax(milliseconds: 5_000))
        try subscriber.makeCurveClient(serverKey: serverKey, keyPair: transportKeys)
        let subscriberEvents = try subscriber.monitorConnections(named: "bordernet-sub-\(card.state)-\(generation)", in: context)
        try subscriber.subscribe(Publication.topic(identity.state))
        try subscriber.connect(card.endpoints.publish)

        let requester = try Socket(context, type: .dealer)
        try requester.setOption(.maxMessageSize(bytes: requesterFrameLimit(configuration)))
        // One replay answer is expected at a time: a few queued answers bound what an origin can
        // make us hold (each frame is bounded by the transport limit; see PROTOCOL.md §16.5).
        try requester.setOption(.receiveHighWaterMark(Int32(Self.answersQueuedFromOrigin)))
        try requester.setOption(.reconnectInterval(milliseconds: 200))
        try requester.setOption(.reconnectIntervalMax(milliseconds: 5_000))
        try requester.setOption(.heartbeatInterval(milliseconds: 5_000))
        try requester.setOption(.heartbeatTimeout(milliseconds: 15_000))
        try requester.makeCurveClient(serverKey: serverKey, keyPair: transportKeys)
        let requesterEvents = try requester.monitorConnections(named: "bordernet-req-\(card.state)-\(generation)", in: context)
        try requester.connect(card.endpoints.service)
        return InboundSockets(
            subscriber: subscriber, requester: requester, subscriberEvents: subscriberEvents, requesterEvents: requesterEvents)
    }

    /// Reads the connection events of `origin`'s subscriber or requester and hands them to the
    /// link's rules. A connection that closes is normally reopened by libzmq (it reports
    /// `reconnecting`); after a protocol error (an oversized frame) or a failed handshake it is
    /// not, and the link would stay cut until restart: the rules then ask for new sockets.
    func handleConnectionEvents(of origin: StateCode, subscriber: Bool) {
        guard let link = inbound[origin] else { return }
        let now = ContinuousClock.now
        let connection: InboundLinkStateMachine.Connection = subscriber ? .subscriber : .requester
        for message in drain(subscriber ? link.sockets.subscriberEvents : link.sockets.requesterEvents) {
            guard let event = SocketEvent(message) else { continue }
            switch event.kind {
            case .disconnected: link.rules.connectionClosed(connection, now: now)
            case .handshakeFailed: perform(link.rules.handshakeFailed(connection, now: now), on: link, endpoint: event.endpoint)
            case .reconnecting, .connected: link.rules.connectionReopened(connection)
            case .other: break
            }
        }
    }

    /// Closes `link`'s sockets and opens new ones, then asks for a replay of what was missed. A
    /// failed attempt keeps the old sockets; the rules retry after the reset spacing.
    func resetLink(_ link: InboundLink, reason: InboundLinkAction.ResetReason) {
        guard let member = roster.member(link.origin) else { return }
        link.generation += 1  // fresh inproc names for the monitors, whether or not the attempt works
        do {
            let sockets = try Self.makeInboundSockets(
                to: member.card, generation: link.generation, context: context, identity: identity, configuration: configuration)
            closeSockets(of: link)
            link.sockets = sockets
            registerSockets()
            metrics.count("bordernet_link_resets_total", [("origin", link.origin.description)])
            logger.notice("link reconnected with new sockets", metadata: ["origin": "\(link.origin)", "reason": "\(reason)"])
            perform(link.rules.socketsReplaced(now: .now), on: link)
        } catch {
            logger.error("cannot reopen a link's sockets", metadata: ["origin": "\(link.origin)", "error": "\(error)"])
        }
    }

    /// Counts a refused transport message from `peer` (`nil`: no state could be named): always in
    /// the metrics and `status`; in the log the first of its peer and reason per interval, then a
    /// summary; in the audit log one `messagesRefused` entry per peer and reason per interval.
    func refuse(_ reason: RejectionReason, from peer: StateCode?, detail: String, count: UInt64 = 1) {
        metrics.count(
            "bordernet_refused_messages_total", [("peer", peer?.description ?? "?"), ("reason", reason.name)],
            by: Int(clamping: count))
        if refusals.note(.init(peer: peer, reason: reason), count: count) {
            logger.warning(
                "refused a transport message",
                metadata: [
                    "peer": "\(peer?.description ?? "?")", "reason": "\(reason.name)", "detail": "\(detail)",
                    "then": "more of these are summarised every \(Self.refusalSummaryInterval)",
                ])
        }
    }

    /// Takes the connections the ZAP handler refused into the tally.
    func takeRefusedConnections() {
        let (count, address) = refusedConnections.take()
        guard count > 0 else { return }
        refuse(.unknownTransportKey, from: nil, detail: "a CURVE key outside the roster, from \(address)", count: count)
    }

    /// Ends a refusal interval: one log line per peer and reason beyond the first, one audit entry each.
    func summariseRefusals() {
        unreadableAudited.removeAll(keepingCapacity: true)
        summariseConsoleAccesses()
        for summary in refusals.closeInterval() {
            if summary.unlogged > 0 {
                logger.warning(
                    "refused transport messages (summary)",
                    metadata: [
                        "peer": "\(summary.key.peer?.description ?? "?")", "reason": "\(summary.key.reason.name)",
                        "count": "\(summary.count)", "interval": "\(Self.refusalSummaryInterval)",
                    ])
            }
            if let peer = summary.key.peer {
                audit(.messagesRefused(peer: peer, reason: summary.key.reason, count: summary.count))
            } else {
                audit(.connectionsRefused(count: summary.count))
            }
        }
    }
}
