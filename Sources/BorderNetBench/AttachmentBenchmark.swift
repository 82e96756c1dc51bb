import Foundation
import NodeClient
import NodeSetup
import Region
import Store
import Synchronization
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
        /// Bulletins posted while the origin checked, sealed and stored the files.
        var bulletinsDuringPost: Int
        /// Their post→stored latency: the origin's other posts and links while it seals.
        var storedMillisecondsDuringPost: Percentiles
    }

    /// Posts bulletins from MA to DZ at `rate` per second for `seconds` and, as they start, the
    /// bulletin with 50 MiB of files; the latencies count the bulletins accepted while the origin
    /// sealed the files, and while they were in transfer.
    func attachments(rate: Double = 200, seconds: Double = 15) throws -> AttachmentFigures {
        let region = try subscribedPair()
        let dz = try region.node("DZ")
        let recorder = try FeedRecorder(endpoint: dz.feedEndpoint)

        let files = [20, 20, 10].map { SampleFiles.document(byteCount: $0 * 1_048_576) }
        let fileBytes = files.reduce(0) { $0 + $1.count }
        let ma = try region.node("MA")
        let request = ControlRequest(
            command: .post, draft: Array(try attachmentDraft().utf8), recipients: ["DZ"],
            attachments: files.indices.map { AttachmentUpload(fileName: "scan-\($0 + 1).pdf") }, files: files)
        // The post with files runs beside the paced posts, on a client of its own.
        let answered = Mutex<(response: Result<ControlResponse, any Error>, at: Date)?>(nil)
        let postStart = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            let response = Result { try ControlClient(directory: ma, timeoutMilliseconds: 120_000).send(request) }
            answered.withLock { $0 = (response, Date()) }
        }
        let accepted = try PostPipeline(directory: ma, draft: draft, recipients: ["DZ"])
            .run(count: count(Int(rate * seconds)), rate: rate)
        guard let (response, postedAt) = answered.withLock({ $0 }) else {
            throw BenchError("the post with files did not answer while bulletins were posted for \(seconds) s")
        }
        guard let posted = try response.get().posted else {
            throw BenchError("the post with files was refused: \((try? response.get().error) ?? "?")")
        }
        let sealingStart = postStart.addingTimeInterval(0.5)
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

        func acceptedBetween(_ start: Double, _ end: Double) -> [PostPipeline.Accepted] {
            accepted.filter {
                $0.acceptedAtMicroseconds >= Int64(start * 1_000_000)
                    && $0.acceptedAtMicroseconds <= Int64(end * 1_000_000)
            }
        }
        func latencies(_ posts: [PostPipeline.Accepted]) -> Percentiles {
            Percentiles(
                posts.compactMap { post in arrivals[post.id].map { Double($0 - post.acceptedAtMicroseconds) / 1_000 } })
        }
        let duringPost = acceptedBetween(sealingStart.timeIntervalSince1970, postedAt.timeIntervalSince1970)
        let duringTransfer = acceptedBetween(postedAt.timeIntervalSince1970, finishedAt)
        let transfer = max(finishedAt - postedAt.timeIntervalSince1970, 0.001)
        return AttachmentFigures(
            fileBytes: fileBytes, postSeconds: postedAt.timeIntervalSince(sealingStart), transferSeconds: transfer,
            mebibytesPerSecond: Double(fileBytes) / 1_048_576 / transfer, rate: rate,
            bulletinsDuringTransfer: duringTransfer.count,
            storedMillisecondsDuringTransfer: latencies(duringTransfer),
            bulletinsDuringPost: duringPost.count, storedMillisecondsDuringPost: latencies(duringPost))
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
