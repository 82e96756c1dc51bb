import Audit
import Exchange
import Foundation
import NodeSetup
import Testing

/// Keys over time (issue 19, item 1): a node rotates its keys while it posts, without stopping;
/// real `bordernet` processes on 127.0.0.1, rosters checked every second.
@Suite("Key rotation without stopping", .serialized)
struct KeyRotationTests {
    @Test(
        "MA rotates its keys while posting 1,000 bulletins to DZ and TN: all arrive once, in order, acknowledged; TN, down meanwhile, opens the pre-rotation ones by replay"
    )
    func rotationWhilePosting() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ", "TN", "XS"] { try region.addNode(state) }
        region.roles["XS"] = "secretariat"
        for state in ["MA", "DZ", "TN", "XS"] {
            try region.configure(state, table: "roster", key: "check_interval_ms", value: "1000")
        }
        try region.signRoster(links: [("MA", "DZ"), ("MA", "TN")])
        for state in ["XS", "MA", "DZ"] { try region.start(state) }
        let ma = try #require(region.nodes["MA"])
        let oldCard = try NodeDirectory(path: ma.path).loadCard()
        let pid = region.pid("MA")

        var ids = try region.postMany(from: "MA", count: 300, to: ["DZ", "TN"])
        // The rotation: next keys beside the running node, their card in roster 2 (the old keys
        // trusted for what they signed before a day from now), installed on MA while it posts.
        let rotation = try RegionHarness.bordernet(["keys", "rotate", "--data", ma.path, "--json"])
        let nextCard = try #require(
            (try JSONSerialization.jsonObject(with: Data(rotation.utf8)) as? [String: String])?["card"])
        // The old keys are trusted for what they sign during the next 15 s only: the last posts,
        // after that, are refused everywhere unless MA really signs with its new key.
        try RegionHarness.bordernet(["roster", "add", nextCard, "--valid-from", "+15s", "--data", region.secretariat.path])
        let oldKeysUntil = Date().addingTimeInterval(15)
        let second = region.root.appendingPathComponent("roster-2.signed")
        try RegionHarness.bordernet(["roster", "sign", "--data", region.secretariat.path, "--out", second.path])
        let install = Process()
        RegionHarness.prepare(install, arguments: ["roster", "install", second.path, "--data", ma.path], umask: nil)
        install.environment = ProcessInfo.processInfo.environment.merging([
            "BORDERNET_SCHEMAS": RegionHarness.schemas.path
        ]) { $1 }
        install.standardOutput = FileHandle.nullDevice
        try install.run()
        ids += try region.postMany(from: "MA", count: 400, to: ["DZ", "TN"])
        install.waitUntilExit()
        #expect(install.terminationStatus == 0)
        // The secretariat's node gets it too; DZ and TN fetch it from there.
        try RegionHarness.bordernet(["roster", "install", second.path, "--data", #require(region.nodes["XS"]).path])
        if Date() < oldKeysUntil { Thread.sleep(until: oldKeysUntil.addingTimeInterval(1)) }
        ids += try region.postMany(from: "MA", count: 300, to: ["DZ", "TN"])
        #expect(ids.count == 1_000 && Set(ids).count == 1_000)

        let newCard = try NodeDirectory(path: ma.path).loadCard()
        #expect(newCard != oldCard && newCard.signingKey != oldCard.signingKey, "MA did not switch to its next keys")
        #expect(region.pid("MA") == pid, "MA restarted")
        #expect(try region.status("MA").rosterVersion == 2)

        try region.start("TN")
        let delivered = waitUntil(seconds: 120) {
            ["DZ", "TN"].allSatisfy { state in
                region.incoming(state, from: "MA")?.received == 1_000
                    && region.outgoing("MA", to: state)?.acknowledged == 1_000
            }
        }
        #expect(
            delivered,
            "DZ \(String(describing: region.incoming("DZ", from: "MA"))) TN \(String(describing: region.incoming("TN", from: "MA"))) MA→DZ \(String(describing: region.outgoing("MA", to: "DZ"))) MA→TN \(String(describing: region.outgoing("MA", to: "TN")))\n\(region.exitedNodes())\n\(region.log("TN").suffix(3_000))"
        )
        for state in ["DZ", "TN"] {
            let received = try region.feedIDs(state)
            #expect(
                received == ids,
                "\(state): \(received.count) bulletins, \(Set(received).count) distinct, in order: \(received == ids)")
        }

        for state in ["MA", "DZ", "TN", "XS"] { region.stop(state) }
        let identity = try NodeDirectory(path: ma.path).loadIdentity()
        let log = try AuditLog(path: ma.appendingPathComponent("audit.sqlite").path, state: identity.state)
        let events = try log.entries(in: 0..<log.size).map(\.event)
        #expect(events.contains(.keysRotated(rosterVersion: 2)))
        let retired = try FileManager.default.contentsOfDirectory(
            atPath: ma.appendingPathComponent("keys.retired").path)
        #expect(retired.count == 1, "\(retired)")
    }
}

