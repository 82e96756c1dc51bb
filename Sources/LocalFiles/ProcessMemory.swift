internal import CProcessControl

/// Whether other processes of the same user may read this process's memory.
///
/// The node holds its signing, encryption and transport keys in memory. The web console runs as
/// the same user (it reads the node's store and connects to its control socket), but must never
/// be able to obtain those keys: its systemd unit hides the key files from it
/// (`InaccessiblePaths=`), and the node makes itself non-dumpable at start, so that
/// `/proc/PID/mem` and `ptrace` are closed to every process without `CAP_SYS_PTRACE` — the console
/// included — and no core file with keys in it is ever written (docs/CONSOLE.md, Deployment).
public enum ProcessMemory {
    /// Makes this process non-dumpable (`prctl(PR_SET_DUMPABLE, 0)`), once at the start of
    /// `bordernet node run`, and of the secretariat's commands that read or make its keys (`audit
    /// collect`, `audit report`, `roster sign`, `secretariat init`, `region generate`), whose
    /// console also runs as their user. It holds until the process exits.
    public static func closeToOtherProcesses() throws(ProcessMemoryError) {
        guard bordernet_process_set_not_dumpable() == 0 else {
            throw ProcessMemoryError(reason: SystemError.message(SystemError.code))
        }
    }

    /// Keeps the C allocator to at most `count` arenas (`mallopt(M_ARENA_MAX)`), first thing in
    /// `bordernet node run`, before the node starts its own threads (the arenas the process already
    /// has count against the limit). By default glibc gives each thread that allocates an arena of
    /// its own (up to eight per core), and memory one thread frees stays in its arena: with two
    /// arenas the node's peak resident memory during the end-to-end benchmark fell by about 5 MiB
    /// (docs/PERFORMANCE.md), at no measurable cost in CPU. Returns whether glibc took the
    /// setting (it does for any count of at least 1).
    @discardableResult
    public static func limitAllocatorArenas(to count: Int32) -> Bool {
        bordernet_malloc_limit_arenas(count) == 1
    }

    /// Whether this process is still dumpable (readable by processes of its user).
    public static var isReadableByOtherProcesses: Bool {
        bordernet_process_is_dumpable() != 0
    }
}

/// `prctl(PR_SET_DUMPABLE, 0)` failed (it does not on Linux; the kernel's reason is kept).
public struct ProcessMemoryError: Error, CustomStringConvertible {
    /// The system's message.
    public let reason: String

    public var description: String {
        "cannot make the process non-dumpable (prctl PR_SET_DUMPABLE): \(reason); the node refuses to run with its keys readable by other processes of its user"
    }
}
