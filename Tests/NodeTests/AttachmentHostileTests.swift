import Exchange
import Foundation
import NodeSetup
import Region
import Sodium
import Testing
import Wire
import ZeroMQ

/// A hostile origin (the test, holding Morocco's keys) answers Algeria's real node's attachment
/// requests with forged chunks, chunks it never asked for, oversized frames and a flood: each is
/// refused and counted, the node's memory stays bounded, and the genuine chunks that follow make
/// the file, byte for byte (docs/PROTOCOL.md §17.3).
@Suite("A hostile origin's attachment chunks", .serialized)
struct AttachmentHostileTests {
    @Test(
        "forged, unasked-for, oversized and endless chunks are refused within bounded memory; the genuine ones complete the file"
    )
    func forgedAndEndlessChunks() throws {
        let stage = try HostileMemberTests.Stage(links: [("MA", "DZ")])
        try stage.region.start("DZ")

        // MA's bulletin with one 150 KB photo (3 chunks), sealed to DZ as sequence 1.
        let file = SampleFiles.photoWithGPS(byteCount: 150_000)
        let id = BulletinID.generate()
        let key = AttachmentCipher.generateKey()
        let binding = AttachmentBinding(bulletinID: id, number: 1, size: UInt64(file.count))
        let example = RegionHarness.schemas.appendingPathComponent("examples/drug-trafficking.json")
        var body = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])
        body["id"] = id.reference(origin: try StateCode("MA"))
        body["schemaVersion"] = "1.2.0"
        body["attachments"] = [
            [
                "sha256": Hex.encode(SHA256.hash(file)), "mediaType": "image/jpeg", "size": file.count,
                "fileName": "truck.jpg", "key": key.base64URL,
            ]
        ]
        let envelope = try Envelope.seal(
            Array(try JSONSerialization.data(withJSONObject: body)),
            metadata: BulletinMetadata(
                bulletinID: id, createdAt: .now, tlp: .amber, schemaVersion: BodySchemaVersion(major: 1, minor: 2)),
            from: stage.morocco, to: EnvelopeRecipient(card: stage.algeria, position: .start))
        var chunks: [[UInt8]] = []
        for index in 0..<binding.chunkCount {
            let start = Int(index) * AttachmentCipher.chunkByteCount
            let end = min(start + AttachmentCipher.chunkByteCount, file.count)
            chunks.append(try AttachmentCipher.seal(Array(file[start..<end]), index: index, of: binding, key: key))
        }
        try stage.awaitSubscription()
        try stage.publish(.envelope(envelope.bytes))

        var forgedSent = 0
        var receipt: AttachmentReceipt?
        var routing: [UInt8] = []
        let deadline = Date().addingTimeInterval(90)
        while receipt == nil, Date() < deadline {
            guard let message = try receiveMessage(from: stage.service, within: 0.5), message.frames.count >= 2 else {
                continue
            }
            routing = message.frames[0]
            switch try ServiceRequest(frames: Array(message.frames.dropFirst())) {
            case .replay(let after):
                _ = try stage.service.send(
                    [routing] + ReplayBatch(latest: 1, envelopes: after == 0 ? [envelope.bytes] : []).frames,
                    dontWait: true)
            case .attachmentChunk(let place):
                // The first five asked get forged bytes of the right length (fewer than the eight
                // failures in a row that pause a link), then every chunk is genuine.
                let genuine = chunks.indices.contains(Int(place.index)) ? chunks[Int(place.index)] : []
                let forged = forgedSent < 5
                if forged { forgedSent += 1 }
                let sealed = forged ? genuine.map { $0 ^ 0x5A } : genuine
                _ = try stage.service.send(
                    [routing] + AttachmentChunkAnswer(place: place, sealed: sealed).frames, dontWait: true)
            case .attachmentReceipt(let bytes):
                receipt = try AttachmentReceipt(canonicalBytes: Array(bytes.prefix(AttachmentReceipt.byteCount)))
                _ = try stage.service.send(
                    [routing] + AttachmentReceiptAnswer(bulletinID: id, number: 1).frames, dontWait: true)
            default:
                continue
            }
        }
        let forgedRefused = waitUntil(seconds: 15) { (stage.refusals()["decryptionFailed"] ?? 0) == 5 }
        #expect(forgedRefused, "\(stage.refusals())")

        // Then chunks DZ never asked for, frames past the chunk bound, and an endless flood of
        // them: each refused, DZ's memory bounded (its requester queues 4 answers, libzmq
        // holds the rest on this side).
        let before = try #require(stage.region.residentMiB("DZ"))
        for _ in 0..<20 {
            let huge = [UInt8](repeating: 7, count: AttachmentCipher.chunkByteCount + 1_024)
            let place = AttachmentChunkPlace(bulletinID: id, number: 1, index: 0)
            _ = try stage.service.send(
                [routing] + AttachmentChunkAnswer(place: place, sealed: huge).frames, dontWait: true)
        }
        #expect(waitUntil(seconds: 15) { (stage.refusals()["oversized"] ?? 0) >= 1 }, "\(stage.refusals())")
        var peakMiB = before
        for round in 0..<50 {
            for index in 0..<1_000 {
                let unasked = AttachmentChunkPlace(bulletinID: id, number: 1, index: UInt64(round * 1_000 + index))
                _ = try stage.service.send(
                    [routing] + AttachmentChunkAnswer(place: unasked, sealed: chunks[0]).frames, dontWait: true)
            }
            Thread.sleep(forTimeInterval: 0.02)
            peakMiB = max(peakMiB, stage.region.residentMiB("DZ") ?? 0)
        }
        #expect(waitUntil(seconds: 30) { (stage.refusals()["implausibleClaim"] ?? 0) >= 1_000 }, "\(stage.refusals())")
        #expect(peakMiB <= before + 64, "DZ grew from \(before) MiB to \(peakMiB) MiB")

        let held = try #require(
            receipt, "no attachment receipt from DZ: \(stage.refusals())\n\(stage.region.log("DZ").suffix(4_000))")
        #expect(held.held && held.digest == AttachmentDigest.of(file), "\(held)")
        #expect(forgedSent == 5)

        let data = try #require(stage.region.nodes["DZ"]).path
        let out = stage.region.root.appendingPathComponent("received.jpg")
        _ = try RegionHarness.bordernet([
            "attachment", "get", id.reference(origin: StateCode("MA")), "1", "--out", out.path, "--data", data,
        ])
        #expect([UInt8](try Data(contentsOf: out)) == file)
        let metrics = try RegionHarness.bordernet(["status", "--metrics", "--data", data])
        #expect(metrics.contains("bordernet_attachment_chunks_refused_total{origin=\"MA\"} 5"), "\(metrics)")

        // A file whose name lies about its type (officers save it under that name: a PDF named
        // .html would open as a page) is refused on arrival, pulled not at all; the bulletin is kept.
        let liarID = BulletinID.generate()
        var liar = body
        liar["id"] = liarID.reference(origin: try StateCode("MA"))
        liar["attachments"] = [
            [
                "sha256": Hex.encode(SHA256.hash(file)), "mediaType": "image/jpeg", "size": file.count,
                "fileName": "report.html", "key": key.base64URL,
            ]
        ]
        let second = try Envelope.seal(
            Array(try JSONSerialization.data(withJSONObject: liar)),
            metadata: BulletinMetadata(
                bulletinID: liarID, createdAt: .now, tlp: .amber, schemaVersion: BodySchemaVersion(major: 1, minor: 2)),
            from: stage.morocco,
            to: EnvelopeRecipient(card: stage.algeria, position: ChainPosition(sequence: 1, hash: envelope.hash)))
        try stage.publish(.envelope(second.bytes))
        let refusedOnArrival = waitUntil(seconds: 30) {
            let listed = try? RegionHarness.bordernet([
                "attachment", "list", liarID.reference(origin: StateCode("MA")), "--json", "--data", data,
            ])
            return listed?.contains("\"refused\"") == true && listed?.contains("extension") == true
        }
        #expect(refusedOnArrival, "\(stage.region.log("DZ").suffix(3_000))")
    }
}
