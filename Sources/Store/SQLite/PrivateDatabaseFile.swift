import LocalFiles

/// SQLite files that only their owner may read: the store holds decrypted bulletins, the audit
/// log who exchanged with whom.
///
/// SQLite creates a new database with mode 0644 less the umask, and gives its `-wal` and `-shm`
/// files the database file's own mode. So the database file is created here first, empty, with
/// mode 0600 (exactly, whatever the umask), and SQLite's companions follow it.
public enum PrivateDatabaseFile {
    /// The permissions of a database file and its `-wal` and `-shm` companions.
    public static let permissions: FilePermissions = .ownerReadWrite

    /// Creates `path` empty with mode 0600 when it does not exist (SQLite reads an empty file as a
    /// new database), and narrows an existing database and its `-wal`/`-shm` that others could
    /// read to 0600 (files written by an older BorderNet). Call it before opening the database
    /// (``SQLiteFile/open(migrator:)`` does); `file` names the database in errors (`store`).
    public static func prepare(path: String, file: String = "database") throws(StoreError) {
        do {
            if try LocalFile.createEmpty(at: path, permissions: permissions) { return }
        } catch {
            throw StoreError.cannotOpen(file: file, path: path, cause: error)
        }
        for companion in [path, path + "-wal", path + "-shm"] {
            guard let current = LocalFile.permissions(of: companion), current.grantsGroupOrOthers else { continue }
            do {
                try LocalFile.setPermissions(permissions, of: companion)
            } catch {
                // The cause names the file, the mode asked for and the system's reason.
                throw StoreError.cannotOpen(file: file, path: path, cause: error)
            }
        }
    }
}
