import Audit
import Exchange
import Foundation
import NodeSetup
import Sodium
import Testing
import Wire
import ZeroMQ

/// A compromised member (the test, holding Morocco's keys) attacks Algeria's real node over the
/// transport: extreme heartbeats, unknown kinds, oversized frames, floods of replay requests.
/// Each attack is refused, counted in `status`, summarised in the log and the audit log, and the
/// node keeps serving its honest neighbours (issue 13, defects 1–4).
@Suite("A hostile member", .serialized)
struct HostileMemberTests {
    /// A region of DZ (running) and MA (keys only: the test speaks for MA), linked both ways.
    struct Stage {
        let region: RegionHarness
        let morocco: NodeIdentity
        let algeria: IdentityCard
        let context: Context
        /// MA's publisher, as DZ's subscriber sees it.
        let publisher: Socket
        /// MA's service socket, as DZ's requester sees it.
        let service: Socket
        let topic = Array("DZ".utf8)

        init(extraNodes: [String] = [], links: [(String, String)] = [("MA", "DZ"), ("DZ", "MA")]) throws {
            region = try RegionHarness()
            let maData = try region.addNode("MA")
            try region.addNode("DZ")
            for state in extraNodes { try region.addNode(state) }
            try region.signRoster(links: links)
            morocco = try NodeDirectory(path: maData.path).loadIdentity()
            let dzData = try #require(region.nodes["DZ"])
            algeria = try NodeDirectory(path: dzData.path).loadCard()
            context = try Context()
            publisher = try Socket(context, type: .extendedPublisher)
            try publisher.setOption(.sendHighWaterMark(100_000))
            // Every subscription is reported, even one that repeats a live one (a new connection
            // can subscribe before the old one is torn down).
            try publisher.setOption(.extendedPublisherVerbose(true))
            try publisher.makeCurveServer(secretKey: morocco.transportKey.rawRepresentation)
            try publisher.bind(morocco.card.endpoints.publish)
            service = try Socket(context, type: .router)
            try service.makeCurveServer(secretKey: morocco.transportKey.rawRepresentation)
            try service.bind(morocco.card.endpoints.service)
        }

        /// Waits (bounded) for DZ's subscription to MA's topic (skipping unsubscriptions of a
        /// connection that closed).
        func awaitSubscription() throws {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                guard let message = try receiveMessage(from: publisher, within: 1) else { continue }
                if message.frames.first == [1] + Array("DZ".utf8) { return }
            }
            Issue.record("DZ never subscribed to MA: \(region.log("DZ"))")
        }

        /// Publishes a well-formed message to DZ.
        func publish(_ publication: Publication) throws {
            try publisher.send(publication.frames(to: StateCode("DZ")))
        }

        /// Publishes frames no honest node writes: `kind` and `payload` as given.
        func publishRaw(kind: [UInt8], _ payload: [UInt8]) throws {
            try publisher.send([topic, kind, payload])
        }

        /// DZ's refusals of MA's messages, by reason.
        func refusals() -> [String: Int] {
            (try? region.status("DZ").rejections["MA"]) ?? [:]
        }

