import Exchange
import Foundation
import NodeSetup
import Testing
import Wire
import ZeroMQ

/// A subscription to one's own topic is still refused when the roster does not link the publisher
/// to the subscriber (issue 22, bug 4).
@Suite("Subscriptions and the roster's links", .serialized)
struct SubscriptionRosterTests {
    /// Catches issue 22 bug 4: `handleSubscriptions` applying a subscription whose topic is the
    /// subscriber's own state without asking the roster whether we send to it. MA's real node
    /// runs; the test speaks on 127.0.0.1 with DZ's keys (linked MA→DZ) and TN's keys (in the roster,
    /// linked only TN→MA, so MA sends nothing to TN), each subscribing to its own topic. DZ is
    /// subscribed and gets MA's heartbeats; TN is counted as `notLinked`, not listed among MA's
    /// links, never logged as a subscriber, and receives nothing.
    @Test("TN in the roster but not linked from MA subscribes to topic 'TN': counted notLinked, not listed, sent nothing")
    func ownTopicWithoutLink() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ", "TN"] { try region.addNode(state) }
        try region.signRoster(links: [("MA", "DZ"), ("TN", "MA")])
        try region.start("MA")

        let ma = try NodeDirectory(path: #require(region.nodes["MA"]).path).loadCard()
        let algeria = try NodeDirectory(path: #require(region.nodes["DZ"]).path).loadIdentity()
        let tunisia = try NodeDirectory(path: #require(region.nodes["TN"]).path).loadIdentity()
        let context = try Context()
        let serverKey = try CurvePublicKey(rawRepresentation: ma.transportKey.rawRepresentation)
        func subscriber(_ identity: NodeIdentity) throws -> Socket {
            let socket = try Socket(context, type: .subscriber)
            try socket.makeCurveClient(serverKey: serverKey, keyPair: CurveKeyPair(x25519: identity.transportKey))
            try socket.subscribe(Array(identity.state.description.utf8))
            try socket.connect(ma.endpoints.publish)
            return socket
        }
        let linked = try subscriber(algeria)
        let unlinked = try subscriber(tunisia)

        let settled = waitUntil(seconds: 30) {
            guard let status = try? region.status("MA") else { return false }
            return status.outgoing.first { $0.recipient == "DZ" }?.subscribed == true && (status.rejections["TN"]?["notLinked"] ?? 0) >= 1
        }
        let status = try region.status("MA")
        #expect(settled, "MA: \(status.rejections) \(status.outgoing)\n\(region.log("MA"))")
        #expect(status.rejections["TN"]?["notLinked"] ?? 0 >= 1, "\(status.rejections)")
        #expect(status.outgoing.map(\.recipient) == ["DZ"])
        #expect(!region.log("MA").contains("MA→TN"), "\(region.log("MA"))")

        // MA publishes heartbeats (every 2 s) to DZ; the linked subscriber gets one, the other nothing.
        let heartbeat = try receiveMessage(from: linked, within: 10)
        #expect(heartbeat?.frames.first == Array("DZ".utf8))
        #expect(try receiveMessage(from: unlinked, within: 3) == nil)
        linked.close()
        unlinked.close()
    }
}
