#if canImport(Glibc)
    internal import Glibc
#endif

/// The process's file creation mask (umask), set so that every file and socket BorderNet
/// creates — by its own code, by SQLite (databases, `-wal`, `-shm`), by libzmq (`ipc://`
/// sockets) — is its user's only, whatever the umask of the shell or service that started it.
///
/// Files BorderNet writes itself are also created with mode 0600 explicitly, and databases are
/// created 0600 before SQLite opens them; the mask covers what the libraries create.
public enum FileCreationMask {
    /// The mask: no permission for the group or others.
    public static let ownerOnly: UInt32 = 0o077

    /// Sets the process's mask to ``ownerOnly``, once at the start of a `bordernet` command
    /// (it is process-wide, so a library never sets it by itself); returns the previous mask.
    @discardableResult
    public static func restrictToOwner() -> UInt32 {
        UInt32(umask(mode_t(ownerOnly)))
    }

    /// Sets the process's mask to `mask` and returns the previous one (tests use it to run code
    /// under a permissive mask and restore the mask after).
    @discardableResult
    public static func set(_ mask: UInt32) -> UInt32 {
        UInt32(umask(mode_t(mask & 0o777)))
    }
}
