import Audit
import Exchange
import Foundation
import NodeSetup
import Testing
import Wire
import ZeroMQ

/// Rosters that reach every node by the network and take effect without a restart (issue 19,
/// item 3): real `bordernet` processes on 127.0.0.1, each asking every second.
@Suite("Rosters distributed by the network", .serialized)
struct RosterDistributionTests {
    /// A region of MA, DZ, TN and the secretariat's node XS, checking for rosters every second.
    private func region(links: [(String, String)], start: [String]) throws -> RegionHarness {
        let region = try RegionHarness()
        for state in ["MA", "DZ", "TN", "XS"] { try region.addNode(state) }
        region.roles["XS"] = "secretariat"
        for state in ["MA", "DZ", "TN", "XS"] {
            try region.configure(state, table: "roster", key: "check_interval_ms", value: "1000")
        }
        try region.signRoster(links: links)
        for state in start { try region.start(state) }
        return region
    }

    private func entries(_ region: RegionHarness, _ state: String) throws -> [AuditEvent] {
        let data = try #require(region.nodes[state])
        let identity = try NodeDirectory(path: data.path).loadIdentity()
        let log = try AuditLog(path: data.appendingPathComponent("audit.sqlite").path, state: identity.state)
        return try log.entries(in: 0..<log.size).map(\.event)
    }

    @Test(
        "a roster installed at the secretariat's node reaches every node within seconds, in force without a restart: a new link carries a bulletin"
    )
    func distributedAndLive() throws {
        let region = try region(links: [("MA", "DZ"), ("DZ", "MA")], start: ["XS", "MA", "DZ", "TN"])
        let pids = ["MA", "DZ", "TN"].map { region.pid($0) }

        // Roster 2 links MA and TN; only the secretariat's node gets it by hand.
        let second = try region.signNextRoster(addLinks: [("MA", "TN"), ("TN", "MA")], name: "roster-2.signed")
        let output = try RegionHarness.bordernet([
            "roster", "install", second.path, "--data", #require(region.nodes["XS"]).path, "--json",
        ])
        let answer = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        #expect(
            answer?["version"] as? Int == 2 && answer?["nodeRunning"] as? Bool == true
                && answer?["changed"] as? Bool == true, "\(output)")

