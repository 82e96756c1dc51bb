import Exchange
import Logging
import Store
import Wire
import ZeroMQ

extension NodeEngine {
    /// Subscriptions on the publisher. A peer may subscribe only to its own state's topic, and
    /// only if the roster links us to it: a member that asks for another state's topic (or for
    /// everything) gets nothing, and the attempt is counted.
    func handleSubscriptions() {
        // XPUB in manual mode applies `subscribe` to the peer of the message read last, so each
        // subscription is applied before the next one is read: a drained batch would give every
        // topic to the last peer (envelopes for others on its wire) and none to the rest.
        for _ in 0..<Self.readBatch {
            guard let message = try? publisher.receive(dontWait: true) else { break }
            guard let frame = message.frames.first, let kind = frame.first else { continue }
            let topic = Array(frame.dropFirst())
            let peer = message.userID.flatMap { try? StateCode($0) }
            switch kind {
            case 1:
                if let peer, topic == Publication.topic(peer), roster.isLinked(from: identity.state, to: peer) {
                    do {
                        try publisher.subscribe(topic)
                        subscriptions[peer, default: 0] += 1
                        logger.info("peer subscribed", metadata: ["link": "\(identity.state)→\(peer)"])
                    } catch {
                        logger.error("cannot apply a subscription", metadata: ["peer": "\(peer)", "error": "\(error)"])
                    }
                } else {
                    let asked = String(decoding: topic, as: UTF8.self)
                    refuse(.notLinked, from: peer, detail: "subscription to '\(asked)'")
                }
            case 0:
                try? publisher.unsubscribe(topic)
                if let peer, topic == Publication.topic(peer), let count = subscriptions[peer] {
                    subscriptions[peer] = count > 1 ? count - 1 : nil
                }
            default:
                refuse(.malformedMessage, from: peer, detail: "subscription message of kind \(kind)")
            }
        }
    }

    /// Publishes stored envelopes, each under its recipient's topic. Dropped ones (a slow or
    /// absent subscriber) are not lost: they are in the store for replay.
    func publish(_ envelopes: [OutgoingEnvelope]) {
        for envelope in envelopes {
            let recipient = envelope.recipient
            do {
                _ = try publisher.send(Publication.envelope(envelope.bytes).frames(to: recipient), dontWait: true)
            } catch {
                logger.error("cannot publish an envelope", metadata: ["link": "\(identity.state)→\(recipient)", "error": "\(error)"])
            }
        }
    }

    /// Announces, on every link from this node, its last sequence and the last one acknowledged,
    /// so that a recipient notices a lost envelope or a lost receipt.
    func publishHeartbeats() {
        for recipient in roster.recipients(of: identity.state) {
            let latest = outgoingPositions[recipient]?.sequence ?? 0
            let heartbeat = Publication.heartbeat(latest: latest, acknowledged: acknowledged[recipient] ?? 0)
            _ = try? publisher.send(heartbeat.frames(to: recipient), dontWait: true)
        }
    }
}
