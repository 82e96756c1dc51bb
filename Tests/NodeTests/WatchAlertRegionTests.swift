import Exchange
import Foundation
import GRDB
import NodeClient
import NodeSetup
import SearchIndex
import Testing
import Wire

/// Watch-lists on a real node (issue 18, item 4): an entry added through the control socket, a
/// bulletin from a neighbour that matches it → an alert on the feed's `alert` topic (numbers
/// only), in `watchlists.sqlite` and in the audit log as metadata; durable across a rebuilt index
/// and a restart.
@Suite("Watch-lists and alerts on real nodes", .serialized)
struct WatchAlertRegionTests {
    /// The document-fraud example naming `person` (no id, no test marker).
    func documentFraud(person: [String: String]) throws -> [String: Any] {
        let example = RegionHarness.schemas.appendingPathComponent("examples/document-fraud.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])
        object["id"] = nil
        object["x-expected-error"] = nil
        var details = try #require(object["details"] as? [String: Any])
        details["holderName"] = person
        details["mrz"] = nil
        var people = try #require(details["people"] as? [[String: Any]])
        people[0]["name"] = person
        details["people"] = people
        object["details"] = details
        return object
    }

    @Test(
        "watch add through the control socket; a bulletin naming محمد بن يوسف alerts the entry for Mohamed Ben Youssef on the feed, in alerts and in the audit log"
    )
    func alertOnArrival() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ"] { try region.addNode(state) }
        try region.signRoster(links: [("MA", "DZ"), ("DZ", "MA")])
        for state in ["MA", "DZ"] { try region.start(state) }
        let dz = try #require(region.nodes["DZ"])

        let added = try RegionHarness.bordernet(
            [
                "watch", "add", "--data", dz.path, "--owner", "operator", "--kind", "name", "--value",
                "Mohamed Ben Youssef", "--label", "suspect", "--json",
            ])
        let entry = try JSONDecoder().decode(WatchListItem.self, from: Data(added.utf8))
        #expect(entry.scope.kind == "everything")
        let listed = try RegionHarness.bordernet(["watch", "list", "--data", dz.path, "--owner", "operator", "--json"])
        #expect(try JSONDecoder().decode([WatchListItem].self, from: Data(listed.utf8)).map(\.id) == [entry.id])

        // Refusals name what is wrong, and nothing is added.
        let client = ControlClient(directory: NodeDirectory(path: dz.path))
        let refusals: [(WatchRequest, String)] = [
            (WatchRequest(owner: "root", kind: "name", value: "x"), "watch.owner"),
            (WatchRequest(owner: "user:amina\u{7}", kind: "name", value: "x"), "watch.owner"),
            (WatchRequest(owner: "operator", kind: "horoscope", value: "x"), "watch.kind"),
            (WatchRequest(owner: "operator", kind: "name", value: String(repeating: "x", count: 5_000)), "watch.value"),
            (WatchRequest(owner: "user:amina", kind: "name", value: "Karim Haddad"), "watch.scope"),
            (
                WatchRequest(
                    owner: "user:amina", kind: "name", value: "Karim Haddad",
                    scope: WatchScope(kind: "restricted", workingGroups: ["police"], tlps: ["GREEN"])), "police"
            ),
            (WatchRequest(owner: "operator", kind: "name", value: "Karim", label: "two\nlines"), "label"),
        ]
        for (request, reason) in refusals {
            let response = try client.send(ControlRequest(command: .watchAdd, watch: request))
            #expect(!response.ok && (response.error ?? "").contains(reason), "\(response)")
        }
        let removeOther = try client.send(
            ControlRequest(command: .watchRemove, watch: WatchRequest(owner: "user:amina", entry: entry.id)))
        #expect(!removeOther.ok)
        #expect(try client.send(ControlRequest(command: .watchAdd)).ok == false)
        let duplicate = try client.send(
            ControlRequest(
                command: .watchAdd, watch: WatchRequest(owner: "operator", kind: "name", value: "mohamed ben youssef")))
        #expect(!duplicate.ok && (duplicate.error ?? "").contains("already watches"), "\(duplicate)")

        let alerts = try AlertSubscription(directory: NodeDirectory(path: dz.path))
        let file = region.root.appendingPathComponent("draft-watch.json")
        try JSONSerialization.data(withJSONObject: try documentFraud(person: ["arabic": "محمد بن يوسف"])).write(
            to: file)
        let output = try RegionHarness.bordernet([
            "post", "--data", try #require(region.nodes["MA"]).path, "--file", file.path, "--json",
        ])
        let posted = try JSONDecoder().decode(PostedBulletin.self, from: Data(output.utf8))

        var received: AlertMessage?
        let deadline = ContinuousClock.now + .seconds(30)
        while received == nil, ContinuousClock.now < deadline {
            received = try alerts.next(timeoutMilliseconds: 200)
        }
        let alert = try #require(received, "no alert on the feed\n\(region.log("DZ"))")
        #expect(alert.bulletin == posted.id)
        #expect(alert.entry == entry.id)
        #expect(alert.score >= 0.8)

        // The owner and the reason are read from watchlists.sqlite by the node's user, never from the feed.
        func backlog() throws -> [[String: Any]] {
            let output = try RegionHarness.bordernet(["alerts", "--data", dz.path, "--json"])
            return output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
        let lines = try backlog()
        #expect(lines.count == 1)
        #expect(lines.first?["alert"] as? Int64 == alert.alert && lines.first?["bulletin"] as? String == posted.id)
        #expect(lines.first?["owner"] as? String == "operator")
        #expect((lines.first?["reason"] as? String ?? "").contains("محمد بن يوسف"), "\(lines)")

        var audited = ""
        let inAudit = waitUntil(seconds: 10) {
            audited =
                (try? RegionHarness.bordernet(
                    [
                        "audit", "entries", "--data", dz.path, "--kind", "alertRaised", "--kind", "watchListChanged",
                        "--json",
                    ])) ?? ""
            return audited.contains("alertRaised")
        }
        #expect(inAudit, "\(audited)")
        #expect(audited.contains(posted.id) && audited.contains("\"added\""))
        // Metadata only: never the value watched or the label.
        #expect(!audited.contains("Youssef") && !audited.contains("suspect") && !audited.contains("يوسف"))
        func auditedAlerts() -> Int {
            let output =
                (try? RegionHarness.bordernet(["audit", "entries", "--data", dz.path, "--kind", "alertRaised", "--json"]))
                ?? ""
            return output.split(separator: "\n").filter { $0.contains("alertRaised") }.count
        }
        #expect(auditedAlerts() == 1)

        // search.sqlite removed: the rebuilt index raises no alert again; the next one gets a greater number.
        region.stop("DZ")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dz.path + "/search.sqlite" + suffix) }
        try region.start("DZ")
        let second = try RegionHarness.bordernet([
            "post", "--data", try #require(region.nodes["MA"]).path, "--file", file.path, "--json",
        ])
        let secondID = try JSONDecoder().decode(PostedBulletin.self, from: Data(second.utf8)).id
        // Read from watchlists.sqlite, not the live feed: the feed subscription reconnects to the
        // restarted node on its own schedule and may miss an alert published before it did.
        var secondLine: [String: Any]?
        let secondRaised = waitUntil(seconds: 30) {
            secondLine = (try? backlog())?.first { $0["bulletin"] as? String == secondID }
            return secondLine != nil
        }
        #expect(secondRaised, "no second alert\n\(region.log("DZ"))")
        let secondNumber = secondLine?["alert"] as? Int64 ?? 0
        #expect(secondNumber > alert.alert, "\(String(describing: secondLine))")
        #expect(waitUntil(seconds: 10) { auditedAlerts() == 2 })
        #expect(try backlog().compactMap { $0["bulletin"] as? String } == [posted.id, secondID])

