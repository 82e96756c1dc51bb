import Exchange
import Testing
import Wire

/// What a hostile peer can put in frames: each decoder refuses it with the reason the node
/// counts, and nothing traps (docs/PROTOCOL.md §16.5).
@Suite("Malformed wire messages")
struct MalformedMessageTests {
    static let eight = [UInt8](repeating: 0xFF, count: 8)

    @Test("publications: frame count, unknown kind, oversized envelope, heartbeat length")
    func publications() throws {
        let topic = Array("DZ".utf8)
        let cases: [([[UInt8]], RejectionReason)] = [
            ([topic, Publication.envelopeKind], .malformedMessage),
            ([topic, Publication.envelopeKind, [1], [2]], .malformedMessage),
            ([topic, Array("X".utf8), [1]], .unknownMessageKind),
            ([topic, Publication.envelopeKind, [UInt8](repeating: 0, count: 1_025)], .oversized),
            ([topic, Publication.heartbeatKind, [UInt8](repeating: 0, count: 15)], .malformedMessage),
            ([topic, Publication.heartbeatKind, [UInt8](repeating: 0, count: 17)], .malformedMessage),
        ]
        for (frames, reason) in cases {
            #expect(throws: WireError.self) { try Publication(frames: frames, maximumEnvelopeBytes: 1_024) }
            do {
                _ = try Publication(frames: frames, maximumEnvelopeBytes: 1_024)
            } catch {
                #expect(error.reason == reason, "\(error)")
            }
        }
        // The largest values a heartbeat can carry decode without trapping.
        let extreme = Publication.heartbeat(latest: .max, acknowledged: .max)
        #expect(try Publication(frames: extreme.frames(to: try StateCode("DZ")), maximumEnvelopeBytes: 1) == extreme)
    }

    @Test("service requests: unknown verbs, wrong shapes, malformed audit requests answered apart")
    func serviceRequests() throws {
        func reason(_ frames: [[UInt8]]) -> WireError? {
            do {
                _ = try ServiceRequest(frames: frames)
                return nil
            } catch {
                return error
            }
        }
        #expect(reason([])?.reason == .malformedMessage)
        #expect(reason([Array("replay".utf8)])?.reason == .malformedMessage)
        #expect(reason([Array("replay".utf8), [0, 1]])?.reason == .malformedMessage)
        #expect(reason([Array("receipt".utf8)])?.reason == .malformedMessage)
        #expect(reason([Array("replay!".utf8), Self.eight])?.reason == .unknownMessageKind)
        #expect(reason([Array("audit-head".utf8), Self.eight]) == .malformedAuditRequest(verb: "audit-head"))
        #expect(reason([Array("audit-entries".utf8), Self.eight]) == .malformedAuditRequest(verb: "audit-entries"))
        #expect(reason([Array("audit-entries".utf8), Self.eight, [1]]) == .malformedAuditRequest(verb: "audit-entries"))
        #expect(reason([Array("audit-nothing".utf8)]) == .malformedAuditRequest(verb: "audit-nothing"))
        #expect(try ServiceRequest(frames: [Array("replay".utf8), Self.eight]) == .replay(after: .max))
        #expect(try ServiceRequest(frames: [Array("audit-entries".utf8), Self.eight, Self.eight]) == .audit(.entries(from: .max, count: .max)))
    }

