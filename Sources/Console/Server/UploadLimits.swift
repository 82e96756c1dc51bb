import NodeSetup
import Synchronization

/// The post form's bounds on files, from the node's own `[attachments]` in `node.toml` (read
/// when the console starts): a file over `max_file_bytes` is refused beside its input without
/// asking the node, and a body over `max_bulletin_bytes` plus the form's own text
/// (``formOverheadBytes``) is refused before the rest of it is read. No setting of its own: the
/// console can never take what its node would refuse, nor refuse what it would take.
struct UploadLimits: Sendable, Equatable {
    /// What a post body holds besides the files: the text fields (at most
    /// ``FormBody/maximumBytes``) and each part's delimiter and headers.
    static let formOverheadBytes = 1 << 20

    /// `[attachments] max_file_bytes`.
    var maximumFileBytes: Int
    /// `[attachments] max_bulletin_bytes`.
    var maximumBulletinBytes: Int

    init(maximumFileBytes: Int, maximumBulletinBytes: Int) {
        self.maximumFileBytes = maximumFileBytes
        self.maximumBulletinBytes = maximumBulletinBytes
    }

    /// The bounds of the node configured by `node`.
    init(node: NodeConfiguration) {
        self.init(
            maximumFileBytes: node.attachmentMaximumFileBytes, maximumBulletinBytes: node.attachmentMaximumBulletinBytes
        )
    }

    /// The multipart reader's bounds: the body, each file kept, at most ``PostUploads/slots``
    /// files (within the control socket's 16).
    var multipart: MultipartLimits {
        MultipartLimits(
            maximumBodyBytes: maximumBulletinBytes + Self.formOverheadBytes, maximumFileBytes: maximumFileBytes,
            maximumFiles: PostUploads.slots)
    }
}

/// How many posts with files the console reads at once: each holds its body in memory (at most
/// ``UploadLimits/multipart``'s body bound), so a few at a time bound the console's memory
/// whatever the number of browsers; one more is answered 503 at once.
final class UploadGate: Sendable {
    let capacity: Int
    private let inUse = Mutex(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Takes a place, or `false` when all ``capacity`` are taken; give it back with ``leave()``.
    func enter() -> Bool {
        inUse.withLock { count in
            guard count < capacity else { return false }
            count += 1
            return true
        }
    }

    func leave() {
        inUse.withLock { count in count = max(0, count - 1) }
    }
}
