import Foundation
import Testing

@testable import Node

/// The node reads posts with a faster reader than `JSONDecoder`; both must read every request
/// the same way.
@Suite("Control requests: the fast post reader agrees with JSONDecoder")
struct ControlRequestDecoderTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("posts with and without recipients, with escapes and non-ASCII text, read alike")
    func postsAgree() throws {
        let requests = [
            #"{"command":"post","bulletin":"{\"title\":{\"text\":\"Saisie\",\"language\":\"fr\"}}"}"#,
            #"{"command":"post","bulletin":"{}","recipients":["DZ","TN"]}"#,
            #"{"recipients":[],"bulletin":"{\"a\":\"\u0645\u0647\u0631\u0628\u0648\u0646 — é\\n\"}","command":"post"}"#,
            #"{"command":"post","bulletin":null,"recipients":null}"#,
            #" { "command" : "post" , "bulletin" : "x" } "#,
        ]
        for text in requests {
            let fast = try #require(ControlRequestDecoder.fastPost(Self.bytes(text)), "\(text)")
            let general = try JSONDecoder().decode(ControlRequest.self, from: Data(text.utf8))
            #expect(fast == general, "\(text)")
            #expect(try ControlRequestDecoder.decode(Self.bytes(text)) == general)
        }
    }

    @Test("anything else is left to JSONDecoder, which accepts or refuses it as before")
    func othersFallBack() throws {
        let accepted = [
            #"{"command":"status"}"#,
            #"{"command":"history","query":{"limit":5,"includeOwn":true}}"#,
            #"{"command":"post","bulletin":"{}","extra":1}"#,
        ]
        for text in accepted {
            #expect(ControlRequestDecoder.fastPost(Self.bytes(text)) == nil, "\(text)")
            #expect(try ControlRequestDecoder.decode(Self.bytes(text)) == JSONDecoder().decode(ControlRequest.self, from: Data(text.utf8)))
        }
        let refused = [
            #"{"command":"post","bulletin":42}"#,
            #"{"command":"post","recipients":"DZ"}"#,
            #"{"command":"post","recipients":["DZ",1]}"#,
            #"{"command":"launch"}"#,
            #"["post"]"#,
            "not json",
        ]
        for text in refused {
            #expect(ControlRequestDecoder.fastPost(Self.bytes(text)) == nil, "\(text)")
            #expect(throws: (any Error).self, "\(text)") { try ControlRequestDecoder.decode(Self.bytes(text)) }
        }
    }
}
