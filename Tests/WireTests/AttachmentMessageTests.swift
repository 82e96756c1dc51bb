import Exchange
import Foundation
import Testing
import Wire

/// The attachment messages (docs/PROTOCOL.md §17.3, §17.4): the chunk request on the service
/// socket, its answer, the attachment receipt and its answer, and a post's files on the control
/// socket. Each decoder refuses what a hostile peer or client can send with the reason the node
/// counts, and round-trips what it accepts.
@Suite("Attachment messages: chunk requests, answers, a post's files")
struct AttachmentMessageTests {
    static let verb = Array("attachment".utf8)
    static let id = try! BulletinID(bytes: Array(1...16))
    static let place = AttachmentChunkPlace(bulletinID: id, number: 3, index: 0x0102_0304_0506_0708)

    static func u64(_ value: UInt64) -> [UInt8] { WireNumber.encode(value) }

    /// What `body` threw as a ``WireError`` (`nil` if it returned).
    static func wireError<Value>(_ body: () throws -> Value) -> WireError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? WireError
        }
    }

    // MARK: Chunk requests

    @Test("a chunk request is [\"attachment\", id (16), number (u64), index (u64)] and reads back")
    func requestRoundTrip() throws {
        let request = ServiceRequest.attachmentChunk(Self.place)
        #expect(request.frames == [Self.verb, Array(1...16), Self.u64(3), [1, 2, 3, 4, 5, 6, 7, 8]])
        #expect(try ServiceRequest(frames: request.frames) == request)
        for place in [
            AttachmentChunkPlace(bulletinID: Self.id, number: 1, index: 0),
            AttachmentChunkPlace(bulletinID: Self.id, number: .max, index: .max),
        ] {
            #expect(try ServiceRequest(frames: ServiceRequest.attachmentChunk(place).frames) == .attachmentChunk(place))
        }
        #expect(Self.place.description == "\(Self.id.ulid) #3 chunk 72623859790382856")
    }

    @Test("a chunk request's number is 1 … 65,535: 0 and 65,536 and more are refused as malformed")
    func requestNumbers() throws {
        for number: UInt64 in [0, 65_536, 1 << 32, .max] {
            let error = Self.wireError {
                try ServiceRequest(frames: [Self.verb, Self.id.bytes, Self.u64(number), Self.u64(0)])
            }
            #expect(
                error == .malformedField(message: "attachment request", field: "number", byteCount: 8, expected: 8),
                "\(number)")
            #expect(error?.reason == .malformedMessage)
        }
        #expect(
            try ServiceRequest(frames: [Self.verb, Self.id.bytes, Self.u64(65_535), Self.u64(0)])
                == .attachmentChunk(AttachmentChunkPlace(bulletinID: Self.id, number: 65_535, index: 0)))
        // A number frame of another length.
        #expect(
            Self.wireError { try ServiceRequest(frames: [Self.verb, Self.id.bytes, [0, 1], Self.u64(0)]) }
                == .malformedField(message: "attachment request", field: "number", byteCount: 2, expected: 8))
        #expect(
            Self.wireError {
                try ServiceRequest(frames: [Self.verb, Self.id.bytes, Self.u64(1), [0, 0, 0, 0, 0, 0, 0]])
            }
                == .malformedField(message: "attachment request", field: "index", byteCount: 7, expected: 8))
    }

    @Test("a chunk request's bulletin id is 16 bytes", arguments: [0, 1, 15, 17, 32])
    func requestIDLength(count: Int) {
        let error = Self.wireError {
            try ServiceRequest(frames: [Self.verb, [UInt8](repeating: 1, count: count), Self.u64(1), Self.u64(0)])
        }
        #expect(
            error == .malformedField(message: "attachment request", field: "bulletin", byteCount: count, expected: 16))
        #expect(error?.reason == .malformedMessage)
    }

    @Test("a chunk request has exactly 3 frames after its verb")
    func requestFrameCounts() {
        let frames = [Self.verb, Self.id.bytes, Self.u64(1), Self.u64(0)]
        for count in [1, 2, 3] {
            let error = Self.wireError { try ServiceRequest(frames: Array(frames.prefix(count))) }
            #expect(
                error == .frameCount(message: "attachment request", found: count - 1, expected: "3 after the verb"),
                "\(count) frames")
            #expect(error?.reason == .malformedMessage)
        }
        #expect(
            Self.wireError { try ServiceRequest(frames: frames + [[1]]) }
                == .frameCount(message: "attachment request", found: 4, expected: "3 after the verb"))
        // A verb that only starts like it is another verb.
        #expect(
            Self.wireError { try ServiceRequest(frames: [Array("attachments".utf8)] + frames.dropFirst()) }?.reason
                == .unknownMessageKind)
    }

    // MARK: Chunk answers

    @Test("an answer carries the place and the sealed chunk, or only the place when it is not served; both read back")
    func answerRoundTrip() throws {
        let served = AttachmentChunkAnswer(place: Self.place, sealed: [9, 8, 7])
        #expect(served.frames == [Self.verb, Array(1...16), Self.u64(3), [1, 2, 3, 4, 5, 6, 7, 8], [9, 8, 7]])
        #expect(try AttachmentChunkAnswer(frames: served.frames, maximumChunkBytes: 3) == served)
        let refused = AttachmentChunkAnswer(place: Self.place, sealed: nil)
        #expect(refused.frames.count == 4)
        #expect(try AttachmentChunkAnswer(frames: refused.frames, maximumChunkBytes: 3) == refused)
        // An empty fifth frame is a chunk of no bytes (which will not open), not "not served".
        let empty = try AttachmentChunkAnswer(frames: refused.frames + [[]], maximumChunkBytes: 3)
        #expect(empty.sealed == [])
        #expect(AttachmentChunkAnswer.isAttachmentAnswer(served.frames))
        #expect(!AttachmentChunkAnswer.isAttachmentAnswer([Array("roster".utf8), Self.u64(1)]))
        #expect(!AttachmentChunkAnswer.isAttachmentAnswer([]))
        // The request and the answer share the verb, and the answer's place frames are the request's.
        #expect(Array(served.frames.prefix(4)) == ServiceRequest.attachmentChunk(Self.place).frames)
    }

    @Test("a sealed chunk over the limit is refused as oversized; at the limit it is read")
    func oversized() throws {
        let limit = AttachmentCipher.chunkByteCount + AttachmentCipher.overheadByteCount
        #expect(limit == 65_552)
        let place = AttachmentChunkAnswer(place: Self.place, sealed: nil).frames
        let error = Self.wireError {
            try AttachmentChunkAnswer(
                frames: place + [[UInt8](repeating: 0, count: limit + 1)], maximumChunkBytes: limit)
        }
        #expect(error == .oversized(message: "attachment answer", byteCount: limit + 1, limit: limit))
        #expect(error?.reason == .oversized)
        let atLimit = try AttachmentChunkAnswer(
            frames: place + [[UInt8](repeating: 0, count: limit)], maximumChunkBytes: limit)
        #expect(atLimit.sealed?.count == limit)
    }

    @Test("an answer's shape: 4 or 5 frames, the verb, a 16-byte id, a number 1 … 65,535, 8-byte integers")
    func answerShapes() {
        let frames = [Self.verb, Self.id.bytes, Self.u64(1), Self.u64(0), [1]]
        func read(_ frames: [[UInt8]]) -> WireError? {
            Self.wireError { try AttachmentChunkAnswer(frames: frames, maximumChunkBytes: 100) }
        }
        for count in [0, 1, 2, 3] {
            #expect(
                read(Array(frames.prefix(count)))
                    == .frameCount(message: "attachment answer", found: count, expected: "4 or 5"))
        }
        #expect(read(frames + [[2]]) == .frameCount(message: "attachment answer", found: 6, expected: "4 or 5"))
        #expect(
            read([Array("envelopes".utf8)] + frames.dropFirst())
                == .unknownKind(message: "attachment answer", byteCount: 9))
        #expect(read([Array("envelopes".utf8)] + frames.dropFirst())?.reason == .unknownMessageKind)
        #expect(
            read([Self.verb, Array(Self.id.bytes.dropLast())] + frames.dropFirst(2))
                == .malformedField(message: "attachment answer", field: "bulletin", byteCount: 15, expected: 16))
        #expect(
            read([Self.verb, Self.id.bytes + [0]] + frames.dropFirst(2))
                == .malformedField(message: "attachment answer", field: "bulletin", byteCount: 17, expected: 16))
        for number: UInt64 in [0, 65_536] {
            #expect(
                read([Self.verb, Self.id.bytes, Self.u64(number), Self.u64(0), [1]])
                    == .malformedField(message: "attachment answer", field: "number", byteCount: 8, expected: 8),
                "\(number)")
        }
        #expect(
            read([Self.verb, Self.id.bytes, Self.u64(1), [0], [1]])
                == .malformedField(message: "attachment answer", field: "index", byteCount: 1, expected: 8))
        #expect(read(frames) == nil)
    }

    // MARK: Attachment receipts (§17.4)

    static let receiptVerb = Array("attachment-receipt".utf8)
    /// 132 bytes standing for a signed receipt: the service request carries them unchecked.
    static let signedReceipt = (0..<132).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    @Test("a receipt request is [\"attachment-receipt\", signed receipt] and reads back, its bytes untouched")
    func receiptRequestRoundTrip() throws {
        let request = ServiceRequest.attachmentReceipt(Self.signedReceipt)
        #expect(request.frames == [Self.receiptVerb, Self.signedReceipt])
        #expect(try ServiceRequest(frames: request.frames) == request)
        // The bytes are checked by the receipt check (§17.4), not by the transport: any length is
        // carried to it (the receipt check refuses what is not 132 bytes).
        for bytes: [UInt8] in [[], [1], Array(Self.signedReceipt.dropLast()), Self.signedReceipt + [0]] {
            #expect(try ServiceRequest(frames: [Self.receiptVerb, bytes]) == .attachmentReceipt(bytes))
        }
        // Not a chunk request, nor an envelope receipt, though verbs share a prefix.
        #expect(try ServiceRequest(frames: request.frames) != .attachmentChunk(Self.place))
        #expect(try ServiceRequest(frames: request.frames) != .receipt(Self.signedReceipt))
        #expect(
            try ServiceRequest(frames: [Array("receipt".utf8), Self.signedReceipt]) == .receipt(Self.signedReceipt))
    }

    @Test("a real signed receipt travels whole and verifies after the round trip")
    func receiptRequestCarriesAReceipt() throws {
        let dz = try NodeIdentity(
            state: StateCode("DZ"), nodeName: "dz-test",
            endpoints: NodeEndpoints(publish: "tcp://dz.example:7450", service: "tcp://dz.example:7451"))
        let receipt = AttachmentReceipt(
            link: Link(origin: try StateCode("MA"), recipient: dz.state), bulletinID: Self.id, number: 3,
            digest: AttachmentDigest.of([1, 2, 3]), receivedAt: Timestamp(millisecondsSinceEpoch: 1_740_873_600_000),
            held: true)
        let signed = try receipt.signed(by: dz)
        let read = try ServiceRequest(frames: ServiceRequest.attachmentReceipt(signed).frames)
        guard case .attachmentReceipt(let bytes) = read else {
            Issue.record("not read as an attachment receipt")
            return
        }
        #expect(bytes == signed && bytes.count == 132)
        #expect(try AttachmentReceipt(canonicalBytes: Array(bytes.prefix(68))) == receipt)
        #expect(dz.card.signingKey.isValidSignature(Array(bytes.suffix(64)), for: receipt.canonicalBytes))
    }

    @Test("a receipt request has exactly one frame after its verb")
    func receiptRequestFrameCounts() {
        for frames in [
            [Self.receiptVerb], [Self.receiptVerb, Self.signedReceipt, []], [Self.receiptVerb, [1], [2], [3]],
        ] {
            let error = Self.wireError { try ServiceRequest(frames: frames) }
            #expect(
                error == .frameCount(message: "attachment receipt", found: frames.count, expected: "2"),
                "\(frames.count) frames")
            #expect(error?.reason == .malformedMessage)
        }
        // Verbs that only start like it, or end like it, are other verbs.
        for verb in ["attachment-receipts", "attachment-receip", "Attachment-receipt", "attachment_receipt"] {
            #expect(
                Self.wireError { try ServiceRequest(frames: [Array(verb.utf8), Self.signedReceipt]) }?.reason
                    == .unknownMessageKind, "\(verb)")
        }
    }

    @Test("a receipt answer is [\"attachment-receipt\", id (16), number (u64)] and reads back")
    func receiptAnswerRoundTrip() throws {
        let answer = AttachmentReceiptAnswer(bulletinID: Self.id, number: 3)
        #expect(answer.frames == [Self.receiptVerb, Array(1...16), Self.u64(3)])
        #expect(try AttachmentReceiptAnswer(frames: answer.frames) == answer)
        for number: UInt16 in [1, 256, .max] {
            let answer = AttachmentReceiptAnswer(bulletinID: Self.id, number: number)
            #expect(try AttachmentReceiptAnswer(frames: answer.frames) == answer)
        }
        #expect(AttachmentReceiptAnswer.isReceiptAnswer(answer.frames))
        #expect(!AttachmentReceiptAnswer.isReceiptAnswer([Self.verb, Self.id.bytes, Self.u64(3), Self.u64(0)]))
        #expect(!AttachmentReceiptAnswer.isReceiptAnswer([]))
        // Neither a chunk answer: the requester tells them apart by the verb.
        #expect(!AttachmentChunkAnswer.isAttachmentAnswer(answer.frames))
        #expect(
            Self.wireError { try AttachmentChunkAnswer(frames: answer.frames, maximumChunkBytes: 100) }
                == .frameCount(message: "attachment answer", found: 3, expected: "4 or 5"))
    }

    @Test("a receipt answer's shape: 3 frames, the verb, a 16-byte id, a number 1 … 65,535 in 8 bytes")
    func receiptAnswerShapes() {
        let frames = [Self.receiptVerb, Self.id.bytes, Self.u64(1)]
        func read(_ frames: [[UInt8]]) -> WireError? { Self.wireError { try AttachmentReceiptAnswer(frames: frames) } }
        #expect(read(frames) == nil)
        for count in [0, 1, 2] {
            let error = read(Array(frames.prefix(count)))
            #expect(error == .frameCount(message: "attachment receipt answer", found: count, expected: "3"))
            #expect(error?.reason == .malformedMessage)
        }
        #expect(read(frames + [[]]) == .frameCount(message: "attachment receipt answer", found: 4, expected: "3"))
        #expect(
            read([Self.verb] + frames.dropFirst()) == .unknownKind(message: "attachment receipt answer", byteCount: 10))
        #expect(read([Self.verb] + frames.dropFirst())?.reason == .unknownMessageKind)
        for count in [0, 15, 17] {
            let error = read([Self.receiptVerb, [UInt8](repeating: 1, count: count), Self.u64(1)])
            #expect(
                error
                    == .malformedField(
                        message: "attachment receipt answer", field: "bulletin", byteCount: count, expected: 16),
                "\(count)")
            #expect(error?.reason == .malformedMessage)
        }
        #expect(
            read([Self.receiptVerb, Array(Self.id.bytes.dropLast()), Self.u64(1)])
                == .malformedField(message: "attachment receipt answer", field: "bulletin", byteCount: 15, expected: 16)
        )
        for number: UInt64 in [0, 65_536, 1 << 32, .max] {
            let error = read([Self.receiptVerb, Self.id.bytes, Self.u64(number)])
            #expect(
                error
                    == .malformedField(message: "attachment receipt answer", field: "number", byteCount: 8, expected: 8),
                "\(number)")
            #expect(error?.reason == .malformedMessage)
        }
        #expect(
            read([Self.receiptVerb, Self.id.bytes, Self.u64(65_535)]) == nil)
        for frame: [UInt8] in [[], [1], [0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 1]] {
            #expect(
                read([Self.receiptVerb, Self.id.bytes, frame])
                    == .malformedField(
                        message: "attachment receipt answer", field: "number", byteCount: frame.count, expected: 8))
        }
    }

    // MARK: A post's files on the control socket

    static let draft = Array(#"{"incidentType": "drug-trafficking"}"#.utf8)
    static let photo = AttachmentUpload(
        fileName: "seizure.jpg", caption: ["fr": "Saisie", "ar": "حجز"], shows: "vehicle-1")
    static let report = AttachmentUpload(fileName: "report.pdf", keepMetadata: true)

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a post's files travel as frames after the draft, one per entry of attachments, and read back")
    func postWithFiles() throws {
        let files: [[UInt8]] = [[0xFF, 0xD8, 0xFF], Array("%PDF-1.7".utf8)]
        let post = ControlRequest(
            command: .post, draft: Self.draft, recipients: ["DZ"], attachments: [Self.photo, Self.report], files: files)
        let frames = try post.frames()
        #expect(frames.count == 4)
        #expect(frames[1] == Self.draft && Array(frames[2...]) == files)
        let json = String(decoding: frames[0], as: UTF8.self)
        #expect(json.contains("seizure.jpg") && json.contains("attachments"))
        #expect(
            !json.contains("files") && !json.contains("PDF"),
            "the files' bytes travel in their own frames, never in the JSON")
        let read = try ControlRequest(frames: frames)
        #expect(read == post)
        #expect(read.attachments == [Self.photo, Self.report] && read.files == files)
        // The most files a post may carry: 16, after the JSON and the draft.
        #expect(ControlRequest.maximumAttachments == 16)
        let sixteen = ControlRequest(
            command: .post, draft: Self.draft, attachments: Array(repeating: Self.report, count: 16),
            files: (0..<16).map { [UInt8($0)] })
        #expect(try sixteen.frames().count == 18)
        #expect(try ControlRequest(frames: sixteen.frames()) == sixteen)
        // A post without files is as before.
        #expect(try ControlRequest(frames: ControlRequest(command: .post, draft: Self.draft).frames()).files == [])
    }

    @Test("17 files are refused, whatever the JSON says")
    func seventeenFiles() {
        let attachments = Array(repeating: #"{"fileName": "a.jpg"}"#, count: 17).joined(separator: ", ")
        let frames =
            [Self.json(#"{"command": "post", "attachments": [\#(attachments)]}"#), Self.draft]
            + (0..<17).map { [UInt8($0)] }
        #expect(frames.count == 19)
        do {
            _ = try ControlRequest(frames: frames)
            Issue.record("a post of 17 files was read")
        } catch {
            #expect(error.description.contains("at most 16"), "\(error)")
        }
    }

    @Test("the number of file frames must match attachments")
    func mismatchedCounts() {
        let two = #"[{"fileName": "a.jpg"}, {"fileName": "b.pdf"}]"#
        let cases: [(String, [[UInt8]])] = [
            (#"{"command": "post", "attachments": \#(two)}"#, [Self.draft, [1]]),
            (#"{"command": "post", "attachments": \#(two)}"#, [Self.draft, [1], [2], [3]]),
            (#"{"command": "post", "attachments": \#(two)}"#, [Self.draft]),
            (#"{"command": "post", "attachments": \#(two)}"#, []),
            (#"{"command": "post"}"#, [Self.draft, [1]]),
            (#"{"command": "post", "attachments": []}"#, [Self.draft, [1]]),
        ]
        for (json, rest) in cases {
            do {
                _ = try ControlRequest(frames: [Self.json(json)] + rest)
                Issue.record("read: \(json) with \(rest.count) frames after it")
            } catch {
                #expect(error.description.contains("file frames follow the draft"), "\(json): \(error)")
            }
        }
        // Matching counts are read.
        #expect(throws: Never.self) {
            try ControlRequest(frames: [
                Self.json(#"{"command": "post", "attachments": \#(two)}"#), Self.draft, [1], [2],
            ])
        }
        #expect(throws: Never.self) {
            try ControlRequest(frames: [Self.json(#"{"command": "post", "attachments": []}"#), Self.draft])
        }
    }

    @Test("only post carries frames after a second one; the files' bytes are never a JSON member")
    func otherCommands() {
        for command in ["status", "rosterInstall", "history", "ping", "watchList"] {
            do {
                _ = try ControlRequest(frames: [Self.json(#"{"command": "\#(command)"}"#), [1], [2]])
                Issue.record("\(command) with 3 frames was read")
            } catch {
                #expect(error.description.contains("only post carries attached files"), "\(command): \(error)")
            }
        }
        #expect(throws: ControlRequestError.self) {
            try ControlRequest(frames: [Self.json(#"{"command": "post", "files": ["AAAA"]}"#), Self.draft])
        }
        #expect(throws: ControlRequestError.self) {
            try ControlRequest(frames: [
                Self.json(#"{"command": "post", "attachments": [{"name": "a.jpg"}]}"#), Self.draft, [1],
            ])
        }
        // Files given to another command are not sent.
        let status = ControlRequest(command: .status, files: [[1]])
        #expect((try? status.frames())?.count == 1)
    }
}
