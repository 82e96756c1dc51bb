import Foundation
import Testing

@testable import Wire

@Suite("Control frames read and written without JSONEncoder/JSONDecoder")
struct ControlFrameTests {
    /// The JSON object of `bytes`, for comparing two writers' output regardless of member order.
    private func object(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test(
        "a post's answer is written directly, is the JSON JSONEncoder writes (member order aside) and reads back, even with quotes, backslashes, controls and Arabic in its strings",
        arguments: [
            PostedBulletin(id: "MA-01JN8SMHN0F25SPHBKNXW0JX05", envelopes: []),
            PostedBulletin(
                id: "MA-01JN8SMHN0F25SPHBKNXW0JX05", envelopes: [PostedEnvelope(recipient: "DZ", sequence: 1)]),
            PostedBulletin(
                id: "a\"b\\c\u{01}\n\u{1F}d المغرب",
                envelopes: [
                    PostedEnvelope(recipient: "DZ", sequence: UInt64.max),
                    PostedEnvelope(recipient: "T\"N", sequence: 0),
                    PostedEnvelope(recipient: "ES", sequence: 42),
                ]),
        ])
    func postedAnswer(posted: PostedBulletin) throws {
        let response = ControlResponse(ok: true, posted: posted)
        let written = try #require(response.postedFrame())
        #expect(try response.frame() == written)
        #expect(try object(written) == object(Array(JSONEncoder().encode(response))))
        #expect(try ControlResponse(frame: written) == response)
    }

    @Test(
        "ControlResponse has the members postedFrame() checks are absent: a new member must be added there, or a post's answer would drop it"
    )
    func postedFrameKnowsEveryMember() {
        let members = Mirror(reflecting: ControlResponse(ok: true)).children.compactMap(\.label)
        #expect(
            members == [
                "ok", "error", "failures", "unreadable", "posted", "status", "bulletins", "metrics", "watchEntries",
                "roster",
            ])
    }

    @Test("any other answer goes through JSONEncoder: a refusal, or a post's answer with anything beside it")
    func otherAnswers() throws {
        let posted = PostedBulletin(
            id: "MA-01JN8SMHN0F25SPHBKNXW0JX05", envelopes: [PostedEnvelope(recipient: "DZ", sequence: 3)])
        for response in [
            ControlResponse.failure("no", failures: ["/x: wrong"]), ControlResponse(ok: false, posted: posted),
            ControlResponse(ok: true, error: "odd", posted: posted),
            ControlResponse(ok: true, posted: posted, metrics: "m 1"),
            ControlResponse(ok: true),
        ] {
            #expect(response.postedFrame() == nil)
            #expect(try ControlResponse(frame: response.frame()) == response)
        }
    }

    @Test(
        "a request of a command and a post's recipients reads as JSONDecoder reads it; any other shape still goes through it, with its errors"
    )
    func simpleRequests() throws {
        func read(_ json: String, draft: [UInt8]? = nil) throws(ControlRequestError) -> ControlRequest {
            try ControlRequest(frames: [Array(json.utf8)] + (draft.map { [$0] } ?? []))
        }
        let draft = Array(#"{"incidentType":"migrant-smuggling"}"#.utf8)
        #expect(try read(#"{"command":"ping"}"#) == ControlRequest(command: .ping))
        #expect(
            try read(#"{"command":"post","recipients":["DZ","TN"]}"#, draft: draft)
                == ControlRequest(command: .post, draft: draft, recipients: ["DZ", "TN"]))
        #expect(
            try read(#"{"command":"post","recipients":[]}"#, draft: draft)
                == ControlRequest(command: .post, draft: draft, recipients: []))
        #expect(
            try read(#"{"command":"post","recipients":null}"#, draft: draft)
                == ControlRequest(command: .post, draft: draft))
        // Made by the client's own encoder, as the CLI and the console send it.
        let sent = ControlRequest(command: .post, draft: draft, recipients: ["MR"])
        #expect(try ControlRequest(frames: sent.frames()) == sent)

        #expect(throws: ControlRequestError.self) { try read(#"{"command":"post","recipients":[1]}"#, draft: draft) }
        #expect(throws: ControlRequestError.self) { try read(#"{"command":"launch"}"#) }
        #expect(throws: ControlRequestError.self) { try read(#"{"command":7}"#) }
        #expect(throws: ControlRequestError.self) { try read(#"{"recipients":["DZ"]}"#) }
        #expect(throws: ControlRequestError.self) { try read(#"{"command":"status"}"#, draft: draft) }
        let wrongType = #expect(throws: ControlRequestError.self) {
            try read(#"{"command":"post","recipients":"DZ"}"#, draft: draft)
        }
        #expect(wrongType?.description.contains("recipients") == true)
    }
}
