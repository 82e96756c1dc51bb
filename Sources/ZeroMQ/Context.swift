internal import CZeroMQ

/// A ZeroMQ context: the I/O threads and the `inproc://` namespace that a process's sockets share.
///
/// A context is thread-safe (libzmq guarantees it), so it can be shared freely; the sockets made
/// from it cannot. It lives as long as any of its sockets, and terminates when the last reference
/// is gone.
public final class Context: @unchecked Sendable {
    // @unchecked Sendable: libzmq documents zmq_ctx_* as safe to call from any thread, and the
    // handle itself never changes after init.
    let handle: UnsafeMutableRawPointer

    /// A new context with libzmq's default single I/O thread.
    public init() throws(ZeroMQError) {
        guard let handle = zmq_ctx_new() else { throw ZeroMQError.current("zmq_ctx_new") }
        self.handle = handle
    }

    deinit {
        // Every socket holds a reference to its context, so none is open here and
        // zmq_ctx_term cannot block on one.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// Makes every blocking call on this context's sockets return `contextTerminated`, so that
    /// threads blocked in receive can close their sockets and end.
    public func shutdown() {
        _ = zmq_ctx_shutdown(handle)
    }

    /// The version of the libzmq the process runs with, e.g. `4.3.4`.
    public static var libraryVersion: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }

    /// Whether libzmq was built with the CURVE security mechanism (it needs libsodium).
    public static var supportsCurve: Bool {
        zmq_has("curve") != 0
    }
}
