import Exchange
import Foundation
import NodeSetup
import Sodium
import Testing

/// The secretariat's roster key over time (issue 19, item 2): a hand-over the nodes follow by
/// the network, and a recovery with the offline backup key pinned at setup. Real processes.
@Suite("The secretariat's key: hand-over and recovery", .serialized)
struct SecretariatKeyTests {
    /// `secretariat init` in a new folder of the region (a key ceremony); its public key.
    private func ceremony(_ region: RegionHarness, _ name: String) throws -> (folder: URL, key: String) {
        let folder = region.root.appendingPathComponent(name)
        let output = try RegionHarness.bordernet(["secretariat", "init", "--data", folder.path, "--json"])
        let key = try #require(
            (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String])?["publicKey"])
        return (folder, key)
    }

    private func sign(_ folder: URL, _ region: RegionHarness, _ name: String) throws -> URL {
        let file = region.root.appendingPathComponent(name)
        try RegionHarness.bordernet(["roster", "sign", "--data", folder.path, "--out", file.path])
        return file
    }

    private func pinned(_ region: RegionHarness, _ state: String, _ file: String) -> String? {
        guard let data = region.nodes[state] else { return nil }
        return (try? String(contentsOf: data.appendingPathComponent(file), encoding: .utf8))?.trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    @Test(
        "a hand-over reaches every node and pins the new key, the old one is refused after; the backup key recovers a lost key the same way"
    )
    func handOverAndRecovery() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ", "XS"] { try region.addNode(state) }
        region.roles["XS"] = "secretariat"
        for state in ["MA", "DZ", "XS"] {
            try region.configure(state, table: "roster", key: "check_interval_ms", value: "1000")
        }
        // The backup key's ceremony, kept offline; every node pins it at setup.
        let backup = try ceremony(region, "backup")
        for state in ["MA", "DZ", "XS"] {
            try NodeDirectory(path: #require(region.nodes[state]).path).pinSecretariatBackupKey(
                Ed25519.PublicKey(rawRepresentation: Hex.decode(backup.key)))
        }
        try region.signRoster(links: [("MA", "DZ")])
        for state in ["XS", "MA", "DZ"] { try region.start(state) }
        let nodes = ["MA", "DZ", "XS"]

        // Hand-over: roster 2, signed by the key in use, announces the new key.
        let second = try ceremony(region, "sec-2")
        try RegionHarness.bordernet(["roster", "successor", second.key, "--data", region.secretariat.path])
        try RegionHarness.bordernet([
            "roster", "install", sign(region.secretariat, region, "r2.signed").path, "--data",
            #require(region.nodes["XS"]).path,
        ])
        #expect(waitUntil(seconds: 20) { nodes.allSatisfy { (try? region.status($0).rosterVersion) == 2 } })
        #expect(nodes.allSatisfy { pinned(region, $0, "secretariat-next.pub") == second.key })
        // Roster 3, signed by the new key with the draft handed over: every node pins it.
        try FileManager.default.removeItem(at: second.folder.appendingPathComponent("roster-draft.json"))
        try FileManager.default.copyItem(
            at: region.secretariat.appendingPathComponent("roster-draft.json"),
            to: second.folder.appendingPathComponent("roster-draft.json"))
        try RegionHarness.bordernet([
            "roster", "install", sign(second.folder, region, "r3.signed").path, "--data",
            #require(region.nodes["XS"]).path,
        ])
        #expect(
            waitUntil(seconds: 20) { nodes.allSatisfy { (try? region.status($0).rosterVersion) == 3 } },
            "\(region.log("MA").suffix(2_000))")
        #expect(
            nodes.allSatisfy {
                pinned(region, $0, "secretariat.pub") == second.key && pinned(region, $0, "secretariat-next.pub") == nil
            })
        // The old key signs nothing a node takes any more.
        let forged = try sign(region.secretariat, region, "r-old-key.signed")
        let refusal = try RegionHarness.bordernet(
            ["roster", "install", forged.path, "--data", #require(region.nodes["MA"]).path], expectFailure: true)
        #expect(refusal.contains("badSignature") || refusal.contains("signature"), "\(refusal)")
        #expect(try region.status("MA").rosterVersion == 3)

        // Recovery: the new key is lost. The backup key signs roster 4, announcing a third key…
        let third = try ceremony(region, "sec-3")
        for folder in [backup.folder, third.folder] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent("roster-draft.json"))
            try FileManager.default.copyItem(
                at: second.folder.appendingPathComponent("roster-draft.json"),
                to: folder.appendingPathComponent("roster-draft.json"))
        }
        try RegionHarness.bordernet(["roster", "successor", third.key, "--data", backup.folder.path])
        try RegionHarness.bordernet([
            "roster", "install", sign(backup.folder, region, "r4.signed").path, "--data",
            #require(region.nodes["XS"]).path,
        ])
        #expect(waitUntil(seconds: 20) { nodes.allSatisfy { (try? region.status($0).rosterVersion) == 4 } })
        #expect(nodes.allSatisfy { pinned(region, $0, "secretariat-next.pub") == third.key })
        // …which signs roster 5 from the backup's draft: every node pins it.
        try FileManager.default.removeItem(at: third.folder.appendingPathComponent("roster-draft.json"))
        try FileManager.default.copyItem(
            at: backup.folder.appendingPathComponent("roster-draft.json"),
            to: third.folder.appendingPathComponent("roster-draft.json"))
        try RegionHarness.bordernet([
            "roster", "install", sign(third.folder, region, "r5.signed").path, "--data",
            #require(region.nodes["XS"]).path,
        ])
        #expect(waitUntil(seconds: 20) { nodes.allSatisfy { (try? region.status($0).rosterVersion) == 5 } })
        #expect(nodes.allSatisfy { pinned(region, $0, "secretariat.pub") == third.key })

        // Bulletins flowed throughout; one more after the recovery.
        let posted = try region.post(from: "MA", example: "drug-trafficking", to: ["DZ"])
        #expect(waitUntil(seconds: 30) { (try? region.feedIDs("DZ"))?.contains(posted.id) == true })
        for state in nodes { region.stop(state) }
    }
}