        // Raised but not published when the node stopped (a crash): published and audited at the next start.
        region.kill("DZ")
        let queue = try DatabaseQueue(path: dz.path + "/watchlists.sqlite")
        try queue.write { db in
            try db.execute(sql: "UPDATE alert_progress SET published_through = ?", arguments: [alert.alert])
        }
        try queue.close()
        try region.start("DZ")
        #expect(waitUntil(seconds: 10) { auditedAlerts() == 3 }, "\(region.log("DZ"))")
        #expect(try backlog().count == 2)

        // A crash between the index's commit and the alerts' (the second alert never committed, the
        // alerts' position behind): raised at the next start, once, then published and audited.
        region.kill("DZ")
        let behind = try DatabaseQueue(path: dz.path + "/watchlists.sqlite")
        try behind.write { db in
            try db.execute(sql: "DELETE FROM alert WHERE bulletin = ?", arguments: [secondID])
            try db.execute(sql: "UPDATE alert_progress SET alerted_stored_at = NULL, alerted_id = NULL")
        }
        try behind.close()
        try region.start("DZ")
        #expect(waitUntil(seconds: 30) { auditedAlerts() == 4 }, "\(region.log("DZ"))")
        let raisedAgain = try backlog()
        #expect(raisedAgain.compactMap { $0["bulletin"] as? String } == [posted.id, secondID])
        #expect((raisedAgain.last?["alert"] as? Int64 ?? 0) > secondNumber)

        // Without search, an entry would never alert: refused.
        region.stop("DZ")
        try region.configure("DZ", table: "search", key: "enabled", value: "false")
        try region.start("DZ")
        let refused = try client.send(
            ControlRequest(command: .watchAdd, watch: WatchRequest(owner: "operator", kind: "name", value: "Karim Haddad")))
        #expect(!refused.ok && (refused.error ?? "").contains("search"), "\(refused)")

        let removed = try RegionHarness.bordernet([
            "watch", "remove", "--data", dz.path, "--owner", "operator", "--entry", "\(entry.id)",
        ])
        #expect(removed.contains("removed"))
        let after = try RegionHarness.bordernet(["watch", "list", "--data", dz.path, "--owner", "operator", "--json"])
        #expect(try JSONDecoder().decode([WatchListItem].self, from: Data(after.utf8)).isEmpty)
    }
}