        let reached = waitUntil(seconds: 20) {
            ["MA", "DZ", "TN"].allSatisfy { (try? region.status($0).rosterVersion) == 2 }
        }
        #expect(
            reached,
            "rosters: \(["MA", "DZ", "TN"].map { (try? region.status($0).rosterVersion) ?? 0 })\n\(region.log("TN"))")
        #expect(["MA", "DZ", "TN"].map { region.pid($0) } == pids, "a node restarted")

        // The new link works at once, both ways, without a restart.
        let toTunisia = try region.post(from: "MA", example: "drug-trafficking", to: ["TN"])
        let fromTunisia = try region.post(from: "TN", example: "drug-trafficking", to: ["MA"])
        #expect(
            waitUntil(seconds: 30) { (try? region.feedIDs("TN"))?.contains(toTunisia.id) == true },
            "\(region.log("TN"))")
        #expect(
            waitUntil(seconds: 30) { (try? region.feedIDs("MA"))?.contains(fromTunisia.id) == true },
            "\(region.log("MA"))")
        #expect(waitUntil(seconds: 30) { region.outgoing("MA", to: "TN")?.acknowledged == 1 })

        // The file on disk is the new roster (a restart keeps it), and each install is audited.
        for state in ["MA", "DZ", "TN"] {
            let installed = try NodeDirectory(path: #require(region.nodes[state]).path).loadRoster()
            #expect(installed?.version == 2, "\(state)")
        }
        for state in ["MA", "DZ", "TN", "XS"] { region.stop(state) }
        for state in ["MA", "DZ", "TN", "XS"] {
            #expect(
                try entries(region, state).contains(.rosterInstalled(version: 2)), "\(state) did not audit roster 2")
        }
    }

    @Test(
        "a state removed by the next roster: its connections are cut and refused, it cannot post to its neighbour; it refuses the roster itself"
    )
    func removedState() throws {
        let region = try region(links: [("MA", "DZ"), ("DZ", "MA"), ("MA", "TN")], start: ["XS", "MA", "DZ", "TN"])
        #expect(waitUntil(seconds: 30) { region.outgoing("MA", to: "DZ")?.subscribed == true })

        let third = try region.signNextRoster(remove: ["DZ"], name: "roster-2.signed")
        // Handed to MA by its operator; TN fetches it from MA (its origin) or the secretariat.
        _ = try RegionHarness.bordernet(["roster", "install", third.path, "--data", #require(region.nodes["MA"]).path])
        #expect(try region.status("MA").rosterVersion == 2)
        #expect(try region.status("MA").outgoing.map(\.recipient) == ["TN"])
        #expect(waitUntil(seconds: 20) { (try? region.status("TN").rosterVersion) == 2 })

        // DZ's subscriber and requester reconnect and are refused by MA's ZAP: DZ's key is gone.
        let refused = waitUntil(seconds: 20) {
            (try? region.status("MA").rejections["?"]?["unknownTransportKey"]) ?? 0 >= 1
        }
        let rejections = try region.status("MA").rejections
        #expect(refused, "\(rejections)\n\(region.log("MA"))")
        let dzPost = try region.post(from: "DZ", example: "drug-trafficking", to: ["MA"])
        Thread.sleep(forTimeInterval: 3)
        #expect(try region.feedIDs("MA").contains(dzPost.id) == false, "MA took a bulletin from a removed state")
        // The closed links' gauges leave MA's metrics; TN's stays.
        let metrics = try RegionHarness.bordernet(["status", "--metrics", "--data", #require(region.nodes["MA"]).path])
        #expect(
            !metrics.contains("bordernet_link_lag_envelopes{origin=\"DZ\"}")
                && !metrics.contains("bordernet_link_unacknowledged_envelopes{recipient=\"DZ\"}"), "\(metrics)")
        #expect(metrics.contains("bordernet_link_unacknowledged_envelopes{recipient=\"TN\"}"), "\(metrics)")

        // DZ is handed roster 2 by hand while it runs: it does not list DZ, so the node refuses it.
        let refusal = try RegionHarness.bordernet(
            ["roster", "install", third.path, "--data", #require(region.nodes["DZ"]).path], expectFailure: true)
        #expect(refusal.contains("does not list DZ"), "\(refusal)")
        #expect(try region.status("DZ").rosterVersion == 1)
        region.stop("DZ")
        #expect(try entries(region, "DZ").contains(.rosterRefused(source: nil, version: 2, reason: .notThisNodesCard)))
        for state in ["MA", "TN", "XS"] { region.stop(state) }
    }

    @Test(
        "a hostile secretariat endpoint: a forged roster is refused and audited, an answer not asked for is refused, a valid one is installed"
    )
    func hostileSource() throws {
        let region = try region(links: [("MA", "DZ")], start: [])
        let next = try region.signNextRoster(addLinks: [("DZ", "MA")], name: "roster-2.signed")
        let valid = [UInt8](try Data(contentsOf: next))
        var forged = valid
        forged[forged.count - 1] ^= 0x01

        // The test plays the secretariat's node: it holds XS's transport key and binds its service.
        let secretariat = try NodeDirectory(path: #require(region.nodes["XS"]).path).loadIdentity()
        let context = try Context()
        let router = try Socket(context, type: .router)
        try router.makeCurveServer(secretKey: CurveKeyPair(x25519: secretariat.transportKey).secretKey)
        try router.bind(secretariat.card.endpoints.service)
        try region.start("MA")

        func nextRequest() throws -> (routingID: [UInt8], version: UInt64) {
            let message = try #require(try receiveMessage(from: router, within: 10), "MA did not ask for a roster")
            let request = try ServiceRequest(frames: Array(message.frames.dropFirst()))
            guard case .roster(let version) = request else { throw UnexpectedRequest(request: request) }
            return (message.frames[0], version)
        }

        let first = try nextRequest()
        #expect(first.version == 1)
        try router.send([first.routingID] + RosterAnswer(installedVersion: 2, signedRoster: forged).frames)
        // An answer nobody asked for (the request was just answered).
        try router.send([first.routingID] + RosterAnswer(installedVersion: 2, signedRoster: valid).frames)
        let refusedBoth = waitUntil(seconds: 10) {
            guard let status = try? region.status("MA") else { return false }
            return status.rejections["XS"]?["implausibleClaim"] ?? 0 >= 1
        }
        let rejections = try region.status("MA").rejections
        #expect(refusedBoth, "\(rejections)")
        #expect(try region.status("MA").rosterVersion == 1, "MA installed a forged or unasked-for roster")

        let second = try nextRequest()
        #expect(second.version == 1)
        try router.send([second.routingID] + RosterAnswer(installedVersion: 2, signedRoster: valid).frames)
        #expect(waitUntil(seconds: 10) { (try? region.status("MA").rosterVersion) == 2 })

        // Asked again with version 2, it gets the version only; the answer is not refused.
        let third = try nextRequest()
        #expect(third.version == 2)
        try router.send([third.routingID] + RosterAnswer(installedVersion: 2, signedRoster: nil).frames)
        region.stop("MA")
        router.close()
        let events = try entries(region, "MA")
        #expect(
            events.contains(.rosterRefused(source: try StateCode("XS"), version: 0, reason: .badSignature)), "\(events)"
        )
        #expect(events.contains(.rosterInstalled(version: 2)))
    }

    @Test(
        "a node serves its roster to a member that holds an older one, the version to one that holds it, and throttles a flood"
    )
    func serving() throws {
        let region = try region(links: [("MA", "DZ")], start: ["MA"])
        let ma = try NodeDirectory(path: #require(region.nodes["MA"]).path).loadCard()
        let algeria = try NodeDirectory(path: #require(region.nodes["DZ"]).path).loadIdentity()
        let context = try Context()
        let dealer = try Socket(context, type: .dealer)
        try dealer.setOption(.maxMessageSize(bytes: 2 << 20))
        try dealer.makeCurveClient(
            serverKey: CurvePublicKey(rawRepresentation: ma.transportKey.rawRepresentation),
            keyPair: CurveKeyPair(x25519: algeria.transportKey))
        try dealer.connect(ma.endpoints.service)

        try dealer.send(ServiceRequest.roster(installedVersion: 0).frames)
        let full = try RosterAnswer(
            frames: #require(try receiveMessage(from: dealer, within: 10)).frames, maximumRosterBytes: 1 << 20)
        let installed = [UInt8](
            try Data(contentsOf: #require(region.nodes["MA"]).appendingPathComponent("roster.signed")))
        #expect(full.installedVersion == 1 && full.signedRoster == installed)

        // Again at once: throttled (no answer), counted.
        try dealer.send(ServiceRequest.roster(installedVersion: 0).frames)
        #expect(try receiveMessage(from: dealer, within: 2) == nil)
        #expect(waitUntil(seconds: 10) { (try? region.status("MA").rejections["DZ"]?["throttled"]) ?? 0 >= 1 })

        // Holding the same version: the version only.
        Thread.sleep(forTimeInterval: 0.6)
        try dealer.send(ServiceRequest.roster(installedVersion: 1).frames)
        let same = try RosterAnswer(
            frames: #require(try receiveMessage(from: dealer, within: 10)).frames, maximumRosterBytes: 1 << 20)
        #expect(same == RosterAnswer(installedVersion: 1, signedRoster: nil))
        dealer.close()
        region.stop("MA")
    }
}

/// MA sent the test's secretariat endpoint something other than a roster request.
private struct UnexpectedRequest: Error {
    let request: ServiceRequest
}
