import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SQLite files that only their owner may read: the store holds decrypted bulletins, the audit
/// log who exchanged with whom.
///
/// SQLite creates a new database with mode 0644 less the umask, and gives its `-wal` and `-shm`
/// files the database file's own mode. So the database file is created here first, empty, with
/// mode 0600 (exactly, whatever the umask), and SQLite's companions follow it.
public enum PrivateDatabaseFile {
    /// The mode of a database file and its `-wal` and `-shm` companions.
    public static let mode: mode_t = 0o600

    /// Creates `path` empty with mode 0600 when it does not exist (SQLite reads an empty file as a
    /// new database), and narrows an existing database and its `-wal`/`-shm` that others could
    /// read to 0600 (files written by an older BorderNet). Call it before opening the database.
    public static func prepare(path: String) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if descriptor >= 0 {
            defer { close(descriptor) }
            // open(2) applies the umask: set the mode itself.
            guard fchmod(descriptor, mode) == 0 else {
                throw StoreError.cannotOpen(path: path, reason: "cannot set its mode to 0600: \(String(cString: strerror(errno)))")
            }
            return
        }
        guard errno == EEXIST else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_mode & 0o077 != 0 else { continue }
            guard chmod(file, mode) == 0 else {
                throw StoreError.cannotOpen(
                    path: path, reason: "\(file) is readable by others (mode \(String(status.st_mode & 0o777, radix: 8))) and cannot be made 0600: \(String(cString: strerror(errno)))")
            }
        }
    }
}
