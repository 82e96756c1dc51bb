import Audit
import Exchange
import Foundation
import NodeClient
import NodeSetup
import Testing
import Wire

/// Revocation after a compromise (issue 19, item 2), with real `bordernet` processes on
/// 127.0.0.1 asking for rosters every second: what the stolen keys signed after the compromise
/// time is flagged where it was already accepted and refused from then on; the state comes back
/// with new keys through the next roster.
@Suite("Revoking a state's keys", .serialized)
struct RevocationTests {
    /// The JSON lines of `bordernet feed --json` at `state`, with `extra` arguments.
    private func feed(_ region: RegionHarness, _ state: String, _ extra: [String] = []) throws -> [[String: Any]] {
        let data = try #require(region.nodes[state])
        let output = try RegionHarness.bordernet(["feed", "--data", data.path, "--json", "--limit", "10000"] + extra)
        return output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test(
        "DZ's keys are revoked from a compromise time: MA flags the DZ bulletins it accepted since (feed, --flagged, the live feed, the audit log), refuses what the stolen keys sign afterwards, and takes DZ back with new keys"
    )
    func revocationFlagsAndRefuses() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ", "XS"] { try region.addNode(state) }
        region.roles["XS"] = "secretariat"
        for state in ["MA", "DZ", "XS"] {
            try region.configure(state, table: "roster", key: "check_interval_ms", value: "1000")
        }
        try region.signRoster(links: [("DZ", "MA")])
        for state in ["XS", "MA", "DZ"] { try region.start(state) }
        let ma = try #require(region.nodes["MA"])
        let dz = try #require(region.nodes["DZ"])

        // Three bulletins before the compromise, four after it (the thief's, for all MA knows).
        let before = try region.postMany(from: "DZ", count: 3, to: ["MA"])
        // Stored at MA before the compromise time, too (a bulletin stored after it is flagged).
        #expect(waitUntil(seconds: 30) { region.incoming("MA", from: "DZ")?.received == 3 }, "\(region.exitedNodes())")
        let compromise = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 1.5).rounded(.down))
        Thread.sleep(until: compromise.addingTimeInterval(0.1))
        let after = try region.postMany(from: "DZ", count: 4, to: ["MA"])
        #expect(waitUntil(seconds: 30) { region.incoming("MA", from: "DZ")?.received == 7 }, "\(region.exitedNodes())")

        // MA's feed, subscribed before the revocation reaches it: the flags arrive live.
        let live = try FeedSubscription(directory: NodeDirectory(path: ma.path), incidentType: nil)
        let formatter = ISO8601DateFormatter()
        try RegionHarness.bordernet([
            "roster", "revoke", "DZ", "--since", formatter.string(from: compromise), "--reason", "server seized",
            "--data", region.secretariat.path,
        ])
        let second = region.root.appendingPathComponent("roster-2.signed")
        try RegionHarness.bordernet(["roster", "sign", "--data", region.secretariat.path, "--out", second.path])
        try RegionHarness.bordernet(["roster", "install", second.path, "--data", #require(region.nodes["XS"]).path])
        #expect(waitUntil(seconds: 20) { (try? region.status("MA").rosterVersion) == 2 }, "\(region.exitedNodes())")

        var liveFlags: [FlagNotice] = []
        let flagsArrived = waitUntil(seconds: 10) {
            while let event = try? live.nextEvent(timeoutMilliseconds: 100) {
                if case .flag(let flag) = event { liveFlags.append(flag) }
            }
            return liveFlags.count >= after.count
        }
        #expect(flagsArrived && liveFlags.map(\.bulletin) == after, "live flags: \(liveFlags)")
        #expect(liveFlags.allSatisfy { $0.incidentType == "migrant-smuggling" }, "live flags: \(liveFlags)")

        let since = Int64(compromise.timeIntervalSince1970 * 1_000)
        let lines = try feed(region, "MA")
        #expect(lines.compactMap { $0["id"] as? String } == before + after)
        for line in lines {
            let id = try #require(line["id"] as? String)
            if after.contains(id) {
                let flag = try #require(line["flag"] as? [String: Any], "\(id) is not flagged")
                #expect(flag["reason"] as? String == "revokedKey")
                #expect((flag["since"] as? NSNumber)?.int64Value == since)
                #expect((flag["rosterVersion"] as? NSNumber)?.uint64Value == 2)
                #expect(flag["incidentType"] as? String == "migrant-smuggling")
            } else {
                #expect(line["flag"] is NSNull, "\(id), posted before the compromise, is flagged")
            }
        }
        #expect(try feed(region, "MA", ["--flagged"]).compactMap { $0["id"] as? String } == after)

        // The stolen keys sign on: nothing more reaches MA (DZ is out of the roster, its
        // connections refused).
        let stolen = try region.postMany(from: "DZ", count: 1, to: ["MA"])
        Thread.sleep(forTimeInterval: 3)
        #expect(try region.feedIDs("MA") == before + after)

        // DZ comes back with new keys: roster 3 holds its new card and its link, installed by
        // hand on DZ (its old transport key is refused at the secretariat's node).
        try RegionHarness.bordernet(["keys", "rotate", "--data", dz.path])
        try RegionHarness.bordernet([
            "roster", "add", dz.appendingPathComponent("card.next.json").path, "--data", region.secretariat.path,
        ])
        try RegionHarness.bordernet(["roster", "link", "DZ", "MA", "--data", region.secretariat.path])
        let third = region.root.appendingPathComponent("roster-3.signed")
        try RegionHarness.bordernet(["roster", "sign", "--data", region.secretariat.path, "--out", third.path])
        try RegionHarness.bordernet(["roster", "install", third.path, "--data", #require(region.nodes["XS"]).path])
        try RegionHarness.bordernet(["roster", "install", third.path, "--data", dz.path])
        #expect(waitUntil(seconds: 20) { (try? region.status("MA").rosterVersion) == 3 }, "\(region.exitedNodes())")
        let back = try region.postMany(from: "DZ", count: 2, to: ["MA"])
        let received = waitUntil(seconds: 60) { (try? region.feedIDs("MA")) == before + after + back }
        #expect(
            received,
            "MA: \(String(describing: try? region.feedIDs("MA"))); stolen \(stolen), back \(back)\n\(region.exitedNodes())\nMA's log ends:\n\(region.log("MA").suffix(5_000))\nDZ's log ends:\n\(region.log("DZ").suffix(5_000))"
        )
        // The stolen keys' envelope took its place in MA's chain, refused unopened (410): DZ
        // counts the link delivered.
        #expect(
            waitUntil(seconds: 20) { region.outgoing("DZ", to: "MA")?.acknowledged == 10 },
            "\(String(describing: region.outgoing("DZ", to: "MA")))")
        // Signed with DZ's new keys after the compromise time: not flagged.
        #expect(try feed(region, "MA", ["--flagged"]).compactMap { $0["id"] as? String } == after)

        for state in ["MA", "DZ", "XS"] { region.stop(state) }
        let identity = try NodeDirectory(path: ma.path).loadIdentity()
        let log = try AuditLog(path: ma.appendingPathComponent("audit.sqlite").path, state: identity.state)
        let reviews = try log.entries(in: 0..<log.size).compactMap { entry -> AuditEvent? in
            if case .bulletinsFlagged = entry.event { return entry.event }
            return nil
        }
        #expect(
            reviews
                == [
                    .bulletinsFlagged(
                        origin: try StateCode("DZ"), since: Timestamp(millisecondsSinceEpoch: UInt64(since)), count: 4,
                        rosterVersion: 2)
                ])
    }
}
