import Foundation
import LocalFiles

/// Writing files that hold secrets or must not be replaced by accident: created with their final
/// permissions (so a key is never readable by others, even for an instant), refusing to overwrite
/// unless asked, flushed to disk before returning.
public enum SecureFile {
    /// Creates `directory` (and its parents) with mode 0700 if it does not exist, and tightens an
    /// existing one to 0700.
    public static func makePrivateDirectory(_ directory: URL) throws(SetupError) {
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
    public static let privateMode: FilePermissions = .ownerReadWrite

    /// Writes `bytes` to a new file with `mode` (never more than ``privateMode``, and exactly it
    /// whatever the process's umask); an existing file is an error unless `replacing` (then the
    /// new content goes to a temporary file renamed over the old one, atomically). `durable`
    /// flushes it to disk before returning.
    public static func write(
        _ bytes: [UInt8], to file: URL, mode: FilePermissions = privateMode, replacing: Bool = false, durable: Bool = true
    ) throws(SetupError) {
        do {
            try LocalFile.write(
                bytes, to: file.path, permissions: mode.intersection(privateMode), replacing: replacing, durable: durable)
        } catch .alreadyExists {
            throw SetupError.alreadyExists(path: file.path)
        } catch {
            throw SetupError.cannotWrite(path: file.path, reason: error.reason)
        }
    }

    /// Reads a whole file, with a clear error naming it.
    public static func read(_ file: URL, what: String) throws(SetupError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw SetupError.missing(path: file.path, what: what)
        }
        return [UInt8](data)
    }

    /// Refuses a secret file that others can read (as ssh does): someone changed its mode.
    public static func requirePrivate(_ file: URL) throws(SetupError) {
        guard let permissions = LocalFile.permissions(of: file.path) else { throw SetupError.missing(path: file.path, what: "key file") }
        if permissions.grantsGroupOrOthers {
            throw SetupError.keyFileTooOpen(path: file.path, mode: String(permissions.rawValue & 0o777, radix: 8))
        }
    }
}
