import Exchange
import Foundation
import Sodium
import Testing
import Wire

/// The typed messages of the Wire target against the committed vectors of docs/PROTOCOL.md §16
/// (Tests/Vectors/transport.json, built from the chapter by Tests/ExchangeTests/VectorGenerator):
/// every vector decodes to the message it describes, and encoding that message gives the
/// vector's bytes again.
@Suite("Transport vectors against the typed wire messages")
struct TransportVectorTests {
    struct TransportFile: Decodable {
        struct Message: Decodable {
            let desc: String
            let message: String
            let framesHex: [String]
            let topic: String?
            let kind: String?
            let latest: UInt64?
            let acknowledged: UInt64?
            let after: UInt64?
            let arguments: [UInt64]?
            let text: String?
            let bulletinId: String?
        }
        let messages: [Message]
    }

    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Vectors/transport.json")

    static func load() throws -> TransportFile {
        try JSONDecoder().decode(TransportFile.self, from: Data(contentsOf: vectors))
    }

    @Test("every vector decodes to its message, and the message encodes to the vector's bytes")
    func vectorsRoundTrip() throws {
        let file = try Self.load()
        #expect(file.messages.count >= 10)
        var seen = Set<String>()
        for vector in file.messages {
            seen.insert(vector.message)
            let frames = try vector.framesHex.map { try Hex.decode($0) }
            switch vector.message {
            case "subscription":
                // libzmq writes this frame when a SUB subscribes to the recipient's topic.
                let state = try StateCode(try #require(vector.topic))
                #expect(frames == [[1] + Publication.topic(state)], "\(vector.desc)")
            case "envelope", "heartbeat":
                let state = try StateCode(try #require(vector.topic))
                let publication = try Publication(frames: frames, maximumEnvelopeBytes: 128 * 1_024)
                switch publication {
                case .envelope(let bytes):
                    #expect(vector.kind == "E", "\(vector.desc)")
                    _ = try Envelope(bytes: bytes)
                case .heartbeat(let latest, let acknowledged):
                    #expect(vector.kind == "H", "\(vector.desc)")
                    #expect(latest == vector.latest && acknowledged == vector.acknowledged, "\(vector.desc)")
                }
                #expect(publication.frames(to: state) == frames, "\(vector.desc)")
            case "replay", "receipt":
                let request = try ServiceRequest(frames: frames)
                switch request {
                case .replay(let after): #expect(after == vector.after, "\(vector.desc)")
                case .receipt(let bytes): _ = try SignedReceipt(serializedBytes: bytes)
                case .audit, .roster, .attachmentChunk, .attachmentReceipt: Issue.record("\(vector.desc): read as another request")
                }
                #expect(request.frames == frames, "\(vector.desc)")
            case "envelopes":
                let batch = try ReplayBatch(frames: frames, maximumEnvelopes: 10_000)
                #expect(batch.latest == vector.latest, "\(vector.desc)")
                for envelope in batch.envelopes { _ = try Envelope(bytes: envelope) }
                #expect(batch.frames == frames, "\(vector.desc)")
            case "roster":
                let request = try ServiceRequest(frames: frames)
                #expect(request == .roster(installedVersion: vector.arguments?.first ?? 0), "\(vector.desc)")
                #expect(request.frames == frames, "\(vector.desc)")
            case "roster-answer":
                let answer = try RosterAnswer(frames: frames, maximumRosterBytes: 1 << 20)
                #expect(answer.installedVersion == vector.arguments?.first, "\(vector.desc)")
                if let signed = answer.signedRoster { _ = try SignedRoster(serializedBytes: signed) }
                #expect(answer.frames == frames, "\(vector.desc)")
            case "attachment":
                let place = try Self.place(vector)
                let request = try ServiceRequest(frames: frames)
                #expect(request == .attachmentChunk(place), "\(vector.desc)")
                #expect(request.frames == frames, "\(vector.desc)")
            case "attachment-answer":
                let place = try Self.place(vector)
                #expect(AttachmentChunkAnswer.isAttachmentAnswer(frames), "\(vector.desc)")
                let answer = try AttachmentChunkAnswer(
                    frames: frames, maximumChunkBytes: AttachmentCipher.chunkByteCount + AttachmentCipher.overheadByteCount)
                #expect(answer.place == place, "\(vector.desc)")
                #expect(answer.sealed == (frames.count == 5 ? frames[4] : nil), "\(vector.desc)")
                #expect(answer.frames == frames, "\(vector.desc)")
            case "attachment-receipt":
                let (id, number) = try Self.receiptPlace(vector)
                let request = try ServiceRequest(frames: frames)
                guard case .attachmentReceipt(let signed) = request else {
                    Issue.record("\(vector.desc): not read as an attachment receipt")
                    continue
                }
                #expect(signed.count == AttachmentReceipt.signedByteCount, "\(vector.desc)")
                let receipt = try AttachmentReceipt(canonicalBytes: Array(signed.prefix(AttachmentReceipt.byteCount)))
                #expect(receipt.bulletinID == id && receipt.number == number, "\(vector.desc)")
                #expect(request.frames == frames, "\(vector.desc)")
                #expect(!AttachmentChunkAnswer.isAttachmentAnswer(frames), "\(vector.desc)")
            case "attachment-receipt-answer":
                let (id, number) = try Self.receiptPlace(vector)
                #expect(AttachmentReceiptAnswer.isReceiptAnswer(frames), "\(vector.desc)")
                let answer = try AttachmentReceiptAnswer(frames: frames)
                #expect(answer == AttachmentReceiptAnswer(bulletinID: id, number: number), "\(vector.desc)")
                #expect(answer.frames == frames, "\(vector.desc)")
            case "audit-refused":
                let answer = try AuditAnswer(frames: frames)
                #expect(answer == .refused(reason: vector.text ?? ""), "\(vector.desc)")
                #expect(answer.frames == frames, "\(vector.desc)")
            default:
                #expect(vector.message.hasPrefix("audit-"), "\(vector.desc)")
                guard case .audit(let request) = try ServiceRequest(frames: frames) else {
                    Issue.record("\(vector.desc): not read as an audit request")
                    continue
                }
                #expect(request.name == vector.message, "\(vector.desc)")
                let numbers: [UInt64] =
                    switch request {
                    case .head: []
                    case .consistency(let a, let b), .entries(let a, let b), .inclusion(let a, let b): [a, b]
                    }
                #expect(numbers == (vector.arguments ?? []), "\(vector.desc)")
                #expect(request.frames == frames, "\(vector.desc)")
            }
        }
        #expect(
            seen.isSuperset(of: [
                "subscription", "envelope", "heartbeat", "replay", "envelopes", "receipt", "roster", "roster-answer", "audit-refused",
                "attachment", "attachment-answer", "attachment-receipt", "attachment-receipt-answer",
            ]))
    }

    /// The attachment a receipt vector names: its bulletin id, and its one argument (number).
    static func receiptPlace(_ vector: TransportFile.Message) throws -> (BulletinID, UInt16) {
        let arguments = try #require(vector.arguments)
        try #require(arguments.count == 1)
        return (try BulletinID(ulid: try #require(vector.bulletinId)), try #require(UInt16(exactly: arguments[0])))
    }

    /// The chunk place a vector names: its bulletin id, and its arguments (number, index).
    static func place(_ vector: TransportFile.Message) throws -> AttachmentChunkPlace {
        let arguments = try #require(vector.arguments)
        try #require(arguments.count == 2)
        return AttachmentChunkPlace(
            bulletinID: try BulletinID(ulid: try #require(vector.bulletinId)), number: try #require(UInt16(exactly: arguments[0])),
            index: arguments[1])
    }
}
