#if canImport(Glibc)
    internal import Glibc
#endif

/// An exclusive advisory lock on a file (`flock(2)`), held until ``release()`` or until the
/// process ends: the kernel releases it when the process dies, however it dies.
public struct FileLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Opens (creating it with `permissions`, less the umask, if needed) the file at `path` and takes its
    /// lock without waiting; `nil` when another holder has it.
    public static func acquire(at path: String, permissions: FilePermissions) throws(LocalFileError) -> FileLock? {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(permissions.rawValue))
        guard descriptor >= 0 else {
            throw .cannotCreate(path: path, reason: SystemError.message())
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return FileLock(descriptor: descriptor)
    }

    /// Releases the lock and closes the file.
    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
