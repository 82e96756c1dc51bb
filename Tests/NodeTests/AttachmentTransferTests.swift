import Audit
import Exchange
import Foundation
import Region
import Sodium
import Testing
import Wire

/// Attachments between real node processes on 127.0.0.1 (docs/PROTOCOL.md §17): a photo and a
/// scanned document posted with a bulletin reach two neighbours byte for byte, after the
/// bulletin, across a recipient killed mid-transfer; what an officer must not attach is refused
/// at post with nothing stored.
@Suite("Attachments between real nodes", .serialized)
struct AttachmentTransferTests {
    /// A draft of an example declaring schema 1.2 (attachments were added in 1.2).
    static func draft(in region: RegionHarness, version: String = "1.2.0") throws -> URL {
        let file = try RegionHarness.draft(
            of: RegionHarness.schemas.appendingPathComponent("examples/drug-trafficking.json"), in: region.root)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        object["schemaVersion"] = version
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        return file
    }

    static func attachments(_ region: RegionHarness, _ state: String, _ id: String) throws -> [FeedAttachment] {
        let output = try RegionHarness.bordernet([
            "attachment", "list", id, "--json", "--data", #require(region.nodes[state]).path,
        ])
        return try JSONDecoder().decode([FeedAttachment].self, from: Data(output.utf8))
    }

    @Test(
        "A 10 MiB photo and a 2 MiB PDF reach DZ and TN byte for byte after the bulletin; DZ killed mid-transfer resumes; the GPS position is gone"
    )
    func photoAndDocument() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ", "TN"] { try region.addNode(state) }
        try region.signRoster(links: [("MA", "DZ"), ("MA", "TN")])
        // 1 MiB/s per link: the 12 MiB take about 12 s, so the bulletin is seen before they are in,
        // a bulletin posted meanwhile arrives while they are still coming, and DZ can be killed in
        // the middle, even on a loaded machine.
        for state in ["DZ", "TN"] {
            try region.configure(state, table: "attachments", key: "link_bytes_per_second", value: "1048576")
        }
        for state in ["MA", "DZ", "TN"] { try region.start(state) }

        let photo = SampleFiles.photoWithGPS(byteCount: 10 * 1_048_576)
        let document = SampleFiles.document(byteCount: 2 * 1_048_576)
        let photoFile = region.root.appendingPathComponent("truck.jpg")
        let documentFile = region.root.appendingPathComponent("pv.pdf")
        try Data(photo).write(to: photoFile)
        try Data(document).write(to: documentFile)
        let output = try RegionHarness.bordernet([
            "post", "--data", #require(region.nodes["MA"]).path, "--file", Self.draft(in: region).path, "--json",
            "--attach", photoFile.path + ":Le camion saisi à Ahfir", "--caption-lang", "fr", "--attach",
            documentFile.path,
        ])
        let posted = try JSONDecoder().decode(PostedBulletin.self, from: Data(output.utf8))

        // The origin holds both, complete; the photo without its EXIF, GPS and comment.
        let atOrigin = try Self.attachments(region, "MA", posted.id)
        #expect(atOrigin.map(\.state) == ["complete", "complete"])
        #expect(atOrigin.map(\.mediaType) == ["image/jpeg", "application/pdf"])
        #expect(atOrigin.last?.sha256 == Hex.encode(SHA256.hash(document)), "a PDF travels as attached")
        #expect((atOrigin.first?.size ?? 0) < UInt64(photo.count), "the metadata was removed")

