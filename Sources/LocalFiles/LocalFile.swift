#if canImport(Glibc)
    internal import Glibc
#endif

/// Files created with their final permissions, whatever the process's umask: `open(2)` with
/// `O_CREAT | O_EXCL` and the mode, then `fchmod(2)` (the umask may have removed bits, even the
/// owner's), so a file that holds a secret is never readable by others, even for an instant.
/// Foundation cannot create a file with a mode atomically; this is why these calls exist.
public enum LocalFile {
    /// Creates `path` empty with exactly `permissions`; returns `false`, touching nothing, when a
    /// file is already there.
    public static func createEmpty(at path: String, permissions: FilePermissions) throws(LocalFileError) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions.rawValue))
        guard descriptor >= 0 else {
            let code = SystemError.code
            if code == EEXIST { return false }
            throw .cannotCreate(path: path, reason: SystemError.message(code))
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, mode_t(permissions.rawValue)) == 0 else {
            throw .cannotSetPermissions(path: path, permissions: permissions, reason: SystemError.message())
        }
        return true
    }

    /// Writes `bytes` to a new file at `path` with exactly `permissions`. An existing file is
    /// ``LocalFileError/alreadyExists(path:)`` unless `replacing`: then the bytes go to a new
    /// `.NAME.tmp` beside it, renamed over the old file (atomically). `durable` flushes the file to
    /// disk (`fsync`) before it is renamed or the call returns. Errors name `path`.
    public static func write(
        _ bytes: [UInt8], to path: String, permissions: FilePermissions, replacing: Bool = false, durable: Bool = true
    ) throws(LocalFileError) {
        let target = replacing ? temporarySibling(of: path) : path
        if replacing { unlink(target) }
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions.rawValue))
        guard descriptor >= 0 else {
            let code = SystemError.code
            if code == EEXIST { throw .alreadyExists(path: path) }
            throw .cannotCreate(path: path, reason: SystemError.message(code))
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, mode_t(permissions.rawValue)) == 0 else {
            throw .cannotSetPermissions(path: path, permissions: permissions, reason: SystemError.message())
        }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if SystemError.code == EINTR { continue }
                throw .cannotWrite(path: path, reason: SystemError.message())
            }
            written += result
        }
        guard !durable || fsync(descriptor) == 0 else {
            throw .cannotWrite(path: path, reason: SystemError.message())
        }
        if replacing, rename(target, path) != 0 {
            throw .cannotWrite(path: path, reason: SystemError.message())
        }
    }

    /// The permissions of the file at `path` (symbolic links followed), or `nil` when there is no
    /// such file or it cannot be examined.
    public static func permissions(of path: String) -> FilePermissions? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return FilePermissions(rawValue: UInt16(truncatingIfNeeded: status.st_mode & 0o7777))
    }

    /// Sets the permissions of the existing file at `path` (`chmod(2)`).
    public static func setPermissions(_ permissions: FilePermissions, of path: String) throws(LocalFileError) {
        guard chmod(path, mode_t(permissions.rawValue)) == 0 else {
            throw .cannotSetPermissions(path: path, permissions: permissions, reason: SystemError.message())
        }
    }

    /// Removes the file at `path` (`unlink(2)`); no file there is not an error.
    public static func removeIfPresent(at path: String) throws(LocalFileError) {
        guard unlink(path) != 0 else { return }
        let code = SystemError.code
        guard code != ENOENT else { return }
        throw .cannotRemove(path: path, reason: SystemError.message(code))
    }

    /// `DIR/.NAME.tmp` for `DIR/NAME`.
    static func temporarySibling(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return ".\(path).tmp" }
        return "\(path[...slash]).\(path[path.index(after: slash)...]).tmp"
    }
}
