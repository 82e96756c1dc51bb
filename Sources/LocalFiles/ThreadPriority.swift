#if canImport(Glibc)
    internal import Glibc
#endif

/// The scheduling priority of the calling thread.
///
/// On Linux each thread is a task with a nice value of its own (`setpriority(PRIO_PROCESS, tid)`
/// names one thread, not the process: a documented Linux difference from POSIX). The node's
/// indexer lowers its own thread so that the exchange — opening, validating, storing and
/// acknowledging bulletins — always runs first on a busy machine, and the index catches up in
/// the time the exchange leaves (docs/SEARCH.md).
public enum ThreadPriority {
    /// The lowest nice value: the thread runs when no thread of normal priority wants the CPU.
    public static let background: Int32 = 19

    /// Sets the calling thread's nice value to `nice` (0 normal … 19 lowest). A process may always
    /// lower its own priority; the system's message is returned when it cannot (never on Linux).
    @discardableResult
    public static func setCurrentThread(nice: Int32 = background) -> String? {
        // `who` 0 is the calling task: on Linux, the calling thread.
        guard setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) == 0 else {
            return SystemError.message(SystemError.code)
        }
        return nil
    }

    /// The calling thread's nice value.
    public static var currentThreadNice: Int32 {
        errno = 0
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }
}
