import Foundation
import Testing

/// A node whose keys are not the ones the roster carries must not start: its neighbours would
/// refuse everything it signs.
@Suite("Roster card check at start")
struct RosterCardCheckTests {
    @Test("a node with rotated keys but the old roster refuses to start and says what to install")
    func rotatedKeysWithoutRoster() throws {
        let region = try RegionHarness()
        let ma = try region.addNode("MA")
        try region.addNode("DZ")
        try region.signRoster(links: [("MA", "DZ")])
        // New keys and card in place, as in a rotation, before the roster that carries them.
        let rotation = region.root.appendingPathComponent("rotation")
        try RegionHarness.bordernet([
            "init", "--state", "MA", "--name", "ma-1", "--data", rotation.path, "--secretariat-key", region.secretariatKey,
        ])
        let files = FileManager.default
        try files.removeItem(at: ma.appendingPathComponent("keys"))
        try files.removeItem(at: ma.appendingPathComponent("card.json"))
        try files.moveItem(at: rotation.appendingPathComponent("keys"), to: ma.appendingPathComponent("keys"))
        try files.moveItem(at: rotation.appendingPathComponent("card.json"), to: ma.appendingPathComponent("card.json"))

        let output = try RegionHarness.bordernet(["node", "run", "--data", ma.path], expectFailure: true)
        #expect(output.contains("holds another card for MA"), "\(output)")
    }
}
