import Exchange
import Foundation
import NodeSetup
import Sodium
import Testing
import Wire
import ZeroMQ

/// Real node processes on 127.0.0.1 exchanging bulletins (the node issue's acceptance tests).
@Suite("A region of real nodes", .serialized)
struct RegionExchangeTests {
    @Test("MA posts; DZ and TN each store and feed it exactly once; TN never sees what MA sent only to DZ")
    func threeNodes() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ", "TN"] { try region.addNode(state) }
        try region.signRoster(links: [("MA", "DZ"), ("MA", "TN"), ("DZ", "MA")])
        for state in ["MA", "DZ", "TN"] { try region.start(state) }

        let toBoth = try region.post(from: "MA", example: "drug-trafficking")
        #expect(Set(toBoth.envelopes.map(\.recipient)) == ["DZ", "TN"])
        let toAlgeria = try region.post(from: "MA", example: "arms-trafficking", to: ["DZ"])
        let fromAlgeria = try region.post(from: "DZ", example: "migrant-smuggling")
        #expect(fromAlgeria.envelopes.map(\.recipient) == ["MA"])

        let delivered = waitUntil(seconds: 30) {
            (try? region.feedIDs("DZ")) == [toBoth.id, toAlgeria.id] && (try? region.feedIDs("TN")) == [toBoth.id]
                && (try? region.feedIDs("MA")) == [fromAlgeria.id]
        }
        #expect(delivered, "DZ: \((try? region.feedIDs("DZ")) ?? []) TN: \((try? region.feedIDs("TN")) ?? [])\n\(region.log("DZ"))")
        #expect(try region.feedIDs("TN").contains(toAlgeria.id) == false)

        // Receipts come back: MA's links are acknowledged up to what it sent.
        let acknowledged = waitUntil(seconds: 30) {
            guard let status = try? region.status("MA") else { return false }
            return status.outgoing.allSatisfy { $0.acknowledged == $0.sent && $0.oldestUnacknowledged == nil }
        }
        #expect(acknowledged, "\(String(describing: try? region.status("MA")))")
        let status = try region.status("MA")
        #expect(status.outgoing.first { $0.recipient == "DZ" }?.sent == 2)
        #expect(status.outgoing.first { $0.recipient == "TN" }?.sent == 1)

        // Metrics: asked from the node, and written for node_exporter's textfile collector.
        let metrics = try RegionHarness.bordernet(["status", "--metrics", "--data", #require(region.nodes["MA"]).path])
        #expect(metrics.contains("bordernet_bulletins_posted_total{type=\"drug-trafficking\"} 1"), "\(metrics)")
        #expect(metrics.contains("bordernet_receipts_received_total"))
        let textfile = try #require(region.nodes["DZ"]).appendingPathComponent("metrics.prom")
        #expect(waitUntil(seconds: 15) {
            ((try? String(contentsOf: textfile, encoding: .utf8)) ?? "").contains("bordernet_bulletins_received_total")
        })