        /// The events of DZ's audit log.
        func auditEvents() throws -> [AuditEvent] {
            let path = try #require(region.nodes["DZ"]).appendingPathComponent("audit.sqlite").path
            let log = try AuditLog(path: path, state: StateCode("DZ"))
            return try log.entries(in: 0..<log.size).map(\.event)
        }
    }

    @Test("an unsigned heartbeat at 2^64−1 asks for one bounded batch, is found false, and breaks nothing")
    func extremeHeartbeat() throws {
        let stage = try Stage()
        try stage.region.start("DZ")
        try stage.awaitSubscription()

        // The heartbeat claims the link is at 2^64−1 and that DZ acknowledged all of it; then an
        // envelope with a gap (sequence 3) arrives. DZ asks MA's service for a replay.
        let huge = Publication.heartbeat(latest: .max, acknowledged: 0)
        let overAcknowledged = Publication.heartbeat(latest: .max, acknowledged: .max)
        let withGap = try ForgedEnvelopeTests.seal(
            from: stage.morocco, to: stage.algeria, sequence: ChainPosition(sequence: 2, hash: EnvelopeHash(bytes: [UInt8](repeating: 7, count: 32))))
        var requests: [UInt64] = []
        let deadline = Date().addingTimeInterval(20)
        var round = 0
        while Date() < deadline, round < 200 {
            round += 1
            if round == 1 {
                try stage.publish(overAcknowledged)
                try stage.publish(.envelope(withGap.bytes))
            } else {
                try stage.publish(huge)
            }
            // Answer every replay request with nothing, or with a junk "envelope": neither moves the link.
            while let request = try receiveMessage(from: stage.service, within: 0.2) {
                guard case .replay(let after)? = try? ServiceRequest(frames: Array(request.frames.dropFirst())) else { continue }
                requests.append(after)
                let junk: [[UInt8]] = requests.count % 2 == 0 ? [[1, 2, 3]] : []
                try stage.service.send([request.frames[0]] + ReplayBatch(latest: 0, envelopes: junk).frames)
            }
            if requests.count >= 2 && (stage.refusals()["implausibleClaim"] ?? 0) >= 2 { break }
        }
        #expect(!requests.isEmpty, "DZ never asked for a replay: \(stage.region.log("DZ"))")
        #expect(requests.allSatisfy { $0 == 0 }, "a replay request starts after what DZ holds (0)")
        // One claim refused for the acknowledgement DZ never sent, one for the replay that came back empty.
        #expect((stage.refusals()["implausibleClaim"] ?? 0) >= 2, "\(stage.refusals())")
        // After a replay that moved nothing, heartbeats trigger no replay for a minute: a flood of
        // them over several seconds (the replay timeout is 3 s) brings at most a retry or two.
        let countAfterDistrust = requests.count
        let floodEnd = Date().addingTimeInterval(8)
        var heartbeats = 0
        while Date() < floodEnd, heartbeats < 2_000 {
            try stage.publish(huge)
            heartbeats += 1
            while let request = try receiveMessage(from: stage.service, within: 0.01) {
                if case .replay? = try? ServiceRequest(frames: Array(request.frames.dropFirst())) { requests.append(0) }
            }
        }
        #expect(requests.count <= countAfterDistrust + 2, "heartbeats still trigger replays: \(requests.count) requests")

        // What DZ audited asks for at most one batch (256) after what it holds.
        let replayRanges = try stage.auditEvents().compactMap { event -> ClosedRange<UInt64>? in
            if case .replayRequested(_, let sequences) = event { return sequences }
            return nil
        }
        #expect(!replayRanges.isEmpty)
        #expect(replayRanges.allSatisfy { $0.upperBound <= 256 }, "\(replayRanges)")
        // DZ still answers and serves.
        #expect(try stage.region.status("DZ").incoming.first { $0.origin == "MA" }?.received == 0)
    }

    @Test("unknown kinds, malformed heartbeats and a flood of them are counted in full, logged in summaries and audited")
    func malformedFlood() throws {
        let stage = try Stage()
        try stage.region.start("DZ")
        try stage.awaitSubscription()
        let floodSize = 21_000
        var generator = SystemRandomNumberGenerator()
        for index in 0..<floodSize {
            switch index % 3 {
            case 0: try stage.publishRaw(kind: Array("X".utf8), [1, 2, 3])
            case 1: try stage.publishRaw(kind: Publication.heartbeatKind, [0, 1, 2])
            default: try stage.publishRaw(kind: Publication.envelopeKind, (0..<200).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
            if index % 1_000 == 999 { Thread.sleep(forTimeInterval: 0.05) }  // stay under the high-water mark
        }
        let envelopeReasons = ["truncated", "malformed", "unsupportedVersion", "oversized"]
        #expect(
            waitUntil(seconds: 60) {
                let refusals = stage.refusals()
                let junk = envelopeReasons.reduce(0) { $0 + (refusals[$1] ?? 0) }
                return (refusals["unknownMessageKind"] ?? 0) == floodSize / 3 && (refusals["malformedMessage"] ?? 0) == floodSize / 3
                    && junk == floodSize / 3
            }, "\(stage.refusals())")
        // One detailed line per peer and reason, then summaries every 10 s: a handful of lines, not 20,000.
        #expect(
            waitUntil(seconds: 30) {
                stage.region.log("DZ").components(separatedBy: "refused transport messages (summary)").count - 1 >= 2
            })
        // One detailed line per peer and reason per 10 s interval at most, however long the flood took.
        let log = stage.region.log("DZ")
        let detailed = log.components(separatedBy: "refused a transport message").count - 1
        let summaries = log.components(separatedBy: "refused transport messages (summary)").count - 1
        #expect(detailed <= 6 * (summaries + 1), "\(detailed) detailed lines, \(summaries) summaries")
        // No line per junk envelope (the per-envelope `rejected` warning is for signed envelopes only).
        #expect(log.components(separatedBy: "[Node] rejected\n").count - 1 == 0)
        // And the audit log has the summaries, with the counts adding up.
        var audited: [String: UInt64] = [:]
        #expect(
            waitUntil(seconds: 30) {
                audited = [:]
                for event in (try? stage.auditEvents()) ?? [] {
                    if case .messagesRefused(let peer, let reason, let count) = event, peer.description == "MA" {
                        audited[reason.name, default: 0] += count
                    }
                }
                return (audited["unknownMessageKind"] ?? 0) + (audited["malformedMessage"] ?? 0) == UInt64(2 * floodSize / 3)
            }, "\(audited)")
        // The junk envelopes are audited one by one only as a sample (16 per interval); the summaries count them all.
        let unreadable = try stage.auditEvents().filter {
            if case .envelopeUnreadable = $0 { return true }
            return false
        }
        #expect(unreadable.count <= 16 * (summaries + 2), "\(unreadable.count) envelopeUnreadable entries")
    }

    @Test("an oversized frame is refused and counted; a frame past the transport limit costs a reconnection, not the link")
    func oversizedFrames() throws {
        let stage = try Stage()
        try stage.region.start("DZ")
        try stage.awaitSubscription()

        // 150 KiB: over the envelope limit, under the transport limit: refused unread, link intact.
        try stage.publishRaw(kind: Publication.envelopeKind, [UInt8](repeating: 0x41, count: 150 * 1_024))
        #expect(waitUntil(seconds: 30) { stage.refusals()["oversized"] == 1 }, "\(stage.refusals())")
        let first = try ForgedEnvelopeTests.seal(from: stage.morocco, to: stage.algeria)
        try stage.publish(.envelope(first.bytes))
        #expect(waitUntil(seconds: 30) { (try? stage.region.feedIDs("DZ").count) == 1 }, "\(stage.region.log("DZ"))")

        // 10 MiB: libzmq closes the connection (a protocol error) and would never reconnect it;
        // DZ notices, opens new sockets and subscribes again.
        try stage.publishRaw(kind: Publication.envelopeKind, [UInt8](repeating: 0x42, count: 10 * 1_024 * 1_024))
        try stage.awaitSubscription()
        let second = try ForgedEnvelopeTests.seal(from: stage.morocco, to: stage.algeria, sequence: ChainPosition(sequence: 1, hash: first.hash))
        try stage.publish(.envelope(second.bytes))
        #expect(waitUntil(seconds: 30) { (try? stage.region.feedIDs("DZ").count) == 2 }, "\(stage.region.log("DZ"))")
        #expect((stage.refusals()["protocolError"] ?? 0) >= 1, "\(stage.refusals())")
        #expect(stage.region.log("DZ").contains("link reconnected with new sockets"))
    }

    @Test("conflicting and chain-breaking envelopes signed by their origin get a rejection receipt")
    func receiptsForAuthenticatedRefusals() throws {
        let stage = try Stage()
        try stage.region.start("DZ")
        try stage.awaitSubscription()
        let genuine = try ForgedEnvelopeTests.seal(from: stage.morocco, to: stage.algeria)
        try stage.publish(.envelope(genuine.bytes))
        let rivalOfOne = try ForgedEnvelopeTests.seal(from: stage.morocco, to: stage.algeria)
        let forkedTwo = try ForgedEnvelopeTests.seal(
            from: stage.morocco, to: stage.algeria, sequence: ChainPosition(sequence: 1, hash: EnvelopeHash(bytes: [UInt8](repeating: 9, count: 32))))
        #expect(waitUntil(seconds: 30) { (try? stage.region.feedIDs("DZ").count) == 1 })
        try stage.publish(.envelope(rivalOfOne.bytes))
        try stage.publish(.envelope(forkedTwo.bytes))

        var statuses: [UInt64: ReceiptStatus] = [:]
        let moroccoData = try #require(stage.region.nodes["MA"])
        let roster = try #require(try NodeDirectory(path: moroccoData.path).loadRoster())
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, statuses.values.filter({ $0 != .accepted }).count < 2 {
            guard let message = try receiveMessage(from: stage.service, within: 1) else { continue }
            guard case .receipt(let bytes)? = try? ServiceRequest(frames: Array(message.frames.dropFirst())) else { continue }
            let receipt = try SignedReceipt(serializedBytes: bytes).verify(against: roster)
            if receipt.envelopeHash == rivalOfOne.hash || receipt.envelopeHash == forkedTwo.hash {
                statuses[receipt.sequence] = receipt.status
            }
        }
        #expect(statuses[1] == .rejected(.conflict))
        #expect(statuses[2] == .rejected(.chainBroken))
    }

    @Test("a receipt sent again for a refused last envelope repeats its rejection, never 'accepted'")
    func receiptAgainForRefusedEnvelope() throws {
        let stage = try Stage()
        try stage.region.start("DZ")
        try stage.awaitSubscription()
        let id = BulletinID.generate()
        let notABulletin = try Envelope.seal(
            Array(#"{"hello":"world"}"#.utf8),
            metadata: BulletinMetadata(bulletinID: id, createdAt: .now, tlp: .amber, schemaVersion: BodySchemaVersion(major: 1, minor: 0)),
            from: stage.morocco, to: EnvelopeRecipient(card: stage.algeria, position: .start))
        try stage.publish(.envelope(notABulletin.bytes))
        let moroccoData = try #require(stage.region.nodes["MA"])
        let roster = try #require(try NodeDirectory(path: moroccoData.path).loadRoster())
        var statuses: [ReceiptStatus] = []
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, statuses.count < 3 {
            // "Envelope 1 is the last; you have acknowledged nothing": DZ sends its receipt for 1 again.
            try stage.publish(.heartbeat(latest: 1, acknowledged: 0))
            guard let message = try receiveMessage(from: stage.service, within: 1) else { continue }
            guard case .receipt(let bytes)? = try? ServiceRequest(frames: Array(message.frames.dropFirst())) else { continue }
            let receipt = try SignedReceipt(serializedBytes: bytes).verify(against: roster)
            if receipt.sequence == 1 { statuses.append(receipt.status) }
        }
        #expect(statuses.count >= 2, "DZ did not send its receipt again: \(stage.region.log("DZ"))")
        #expect(statuses.allSatisfy { $0 == .rejected(.invalidBulletin) }, "\(statuses)")
    }

    @Test("a flood of heartbeats saying a receipt is missing costs a receipt per heartbeat interval, not one per heartbeat")
    func heartbeatFlood() throws {
        let stage = try Stage()
        try stage.region.start("DZ")
        try stage.awaitSubscription()
        let first = try ForgedEnvelopeTests.seal(from: stage.morocco, to: stage.algeria)
        try stage.publish(.envelope(first.bytes))
        #expect(waitUntil(seconds: 30) { (try? stage.region.feedIDs("DZ").count) == 1 })
        let started = Date()
        for index in 0..<20_000 {
            try stage.publish(.heartbeat(latest: 1, acknowledged: 0))
            if index % 1_000 == 999 { Thread.sleep(forTimeInterval: 0.05) }
        }
        Thread.sleep(forTimeInterval: 1)
        let seconds = Date().timeIntervalSince(started)
        let sent = try stage.auditEvents().filter {
            if case .receiptSent = $0 { return true }
            return false
        }
        // The default heartbeat interval is 2 s: one receipt for the envelope, then one per interval.
        #expect(sent.count <= Int(seconds / 2) + 3, "\(sent.count) receipts in \(seconds) s")
    }

    @Test("a member flooding replay requests and never reading costs bounded memory; the honest neighbour is served")
    func replayFlood() throws {
        let stage = try Stage(extraNodes: ["TN"], links: [("DZ", "MA"), ("MA", "DZ"), ("DZ", "TN")])
        try stage.region.start("DZ")
        try stage.region.start("TN")
        // 300 bulletins for MA (whose node is down) wait in DZ's store: a full replay batch is ~0.5 MiB.
        _ = try stage.region.postMany(from: "DZ", count: 300, to: ["MA"])
        let before = try #require(stage.region.residentMiB("DZ"))

        let dealer = try Socket(stage.context, type: .dealer)
        try dealer.setOption(.sendHighWaterMark(100_000))
        let serverKey = try CurvePublicKey(rawRepresentation: stage.algeria.transportKey.rawRepresentation)
        try dealer.makeCurveClient(serverKey: serverKey, keyPair: CurveKeyPair(x25519: stage.morocco.transportKey))
        try dealer.connect(stage.algeria.endpoints.service)
        let requests = 45_000
        for index in 0..<requests {
            _ = try dealer.send(ServiceRequest.replay(after: 0).frames)
            if index % 5_000 == 4_999 { Thread.sleep(forTimeInterval: 0.1) }
        }
        // The honest neighbour is served meanwhile.
        let posted = try stage.region.post(from: "DZ", example: "drug-trafficking", to: ["TN"])
        #expect(waitUntil(seconds: 60) { (try? stage.region.feedIDs("TN").contains(posted.id)) == true }, "\(stage.region.log("TN"))")
        #expect(
            waitUntil(seconds: 60) { (stage.refusals()["throttled"] ?? 0) >= requests - 100 }, "\(stage.refusals())")
        let after = try #require(stage.region.residentMiB("DZ"))
        #expect(after <= 150, "DZ grew from \(before) MiB to \(after) MiB")
        let served = try stage.auditEvents().filter {
            if case .replayServed(let link, _) = $0 { return link.recipient.description == "MA" }
            return false
        }
        #expect(served.count <= 30, "\(served.count) replays served")
        dealer.close()
    }
}