        // The bulletin is at DZ and TN while its files are still in transfer.
        #expect(
            waitUntil(seconds: 30) {
                (try? region.feedIDs("DZ")) == [posted.id] && (try? region.feedIDs("TN")) == [posted.id]
            })
        #expect(try Self.attachments(region, "DZ", posted.id).contains { $0.state == "transfer" })
        let early = try Self.attachments(region, "DZ", posted.id)
        #expect(early.count == 2 && early.contains { $0.state == "transfer" }, "\(early)")
        #expect((region.incoming("DZ", from: "MA")?.attachmentsInTransfer ?? 0) >= 1)
        // A bulletin posted while the files are in transfer is not held behind them: it is at DZ
        // while they are still coming (how fast, `make bench` measures: PERFORMANCE.md).
        let meanwhile = try region.post(from: "MA", example: "arms-trafficking", to: ["DZ"])
        #expect(waitUntil(seconds: 30) { (try? region.feedIDs("DZ"))?.contains(meanwhile.id) == true })
        #expect(
            try Self.attachments(region, "DZ", posted.id).contains { $0.state == "transfer" },
            "the files were not still in transfer")

        // DZ killed with part of the photo, then started again: it resumes.
        let partly = waitUntil(seconds: 30) {
            guard let first = try? Self.attachments(region, "DZ", posted.id).first else { return false }
            return first.chunksHeld >= 10 && first.state == "transfer"
        }
        #expect(
            partly,
            "\(String(describing: try? Self.attachments(region, "DZ", posted.id)))\n\(region.log("DZ").suffix(3_000))")
        let heldAtKill = try Self.attachments(region, "DZ", posted.id).first?.chunksHeld ?? 0
        region.kill("DZ")
        try region.start("DZ")

        for state in ["DZ", "TN"] {
            let complete = waitUntil(seconds: 60) {
                (try? Self.attachments(region, state, posted.id))?.allSatisfy { $0.state == "complete" } == true
            }
            #expect(
                complete,
                "\(state): \(String(describing: try? Self.attachments(region, state, posted.id)))\n\(region.log(state).suffix(3_000))\n\(region.exitedNodes())"
            )
            let received = try Self.attachments(region, state, posted.id)
            #expect(received.map(\.sha256) == atOrigin.map(\.sha256))
            let photoOut = region.root.appendingPathComponent("\(state)-truck.jpg")
            let documentOut = region.root.appendingPathComponent("\(state)-pv.pdf")
            let data = try #require(region.nodes[state]).path
            _ = try RegionHarness.bordernet([
                "attachment", "get", posted.id, "1", "--out", photoOut.path, "--data", data,
            ])
            _ = try RegionHarness.bordernet([
                "attachment", "get", posted.id, "2", "--out", documentOut.path, "--data", data,
            ])
            let receivedPhoto = [UInt8](try Data(contentsOf: photoOut))
            #expect(Hex.encode(SHA256.hash(receivedPhoto)) == atOrigin.first?.sha256)
            #expect([UInt8](try Data(contentsOf: documentOut)) == document)
            #expect(!SampleFiles.contains(receivedPhoto, Array("Exif\0\0".utf8)), "EXIF (with its GPS IFD) removed")
            #expect(!SampleFiles.contains(receivedPhoto, Array("GPS on".utf8)), "the comment removed")
            #expect(receivedPhoto.starts(with: [0xFF, 0xD8, 0xFF, 0xE0]), "JFIF kept")
        }
        // DZ asked only for what it lacked after the restart: MA served it each chunk about once
        // (those in flight at the kill, at most the window of 4, are asked again).
        let chunks = atOrigin.reduce(0) { $0 + $1.chunkCount }
        let metrics = try RegionHarness.bordernet(["status", "--metrics", "--data", #require(region.nodes["MA"]).path])
        let served =
            metrics.split(separator: "\n").first {
                $0.hasPrefix("bordernet_attachment_chunks_served_total{recipient=\"DZ\"}")
            }
            .flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        #expect(heldAtKill < chunks)
        #expect(served >= Double(chunks) && served <= Double(chunks + 8), "served \(served) chunks for \(chunks)")
        // Each recipient's signed attachment receipts reach MA: nothing is left in transfer there,
        // and the three logs say what was stored, received and acknowledged (never content).
        let receipted = waitUntil(seconds: 60) {
            ["DZ", "TN"].allSatisfy { region.outgoing("MA", to: $0)?.attachmentsInTransfer == nil }
        }
        #expect(receipted, "\(String(describing: try? region.status("MA")))")
        func entries(_ state: String, _ kinds: [String]) throws -> [AuditEvent] {
            let arguments =
                ["audit", "entries", "--data", try #require(region.nodes[state]).path, "--json"]
                + kinds.flatMap { ["--kind", $0] }
            return try JSONDecoder().decode([AuditEntry].self, from: Data(RegionHarness.bordernet(arguments).utf8)).map(
                \.event)
        }
        let atMA = try entries("MA", ["attachmentStored", "attachmentAcknowledged"])
        #expect(atMA.filter { if case .attachmentStored = $0 { true } else { false } }.count == 2)
        let acknowledged = atMA.compactMap { event -> (Link, UInt16, Bool)? in
            if case .attachmentAcknowledged(let link, _, let number, _, let held) = event {
                (link, number, held)
            } else {
                nil
            }
        }
        #expect(acknowledged.count == 4 && acknowledged.allSatisfy(\.2), "\(acknowledged)")
        #expect(Set(acknowledged.map { "\($0.0.recipient)#\($0.1)" }) == ["DZ#1", "DZ#2", "TN#1", "TN#2"])
        for state in ["DZ", "TN"] {
            let received = try entries(state, ["attachmentReceived"]).compactMap { event -> String? in
                if case .attachmentReceived(_, _, _, let digest, _, let held) = event, held {
                    digest.description
                } else {
                    nil
                }
            }
            #expect(Set(received) == Set(atOrigin.map(\.sha256)), "\(state): \(received)")
        }
        // `feed --json` lists them.
        let feed = try RegionHarness.bordernet(["feed", "--data", #require(region.nodes["TN"]).path, "--json"])
        #expect(
            feed.contains("\"fileName\":\"truck.jpg\"") || feed.contains("\"fileName\" : \"truck.jpg\""),
            "\(feed.prefix(2_000))")
    }

    @Test(
        "A PNG named .pdf, a cut JPEG, a file over the limit and a 1.1 draft with files are refused at post; nothing is stored"
    )
    func refusedAtPost() throws {
        let region = try RegionHarness()
        for state in ["MA", "DZ"] { try region.addNode(state) }
        try region.signRoster(links: [("MA", "DZ")])
        try region.configure("MA", table: "attachments", key: "max_file_bytes", value: "1048576")
        for state in ["MA", "DZ"] { try region.start(state) }
        let data = try #require(region.nodes["MA"]).path
        let draft = try Self.draft(in: region).path

        let png = region.root.appendingPathComponent("scan.pdf")
        try FileManager.default.copyItem(
            at: RegionHarness.schemas.deletingLastPathComponent().appendingPathComponent(
                "docs/console/audit-findings-ar.png"), to: png)
        let cut = region.root.appendingPathComponent("cut.jpg")
        try Data(SampleFiles.photoWithGPS(byteCount: 200_000).prefix(150_000)).write(to: cut)
        let large = region.root.appendingPathComponent("large.jpg")
        try Data(SampleFiles.photoWithGPS(byteCount: 1_100_000)).write(to: large)
        let fine = region.root.appendingPathComponent("fine.jpg")
        try Data(SampleFiles.photoWithGPS(byteCount: 50_000)).write(to: fine)

        let cases: [(arguments: [String], says: String)] = [
            (["--file", draft, "--attach", png.path], "image/png"),
            (["--file", draft, "--attach", cut.path], "cut.jpg"),
            (["--file", draft, "--attach", large.path], "max_file_bytes"),
            (["--file", try Self.draft(in: region, version: "1.1.0").path, "--attach", fine.path], "1.2"),
        ]
        for (arguments, says) in cases {
            let output = try RegionHarness.bordernet(["post", "--data", data] + arguments, expectFailure: true)
            #expect(output.contains(says), "\(arguments.last ?? ""): \(output)")
        }
        #expect(try region.feedIDs("MA", includeOwn: true).isEmpty, "nothing stored")
        let posted = try RegionHarness.bordernet([
            "post", "--data", data, "--file", draft, "--attach", fine.path, "--json",
        ])
        #expect(posted.contains("\"id\""), "\(posted)")
    }
}