    @Test("replay answers: verb, latest, batch limit")
    func replayAnswers() throws {
        #expect(throws: WireError.self) { try ReplayBatch(frames: [Array("envelopes".utf8)], maximumEnvelopes: 2) }
        #expect(throws: WireError.notAReplayAnswer(verbByteCount: 8)) { try ReplayBatch(frames: [Array("envelope".utf8), Self.eight], maximumEnvelopes: 2) }
        #expect(WireError.notAReplayAnswer(verbByteCount: 8).reason == .malformedMessage)
        #expect(throws: WireError.self) { try ReplayBatch(frames: [Array("envelopes".utf8), [1, 2]], maximumEnvelopes: 2) }
        #expect(throws: WireError.tooManyEnvelopes(count: 3, limit: 2)) {
            try ReplayBatch(frames: [Array("envelopes".utf8), Self.eight, [1], [2], [3]], maximumEnvelopes: 2)
        }
        let batch = try ReplayBatch(frames: [Array("envelopes".utf8), Self.eight, [1], [2]], maximumEnvelopes: 2)
        #expect(batch == ReplayBatch(latest: .max, envelopes: [[1], [2]]))
    }

    @Test("audit answers: each kind round-trips; an answer of another kind answers nothing")
    func auditAnswers() throws {
        let answers: [AuditAnswer] = [.head([1]), .consistency([2]), .inclusion([3]), .entries(from: 7, [[4], [5]]), .refused(reason: "no")]
        for answer in answers { #expect(try AuditAnswer(frames: answer.frames) == answer) }
        #expect(AuditAnswer.head([1]).answers(.head))
        #expect(!AuditAnswer.head([1]).answers(.entries(from: 0, count: 1)))
        #expect(!AuditAnswer.entries(from: 7, []).answers(.entries(from: 8, count: 1)))
        #expect(AuditAnswer.refused(reason: "x").answers(.inclusion(index: 0, treeSize: 1)))
        #expect(throws: WireError.self) { try AuditAnswer(frames: [Array("audit-head".utf8)]) }
        #expect(throws: WireError.self) { try AuditAnswer(frames: [Array("audit-entries".utf8), [1]]) }
    }

    @Test("a refusal's reason reads back as itself, however its frame ends (Fuzz/Regressions/FuzzWire)")
    func refusalReasons() throws {
        let verb = AuditAnswer.refusedVerb
        let limit = AuditAnswer.maximumReasonBytes
        let ascii = [UInt8](repeating: UInt8(ascii: "a"), count: limit - 2)
        // Two invalid bytes at the limit were read as two 3-byte replacement characters (4,100
        // bytes), which encoded to a frame whose first 4,096 bytes read as one: another reason.
        let frames: [[[UInt8]]] = [
            [verb, ascii + [0xFF, 0xFF]],
            [verb, ascii + [0xFF, 0xFF, 0xFF, 0xFF]],
            [verb, [UInt8](repeating: 0xFF, count: limit + 10)],
            [verb, ascii + [0x61, 0xC3, 0xA9]],
            [verb, ascii + Array("😀".utf8)],
            [verb, [0xC3]],
            [verb],
            [verb, [], [1]],
        ]
        for frames in frames {
            let answer = try AuditAnswer(frames: frames)
            guard case .refused(let reason) = answer else {
                Issue.record("not a refusal: \(answer)")
                continue
            }
            #expect(reason.utf8.count <= limit)
            let again = try AuditAnswer(frames: answer.frames)
            guard case .refused(let readBack) = again else {
                Issue.record("not a refusal: \(again)")
                continue
            }
            #expect(Array(readBack.utf8) == Array(reason.utf8), "\(frames.count) frames, \(frames.last?.count ?? 0) bytes")
        }
        // A reason that fits and is UTF-8 is read as it is.
        let text = String(repeating: "é", count: limit / 2)
        #expect(try AuditAnswer(frames: [verb, Array(text.utf8)]) == .refused(reason: text))
    }

    @Test("control requests: the draft travels as its own frame, only for post")
    func controlRequests() throws {
        let draft = Array(#"{"incidentType": "arms-trafficking", "title": {"ar": "\"ضبط\""}}"#.utf8)
        let post = ControlRequest(command: .post, draft: draft, recipients: ["DZ"])
        let frames = try post.frames()
        #expect(frames.count == 2 && frames[1] == draft)
        #expect(!String(decoding: frames[0], as: UTF8.self).contains("incidentType"))
        #expect(try ControlRequest(frames: frames) == post)
        #expect(try ControlRequest(frames: ControlRequest(command: .status).frames()) == ControlRequest(command: .status))
        #expect(throws: ControlRequestError.self) { try ControlRequest(frames: [Array(#"{"command": "status"}"#.utf8), draft]) }
        #expect(throws: ControlRequestError.self) { try ControlRequest(frames: [Array(#"{"command": "launch"}"#.utf8)]) }
        #expect(throws: ControlRequestError.self) { try ControlRequest(frames: [[0xFF]]) }
        #expect(throws: ControlRequestError.self) { try ControlRequest(frames: []) }
        // Strict: an unknown member is refused, and the old draft-in-JSON form says what changed.
        #expect(throws: ControlRequestError.self) { try ControlRequest(frames: [Array(#"{"command": "status", "force": true}"#.utf8)]) }
        do {
            _ = try ControlRequest(frames: [Array(#"{"command": "post", "bulletin": "{}"}"#.utf8)])
            Issue.record("a draft inside the JSON was accepted")
        } catch {
            #expect(error.description.contains("second frame"), "\(error)")
        }
    }

    @Test("recordAccess: the accesses travel in the JSON frame, typed; an unknown action or outcome, a second frame, or a record of the wrong shape is refused")
    func recordAccessRequests() throws {
        let request = ControlRequest(
            command: .recordAccess,
            accesses: [
                ConsoleAccessRecord(account: 7, role: "reader", action: .openBulletin, outcome: .refused, bulletin: "MA-01JN8SMHN0F25SPHBKNXW0JX05"),
                ConsoleAccessRecord(account: 0, role: nil, action: .signIn, outcome: .lockedOut),
            ])
        let frames = try request.frames()
        #expect(frames.count == 1)
        #expect(try ControlRequest(frames: frames) == request)
        for json in [
            #"{"command": "recordAccess", "accesses": [{"account": 1, "action": "search", "outcome": "succeeded"}]}"#,
            #"{"command": "recordAccess", "accesses": [{"account": 1, "action": "signIn", "outcome": "maybe"}]}"#,
            #"{"command": "recordAccess", "accesses": [{"account": "amina", "action": "signIn", "outcome": "succeeded"}]}"#,
            #"{"command": "recordAccess", "accesses": {"account": 1}}"#,
        ] {
            #expect(throws: ControlRequestError.self, "\(json)") { try ControlRequest(frames: [Array(json.utf8)]) }
        }
        #expect(throws: ControlRequestError.self) { try ControlRequest(frames: [frames[0], [1, 2]]) }
    }

    @Test("recordAccess: agency accesses travel beside console ones, typed; a full request of 64 + 8 records with 100 references each fits the frame; wrong shapes are refused")
    func agencyAccessRequests() throws {
        let reference = "MA-01JN8SMHN0F25SPHBKNXW0JX05"
        let request = ControlRequest(
            command: .recordAccess,
            agencyAccesses: [
                AgencyAccessRecord(agency: 3, outcome: .delivered, bulletins: [reference]), AgencyAccessRecord(agency: 0, outcome: .refused),
            ])
        let frames = try request.frames()
        #expect(try ControlRequest(frames: frames) == request)
        let json = String(decoding: frames[0], as: UTF8.self)
        #expect(json.contains(#""agencyAccesses":[{"#) && json.contains(#""outcome":"delivered""#), "\(json)")
        // The largest request the console sends stays within the frame's bound.
        let page = Array(repeating: reference, count: AgencyAccessRecord.maximumBulletins)
        let largest = ControlRequest(
            command: .recordAccess,
            accesses: Array(
                repeating: ConsoleAccessRecord(account: 1 << 52, role: "operator", action: .openBulletin, outcome: .notFound, bulletin: reference),
                count: ConsoleAccessRecord.maximumPerRequest),
            agencyAccesses: Array(
                repeating: AgencyAccessRecord(agency: 1 << 52, outcome: .delivered, bulletins: page), count: AgencyAccessRecord.maximumPerRequest))
        let largestFrames = try largest.frames()
        #expect(largestFrames[0].count < 40_000 && largestFrames[0].count <= ControlRequest.maximumRequestBytes, "\(largestFrames[0].count)")
        #expect(try ControlRequest(frames: largestFrames) == largest)
        for json in [
            #"{"command": "recordAccess", "agencyAccesses": [{"agency": 1, "outcome": "stolen", "bulletins": []}]}"#,
            #"{"command": "recordAccess", "agencyAccesses": [{"agency": "ma-customs", "outcome": "refused", "bulletins": []}]}"#,
            #"{"command": "recordAccess", "agencyAccesses": [{"agency": 1, "outcome": "delivered"}]}"#,
            #"{"command": "recordAccess", "agencyAccesses": [{"agency": 1, "outcome": "delivered", "bulletins": "MA-01JN8SMHN0F25SPHBKNXW0JX05"}]}"#,
            #"{"command": "recordAccess", "agencyAccess": []}"#,
        ] {
            #expect(throws: ControlRequestError.self, "\(json)") { try ControlRequest(frames: [Array(json.utf8)]) }
        }
    }

    @Test("feed messages: three frames")
    func feedMessages() throws {
        let message = FeedMessage(incidentType: "arms-trafficking", origin: "MA", body: Array("{}".utf8))
        #expect(try FeedMessage(frames: message.frames) == message)
        #expect(throws: WireError.self) { try FeedMessage(frames: [[1], [2]]) }
    }

    @Test("numbers: 8 big-endian bytes, any other length refused")
    func numbers() {
        for value: UInt64 in [0, 1, 255, 256, .max - 1, .max] { #expect(WireNumber.decode(WireNumber.encode(value)) == value) }
        #expect(WireNumber.encode(1) == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(WireNumber.decode([UInt8](repeating: 0, count: 7)) == nil)
        #expect(WireNumber.decode([UInt8](repeating: 0, count: 9)) == nil)
    }
}