        // `feed --follow` shows history, then a bulletin posted while it runs, once.
        let follower = Process()
        follower.executableURL = RegionHarness.executable
        follower.arguments = ["feed", "--data", try #require(region.nodes["TN"]).path, "--follow", "--json"]
        follower.environment = ProcessInfo.processInfo.environment.merging(["BORDERNET_SCHEMAS": RegionHarness.schemas.path]) { $1 }
        let pipe = Pipe()
        follower.standardOutput = pipe
        try follower.run()
        let collected = OutputCollector(pipe)
        #expect(waitUntil(seconds: 20) { collected.text.contains(toBoth.id) })
        let live = try region.post(from: "MA", example: "document-fraud", to: ["TN"])
        #expect(waitUntil(seconds: 30) { collected.text.contains(live.id) }, "\(collected.text)")
        kill(follower.processIdentifier, SIGINT)
        follower.waitUntilExit()
        #expect(follower.terminationStatus == 0)
        #expect(collected.text.split(separator: "\n").filter { $0.contains(live.id) }.count == 1, "shown more than once")

        // `feed --lang ar` shows the details labelled in Arabic: the field's label, and an
        // enumerated value by its label rather than its code.
        let arabic = try RegionHarness.bordernet(["feed", "--data", try #require(region.nodes["TN"]).path, "--lang", "ar"])
        #expect(arabic.contains("طبيعة التزوير: انتحال هوية (وثيقة أصلية يستعملها غير صاحبها)"), "\(arabic)")
        #expect(arabic.contains("متوسطة") && !arabic.contains("impostor") && !arabic.contains("fraudKind"), "\(arabic)")

        // A restart loses nothing and delivers nothing twice.
        region.stop("DZ")
        try region.start("DZ")
        #expect(try region.feedIDs("DZ") == [toBoth.id, toAlgeria.id])
        #expect(try region.feedIDs("TN") == [toBoth.id, live.id])
    }

    @Test("a member subscribing to another state's topic, or a key outside the roster, receives nothing")
    func subscriptionsAreChecked() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ", "TN"] { try region.addNode(state) }
        try region.signRoster(links: [("MA", "DZ"), ("MA", "TN")])
        try region.start("MA")
        try region.start("DZ")

        let ma = try NodeDirectory(path: #require(region.nodes["MA"]).path).loadCard()
        let tunisia = try NodeDirectory(path: #require(region.nodes["TN"]).path).loadIdentity()
        let context = try Context()
        let serverKey = try CurvePublicKey(rawRepresentation: ma.transportKey.rawRepresentation)
        // TN's real key, asking for DZ's topic; and a stranger's key asking for everything.
        let curious = try Socket(context, type: .subscriber)
        try curious.makeCurveClient(serverKey: serverKey, keyPair: CurveKeyPair(x25519: tunisia.transportKey))
        try curious.subscribe(Array("DZ".utf8))
        try curious.connect(ma.endpoints.publish)
        let stranger = try Socket(context, type: .subscriber)
        try stranger.makeCurveClient(serverKey: serverKey, keyPair: .generate())
        try stranger.subscribe([])
        try stranger.connect(ma.endpoints.publish)

        let refused = waitUntil(seconds: 20) {
            (try? region.status("MA"))?.rejections["TN"]?["notLinked"] ?? 0 >= 1
        }
        #expect(refused, "\(region.log("MA"))")
        let posted = try region.post(from: "MA", example: "human-trafficking", to: ["DZ"])
        #expect(waitUntil(seconds: 30) { (try? region.feedIDs("DZ")) == [posted.id] })
        // MA keeps publishing heartbeats and the envelope; neither raw socket may get a thing.
        var poller = Poller()
        poller.register(curious)
        poller.register(stranger)
        let deadline = Date().addingTimeInterval(3)
        var received = 0
        while Date() < deadline {
            for index in try poller.poll(timeoutMilliseconds: 100) {
                if try (index == 0 ? curious : stranger).receive(dontWait: true) != nil { received += 1 }
            }
        }
        #expect(received == 0)
    }

    @Test("post refuses each invalid example with the JSON pointer it names, and stores nothing")
    func invalidPostsAreRefused() throws {
        let region = try RegionHarness()
        try region.addNode("MA")
        try region.addNode("DZ")
        try region.signRoster(links: [("MA", "DZ")])
        try region.start("MA")
        let folder = RegionHarness.schemas.appendingPathComponent("examples/invalid")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 10)
        for name in files {
            let example = folder.appendingPathComponent(name)
            let marker = try #require(
                (try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])?["x-expected-error"]
                    as? [String: Any])
            let pointer = try #require(marker["pointer"] as? String)
            // Invalid only once issued with the id it names (a received bulletin): a draft has no
            // id of its own to compare with, so `post` cannot be refused for it.
            if marker["stage"] as? String == "issued" { continue }
            let draft = try RegionHarness.draft(of: example, in: region.root)
            let output = try RegionHarness.bordernet(
                ["post", "--data", #require(region.nodes["MA"]).path, "--file", draft.path], expectFailure: true)
            // Each failure is printed on its own line, starting with its pointer ("/" for the root).
            let printedPointer = pointer.isEmpty ? "/" : pointer
            #expect(output.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(printedPointer) }, "\(name): \(output)")
        }
        let status = try region.status("MA")
        #expect(status.outgoing.allSatisfy { $0.sent == 0 })
    }
}

extension RegionExchangeTests {
    @Test("posts sent together, valid and invalid mixed with a status request, each get their own answer")
    func batchedPosts() throws {
        let region = try RegionHarness()
        try region.addNode("MA")
        try region.addNode("DZ")
        try region.signRoster(links: [("MA", "DZ")])
        try region.start("MA")
        let examples = RegionHarness.schemas.appendingPathComponent("examples")
        let valid = try String(contentsOf: RegionHarness.draft(of: examples.appendingPathComponent("drug-trafficking.json"), in: region.root), encoding: .utf8)
        let invalidFolder = examples.appendingPathComponent("invalid")
        let invalidNames = try FileManager.default.contentsOfDirectory(atPath: invalidFolder.path).filter { $0.hasSuffix(".json") }.sorted().prefix(4)
        let invalid = try invalidNames.map {
            try String(contentsOf: RegionHarness.draft(of: invalidFolder.appendingPathComponent($0), in: region.root), encoding: .utf8)
        }
        // 8 valid and 4 invalid drafts interleaved, a status request in the middle, all written
        // before the node reads any: they reach it as one batch (validated on every core).
        var requests: [ControlRequest] = []
        for index in 0..<12 {
            requests.append(ControlRequest(command: .post, draft: Array((index % 3 == 2 ? invalid[index / 3] : valid).utf8)))
            if index == 5 { requests.append(ControlRequest(command: .status)) }
        }
        let context = try Context()
        let dealer = try Socket(context, type: .dealer)
        try dealer.connect(NodeDirectory(path: #require(region.nodes["MA"]).path).controlEndpoint)
        for request in requests { _ = try dealer.send(try request.frames()) }
        var responses: [ControlResponse] = []
        while responses.count < requests.count, let message = try receiveMessage(from: dealer, within: 30) {
            responses.append(try ControlResponse(frame: try #require(message.frames.last)))
        }
        #expect(responses.count == requests.count)
        let posted = responses.compactMap(\.posted)
        #expect(posted.count == 8)
        #expect(Set(posted.map(\.id)).count == 8)
        #expect(posted.flatMap(\.envelopes).map(\.sequence).sorted() == Array(1...8))
        let refused = responses.filter { !$0.ok }
        #expect(refused.count == 4)
        #expect(refused.allSatisfy { ($0.failures ?? []).isEmpty == false }, "\(refused)")
        #expect(responses.filter { $0.status != nil }.count == 1)
        #expect(try region.status("MA").outgoing.first { $0.recipient == "DZ" }?.sent == 8)
    }
}

/// Collects a process's output as it comes (bounded by the test's own waits).
final class OutputCollector: @unchecked Sendable {
    // @unchecked: the text is only touched under the lock.
    private let lock = NSLock()
    private var data = Data()

    init(_ pipe: Pipe) {
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            self?.lock.withLock { self?.data.append(chunk) }
        }
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
