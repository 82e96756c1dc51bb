import Foundation
import NodeClient
import NodeSetup
import Region
import Store
import Wire

extension NodeBenchmarks {
    /// What `--only attachments` measures (docs/PERFORMANCE.md): one bulletin carrying 50 MiB of
    /// files (two of 20 MiB and one of 10 MiB, the default limits) pulled by its recipient on
    /// one link, while bulletins are posted on the same link at a paced rate.
    struct AttachmentFigures: Codable {
        /// Bytes of files in the bulletin.
        var fileBytes: Int
        /// How long the origin took to check, seal and store the post with its files.
        var postSeconds: Double
        /// From the post's answer to the last file complete at the recipient (chunks pulled,
        /// stored, the file's hash and content checked).
        var transferSeconds: Double
        /// `fileBytes` over `transferSeconds`, in MiB/s.
        var mebibytesPerSecond: Double
        /// The paced rate of the bulletins posted meanwhile.
        var rate: Double
        /// Bulletins posted while the files were in transfer.
        var bulletinsDuringTransfer: Int
        /// Their post→stored latency.
        var storedMillisecondsDuringTransfer: Percentiles
    }

    /// Posts the bulletin with 50 MiB of files from MA to DZ, then bulletins at `rate` per second
    /// for `seconds`; the latency counts the bulletins accepted while the files were in transfer.
    func attachments(rate: Double = 200, seconds: Double = 15) throws -> AttachmentFigures {
        let region = try subscribedPair()
        let dz = try region.node("DZ")
        let recorder = try FeedRecorder(endpoint: dz.feedEndpoint)

        let files = [20, 20, 10].map { SampleFiles.document(byteCount: $0 * 1_048_576) }
        let fileBytes = files.reduce(0) { $0 + $1.count }
        let client = ControlClient(directory: try region.node("MA"), timeoutMilliseconds: 120_000)
        let postStart = Date()
        let response = try client.send(
            ControlRequest(
                command: .post, draft: Array(try attachmentDraft().utf8), recipients: ["DZ"],
                attachments: files.indices.map { AttachmentUpload(fileName: "scan-\($0 + 1).pdf") }, files: files))
        guard let posted = response.posted else {
            throw BenchError("the post with files was refused: \(response.error ?? "?")")
        }
        let postedAt = Date()

        let accepted = try PostPipeline(directory: try region.node("MA"), draft: draft, recipients: ["DZ"])
            .run(count: count(Int(rate * seconds)), rate: rate)
        let reader = try BulletinReader(storeFile: dz.root.appendingPathComponent("store.sqlite"))
        try region.wait(seconds: 300, "the files at DZ") {
            let rows = try reader.attachments(of: posted.id)
            return rows.count == files.count && rows.allSatisfy { $0.state == .complete }
        }
        let finishedAt =
            try reader.attachments(of: posted.id).map { Double($0.updatedAt.millisecondsSinceEpoch) / 1_000 }.max() ?? 0
        try region.wait(seconds: 120, "every receipt") {
            try region.status("MA").outgoing.first?.acknowledged == UInt64(accepted.count + 1)
        }
        let arrivals = recorder.stop()
        region.stop("MA")
        region.stop("DZ")

        let windowStart = Int64(postedAt.timeIntervalSince1970 * 1_000_000)
        let windowEnd = Int64(finishedAt * 1_000_000)
        let during = accepted.filter {
            $0.acceptedAtMicroseconds >= windowStart && $0.acceptedAtMicroseconds <= windowEnd
        }
        let latencies = during.compactMap { post in
            arrivals[post.id].map { Double($0 - post.acceptedAtMicroseconds) / 1_000 }
        }
        let transfer = max(finishedAt - postedAt.timeIntervalSince1970, 0.001)
        return AttachmentFigures(
            fileBytes: fileBytes, postSeconds: postedAt.timeIntervalSince(postStart), transferSeconds: transfer,
            mebibytesPerSecond: Double(fileBytes) / 1_048_576 / transfer, rate: rate,
            bulletinsDuringTransfer: during.count,
            storedMillisecondsDuringTransfer: Percentiles(latencies))
    }

    /// The bench's draft declaring schema 1.2, the version that carries files.
    private func attachmentDraft() throws -> String {
        guard var object = try JSONSerialization.jsonObject(with: Data(draft.utf8)) as? [String: Any] else {
            throw BenchError("the bench draft is not a JSON object")
        }
        object["schemaVersion"] = "1.2.0"
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
