import Dispatch

#if canImport(Glibc)
    internal import Glibc
#endif

/// SIGTERM and SIGINT turned into a call on a dispatch queue, not a signal handler: the process
/// is not ended, the closure only asks what runs to stop (a node finishes the message in hand, the
/// demo stops its nodes, `feed --follow` leaves its loop). The one place BorderNet touches signal
/// dispositions; keep the value alive as long as the signals should be handled.
public final class StopSignals: @unchecked Sendable {
    // Dispatch sources are thread-safe; they are only created here and cancelled in deinit.
    private let sources: [DispatchSourceSignal]

    /// Calls `onStop` (on a global queue) for each SIGTERM or SIGINT from now on.
    public init(onStop: @escaping @Sendable () -> Void) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onStop)
            source.resume()
            return source
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}

/// Signals sent to a child process this program started (a node of a local region).
public enum ChildProcessSignal {
    /// Asks `processIdentifier` to stop cleanly (SIGTERM). A pid of 0 or less is ignored: it
    /// would signal a whole process group.
    public static func askToStop(_ processIdentifier: Int32) {
        if processIdentifier > 0 { Glibc.kill(processIdentifier, SIGTERM) }
    }

    /// Ends `processIdentifier` at once (SIGKILL). A pid of 0 or less is ignored.
    public static func forceStop(_ processIdentifier: Int32) {
        if processIdentifier > 0 { Glibc.kill(processIdentifier, SIGKILL) }
    }
}