extension KeyRotationTests {
    @Test("DZ, a recipient, rotates: MA installs the roster first and seals to DZ's next key, which DZ opens; then DZ switches and nothing is refused")
    func recipientRotation() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ", "XS"] { try region.addNode(state) }
        region.roles["XS"] = "secretariat"
        for state in ["MA", "XS"] { try region.configure(state, table: "roster", key: "check_interval_ms", value: "1000") }
        // DZ asks seldom: MA has the new roster long before DZ does.
        try region.configure("DZ", table: "roster", key: "check_interval_ms", value: "600000")
        try region.signRoster(links: [("MA", "DZ")])
        for state in ["XS", "MA", "DZ"] { try region.start(state) }
        let dz = try #require(region.nodes["DZ"])
        var ids = try region.postMany(from: "MA", count: 20, to: ["DZ"])

        try RegionHarness.bordernet(["keys", "rotate", "--data", dz.path])
        try RegionHarness.bordernet(["roster", "add", dz.appendingPathComponent("card.next.json").path, "--data", region.secretariat.path])
        let second = region.root.appendingPathComponent("roster-2.signed")
        try RegionHarness.bordernet(["roster", "sign", "--data", region.secretariat.path, "--out", second.path])
        try RegionHarness.bordernet(["roster", "install", second.path, "--data", #require(region.nodes["XS"]).path])
        #expect(waitUntil(seconds: 20) { (try? region.status("MA").rosterVersion) == 2 })
        #expect(try region.status("DZ").rosterVersion == 1)
        // Sealed to DZ's next encryption key: DZ holds it since `keys rotate`.
        ids += try region.postMany(from: "MA", count: 30, to: ["DZ"])
        #expect(waitUntil(seconds: 30) { region.incoming("DZ", from: "MA")?.received == 50 })
        // DZ installs roster 2 and switches; MA goes on.
        try RegionHarness.bordernet(["roster", "install", second.path, "--data", dz.path])
        #expect(!FileManager.default.fileExists(atPath: dz.appendingPathComponent("keys.next").path), "DZ did not switch")
        ids += try region.postMany(from: "MA", count: 30, to: ["DZ"])
        let delivered = waitUntil(seconds: 30) {
            region.incoming("DZ", from: "MA")?.received == 80 && region.outgoing("MA", to: "DZ")?.acknowledged == 80
        }
        #expect(delivered, "\(String(describing: region.incoming("DZ", from: "MA"))) \(String(describing: region.outgoing("MA", to: "DZ")))")
        #expect(try region.feedIDs("DZ") == ids)
        let rejections = try region.status("DZ").rejections
        #expect(rejections["MA"]?["decryptionFailed"] == nil, "\(rejections)")
        for state in ["MA", "DZ", "XS"] { region.stop(state) }
    }
}
