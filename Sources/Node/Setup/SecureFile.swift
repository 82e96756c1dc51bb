import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writing files that hold secrets or must not be replaced by accident: created with their final
/// permissions (so a key is never readable by others, even for an instant), refusing to overwrite
/// unless asked, flushed to disk before returning.
enum SecureFile {
    /// Creates `directory` (and its parents) with mode 0700 if it does not exist, and tightens an
    /// existing one to 0700.
    static func makePrivateDirectory(_ directory: URL) throws(SetupError) {
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        } catch {
            throw SetupError.cannotWrite(path: directory.path, reason: "\(error.localizedDescription)")
        }
    }

    /// The mode of every file BorderNet writes: its user's only, whatever the umask. The data
    /// folder holds decrypted bulletins and keys; a file another account must read (the card for
    /// the secretariat, metrics for node_exporter) is copied out by the operator (OPERATIONS.md).
    static let privateMode: mode_t = 0o600

    /// Writes `bytes` to a new file with `mode` (never more than ``privateMode``, and exactly it
    /// whatever the process's umask); an existing file is an error unless `replacing` (then the
    /// new content goes to a temporary file renamed over the old one, atomically). `durable`
    /// flushes it to disk before returning.
    static func write(
        _ bytes: [UInt8], to file: URL, mode: mode_t = privateMode, replacing: Bool = false, durable: Bool = true
    ) throws(SetupError) {
        let target = replacing ? file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).tmp") : file
        if replacing { unlink(target.path) }
        let permissions = mode & privateMode
        let descriptor = open(target.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw SetupError.alreadyExists(path: file.path) }
            throw SetupError.cannotWrite(path: file.path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        // open(2) applies the umask, which may remove the owner's bits too: set the mode itself.
        guard fchmod(descriptor, permissions) == 0 else {
            throw SetupError.cannotWrite(path: file.path, reason: String(cString: strerror(errno)))
        }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw SetupError.cannotWrite(path: file.path, reason: String(cString: strerror(errno)))
            }
            written += result
        }
        guard !durable || fsync(descriptor) == 0 else {
            throw SetupError.cannotWrite(path: file.path, reason: String(cString: strerror(errno)))
        }
        if replacing, rename(target.path, file.path) != 0 {
            throw SetupError.cannotWrite(path: file.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Reads a whole file, with a clear error naming it.
    static func read(_ file: URL, what: String) throws(SetupError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw SetupError.missing(path: file.path, what: what)
        }
        return [UInt8](data)
    }

    /// Refuses a secret file that others can read (as ssh does): someone changed its mode.
    static func requirePrivate(_ file: URL) throws(SetupError) {
        var status = stat()
        guard stat(file.path, &status) == 0 else { throw SetupError.missing(path: file.path, what: "key file") }
        if status.st_mode & 0o077 != 0 {
            throw SetupError.keyFileTooOpen(path: file.path, mode: String(status.st_mode & 0o777, radix: 8))
        }
    }
}
