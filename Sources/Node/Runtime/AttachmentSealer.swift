import Dispatch
import Exchange
import Store
import Synchronization
import Wire

/// Prepares posts' files off the I/O thread (``AttachmentPreparation``): the loop hands over a
/// post that carries files, goes on moving envelopes, and commits the post when its files are
/// sealed (``takeFinished()`` at its next turn, within 100 ms).
///
/// At most ``maximumPending`` posts wait or are being prepared: each holds its files up to three
/// times (as sent, as checked, as sealed), so a local client that posts faster than files can be
/// sealed is told to try again instead of growing the node's memory.
final class AttachmentSealer: Sendable {
    /// How many posts with files may be in preparation at once.
    static let maximumPending = 2

    /// One post's files, with what binds them to the bulletin.
    struct Job: Sendable {
        /// The loop's own number for the post, to find it again.
        let ticket: Int
        let uploads: [AttachmentUpload]
        let files: [[UInt8]]
        let bulletinID: BulletinID
        let reference: BulletinReference
        let now: Timestamp
        let limits: AttachmentPreparation.Limits
    }

    private let queue = DispatchQueue(label: "bordernet-attachment-sealer", qos: .userInitiated)
    private let state = Mutex<
        (pending: Int, finished: [(ticket: Int, result: Result<PreparedAttachments, AttachmentPreparation.Refusal>)])
    >(
        (0, []))

    init() {}

    /// Starts preparing `job`; `false` when ``maximumPending`` posts are already in preparation.
    func submit(_ job: Job) -> Bool {
        let accepted = state.withLock { state in
            guard state.pending < Self.maximumPending else { return false }
            state.pending += 1
            return true
        }
        guard accepted else { return false }
        queue.async { [self] in
            let result = AttachmentPreparation.prepare(
                job.uploads, files: job.files, bulletinID: job.bulletinID, reference: job.reference, now: job.now,
                limits: job.limits)
            state.withLock { $0.finished.append((job.ticket, result)) }
        }
        return true
    }

    /// The posts whose files were prepared since the last call, in the order they finished.
    func takeFinished() -> [(ticket: Int, result: Result<PreparedAttachments, AttachmentPreparation.Refusal>)] {
        state.withLock { state in
            defer {
                state.pending -= state.finished.count
                state.finished.removeAll()
            }
            return state.finished
        }
    }

    /// Waits until every submitted post is prepared (at stop: their officers get an answer).
    func waitForPending() {
        queue.sync {}
    }

    /// Whether a post is being prepared.
    var isIdle: Bool { state.withLock { $0.pending == 0 } }
}
