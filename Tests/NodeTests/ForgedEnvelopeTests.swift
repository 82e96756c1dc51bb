import Exchange
import Foundation
import NodeSetup
import Sodium
import Testing
import Wire
import ZeroMQ

/// A peer that holds MA's transport key (a compromised or misconfigured publisher) sends DZ's
/// node forged, misaddressed and malformed envelopes: each is refused with the protocol's reason
/// and counted, and the node goes on to accept the genuine envelope that follows.
@Suite("Forged envelopes", .serialized)
struct ForgedEnvelopeTests {
    /// An issued bulletin of MA for the envelope header `id`.
    static func bulletin(id: BulletinID) throws -> [UInt8] {
        let example = RegionHarness.schemas.appendingPathComponent("examples/drug-trafficking.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])
        object["id"] = id.reference(origin: try StateCode("MA"))
        return Array(try JSONSerialization.data(withJSONObject: object))
    }

    static func seal(from origin: NodeIdentity, to card: IdentityCard, sequence position: ChainPosition = .start) throws -> Envelope {
        let id = BulletinID.generate()
        return try Envelope.seal(
            bulletin(id: id),
            metadata: BulletinMetadata(bulletinID: id, createdAt: .now, tlp: .amber, schemaVersion: BodySchemaVersion(major: 1, minor: 0)),
            from: origin, to: EnvelopeRecipient(card: card, position: position))
    }

    @Test("forged, misaddressed and malformed envelopes are rejected with their reason and counted; the node keeps serving")
    func forgeriesAreRejected() throws {
        let region = try RegionHarness()
        let maData = try region.addNode("MA")
        try region.addNode("DZ")
        try region.signRoster(links: [("MA", "DZ")])
        try region.start("DZ")  // MA's real node stays down: the test speaks in its place.

        let morocco = try NodeDirectory(path: maData.path).loadIdentity()
        let algeria = try NodeDirectory(path: #require(region.nodes["DZ"]).path).loadCard()
        let endpoints = try NodeEndpoints(publish: "tcp://127.0.0.1:1", service: "tcp://127.0.0.1:2")
        let impostor = try NodeIdentity(state: StateCode("MA"), nodeName: "impostor", endpoints: endpoints)
        let egypt = try NodeIdentity(state: StateCode("EG"), nodeName: "eg-1", endpoints: endpoints)
        let tunisia = try NodeIdentity(state: StateCode("TN"), nodeName: "tn-1", endpoints: endpoints)

        let context = try Context()
        let publisher = try Socket(context, type: .extendedPublisher)
        try publisher.makeCurveServer(secretKey: morocco.transportKey.rawRepresentation)
        try publisher.bind(morocco.card.endpoints.publish)
        let subscription = try #require(try receiveMessage(from: publisher, within: 30), "DZ never subscribed to MA")
        #expect(subscription.frames.first == [1] + Array("DZ".utf8))

        let genuine = try Self.seal(from: morocco, to: algeria)
        var tampered = genuine.bytes
        tampered[tampered.count / 2] ^= 0x01
        let forgeries: [[UInt8]] = [
            try Self.seal(from: impostor, to: algeria).bytes,  // signed by a key that is not MA's
            try Self.seal(from: egypt, to: algeria).bytes,  // an origin outside the roster
            try Self.seal(from: morocco, to: tunisia.card).bytes,  // MA's, but addressed to TN
            tampered,  // MA's, altered in transit
            Array(genuine.bytes.prefix(50)),  // truncated
            [0x09] + Array(genuine.bytes.dropFirst()),  // unknown protocol version
        ]
        for forgery in forgeries { try publisher.send(Publication.envelope(forgery).frames(to: StateCode("DZ"))) }
        try publisher.send(Publication.envelope(genuine.bytes).frames(to: StateCode("DZ")))

        let reference = genuine.header.metadata.bulletinID.reference(origin: morocco.state)
        #expect(waitUntil(seconds: 30) { (try? region.feedIDs("DZ")) == [reference] }, "\(region.log("DZ"))")
        let rejections = try region.status("DZ").rejections["MA"] ?? [:]
        #expect(rejections["badSignature"] == 2)  // the impostor's, and the tampered one
        #expect(rejections["unknownOrigin"] == 1)
        #expect(rejections["wrongRecipient"] == 1)
        #expect(rejections["truncated"] == 1)
        #expect(rejections["unsupportedVersion"] == 1)
        let incoming = try region.status("DZ").incoming.first { $0.origin == "MA" }
        #expect(incoming?.received == 1)

        // The same envelope again is a duplicate (acknowledged, not stored twice); another envelope
        // claiming sequence 1 is a conflict.
        try publisher.send(Publication.envelope(genuine.bytes).frames(to: StateCode("DZ")))
        try publisher.send(Publication.envelope(try Self.seal(from: morocco, to: algeria).bytes).frames(to: StateCode("DZ")))
        #expect(waitUntil(seconds: 30) { (try? region.status("DZ").rejections["MA"]?["conflict"]) == 1 })
        #expect(try region.feedIDs("DZ") == [reference])
    }
}

/// Receives one message within `seconds` (bounded).
func receiveMessage(from socket: Socket, within seconds: Double) throws -> Message? {
    var poller = Poller()
    poller.register(socket)
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try !poller.poll(timeoutMilliseconds: 100).isEmpty, let message = try socket.receive(dontWait: true) {
            return message
        }
    }
    return nil
}
