import Foundation
import Testing
import Wire

@Suite("Watch-list control members and feed alerts")
struct WatchMessagesTests {
    @Test(
        "an alert is two frames, topic 'alert' then JSON of numbers only (no owner, no reason), and reads back; anything else is not an alert"
    )
    func alertFrames() throws {
        let alert = AlertMessage(
            alert: 12, entry: 3, bulletin: "DZ-01JN8SMHN0F25SPHBKNXW0JX05", score: 0.93, raisedAt: 1_740_830_400_000)
        let frames = alert.frames
        #expect(frames.count == 2 && frames[0] == Array("alert".utf8))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(frames[1])) as? [String: Any])
        #expect(Set(object.keys) == ["alert", "entry", "bulletin", "score", "raisedAt"])
        #expect(AlertMessage(frames: frames) == alert)
        #expect(AlertMessage(frames: [Array("alert".utf8)]) == nil)
        #expect(AlertMessage(frames: frames + [[]]) == nil)
        #expect(AlertMessage(frames: [Array("migrant-smuggling".utf8), frames[1]]) == nil)
        #expect(AlertMessage(frames: [frames[0], Array("{\"alert\":1}".utf8)]) == nil)
        #expect(
            AlertMessage(frames: [frames[0], [UInt8](repeating: 0x20, count: AlertMessage.maximumBytes + 1)]) == nil)
        // A bulletin on the feed is three frames: never read as an alert.
        let bulletin = FeedMessage(incidentType: "alert", origin: "DZ", body: Array("{}".utf8))
        #expect(AlertMessage(frames: bulletin.frames) == nil)
    }

    @Test("watch commands carry 'watch' in the JSON frame; its members round-trip; a second frame is refused")
    func controlMember() throws {
        let request = ControlRequest(
            command: .watchAdd,
            watch: WatchRequest(
                owner: "agency:douane", kind: "document", value: "MAR:AB123456", label: "volé",
                scope: WatchScope(
                    kind: "restricted", workingGroups: ["customs"], tlps: ["CLEAR", "GREEN"], permittedHandling: [])))
        let frames = try request.frames()
        #expect(frames.count == 1)
        #expect(try ControlRequest(frames: frames) == request)
        #expect(throws: ControlRequestError.self) { try ControlRequest(frames: frames + [Array("x".utf8)]) }
        #expect(throws: ControlRequestError.self) {
            try ControlRequest(frames: [Array(#"{"command":"watchAdd","watch":{"kind":"name"}}"#.utf8)])
        }
        #expect(throws: ControlRequestError.self) {
            try ControlRequest(frames: [Array(#"{"command":"watchAdd","watch":[]}"#.utf8)])
        }
        let list = ControlResponse(
            ok: true,
            watchEntries: [
                WatchListItem(
                    id: 1, owner: "operator", kind: "name", value: "x", label: nil, scope: .everything, createdAt: 1)
            ])
        #expect(try ControlResponse(frame: list.frame()) == list)
    }
}
