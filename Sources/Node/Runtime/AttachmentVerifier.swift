import Attachments
import Dispatch
import Exchange
import Store
import Synchronization

/// Checks finished attachments off the I/O thread (docs/PROTOCOL.md §17.2): every chunk opened
/// from the store through its own read-only connection, the file's SHA-256 compared with the
/// body's, its content checked against the declared type. A 20 MiB file takes tens of
/// milliseconds of reading, decryption and hashing: on the loop, that would hold every link's
/// envelopes back. The loop submits a file and takes the verdict at its next turn.
final class AttachmentVerifier: Sendable {
    /// A file whose every chunk is stored.
    struct Job: Sendable {
        let origin: StateCode
        let attachment: StoredAttachment
        let key: AttachmentKey
    }

    /// What the check found.
    enum Verdict: Sendable {
        /// The file is the one the body describes.
        case held
        /// It is not: why (its chunks are dropped, the origin told).
        case refused(String)
        /// A chunk counted as held is not in the store: the transfer goes on.
        case chunkMissing
        /// A stored chunk no longer opens (a damaged disk): the file is pulled again.
        case unreadable(String)
        /// The store could not be read: checked again later, nothing dropped.
        case storeUnavailable(String)
    }

    private let reader: BulletinReader
    private let queue = DispatchQueue(label: "bordernet-attachment-verifier", qos: .utility)
    private let verdicts = Mutex<[(Job, Verdict)]>([])

    /// A verifier reading the store through `reader`.
    init(reader: BulletinReader) {
        self.reader = reader
    }

    /// Checks `job` on the verifier's queue; its verdict waits for ``takeVerdicts()``.
    func submit(_ job: Job) {
        queue.async { [self] in
            let verdict = Self.check(job, reader: reader)
            verdicts.withLock { $0.append((job, verdict)) }
        }
    }

    /// The verdicts reached since the last call.
    func takeVerdicts() -> [(Job, Verdict)] {
        verdicts.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }

    private static func check(_ job: Job, reader: BulletinReader) -> Verdict {
        let attachment = job.attachment
        guard let binding = attachment.binding else { return .refused("its number is out of range") }
        let file: [UInt8]
        do {
            file = try AttachmentCipher.openFile(of: binding, key: job.key, sha256: attachment.sha256) { index in
                try reader.chunk(of: attachment.bulletin, number: attachment.number, index: index)
            }
        } catch AttachmentError.chunkMissing {
            return .chunkMissing
        } catch AttachmentError.fileHashDiffers {
            return .refused(AttachmentError.fileHashDiffers.description)
        } catch let error as AttachmentError {
            return .unreadable(error.description)
        } catch {
            return .storeUnavailable("\(error)")
        }
        do throws(AttachmentContentError) {
            let checked = try AttachmentContent.check(file, keepMetadata: true)
            guard checked.mediaType.rawValue == attachment.mediaType else {
                return .refused(
                    "its content is \(checked.mediaType.rawValue), the bulletin says \(attachment.mediaType)")
            }
            return .held
        } catch {
            return .refused("its content: \(error)")
        }
    }
}
