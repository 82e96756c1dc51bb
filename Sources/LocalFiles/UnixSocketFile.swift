#if canImport(Glibc)
    internal import Glibc
#endif

/// Unix-socket files (the files of ZeroMQ `ipc://` endpoints, such as a node's `control.sock`),
/// probed with plain system calls: libzmq's own connect never fails (it retries in the
/// background), so a client would only learn that nobody listens by waiting out its timeout.
public enum UnixSocketFile {
    /// What is behind a socket file.
    public enum State: Sendable, Equatable {
        /// A process accepts connections on the socket.
        case listening
        /// There is no file at the path (or a folder on the way to it is missing).
        case missing
        /// A socket file nobody listens on (`ECONNREFUSED`): its process ended without removing it.
        case stale
        /// The path exists but is not a socket (a regular file, a folder…).
        case notASocket
        /// The operating system refused this user (`EACCES`/`EPERM`): on the socket file itself, or
        /// on a folder on the way that this user may not enter; `file` describes the one refusing.
        case permissionDenied(file: AccessRefusal)
        /// Any other failure, with the symbolic name of the error and the system's message (e.g.
        /// `ENAMETOOLONG`: a Unix socket path holds at most 107 bytes).
        case unusable(errorName: String, message: String)
    }

    /// The state of the socket file at `path`: one `lstat` and one non-blocking `connect`, closed
    /// at once (a ZeroMQ listener drops a connection that sends no greeting), so it never waits.
    public static func probe(path: String) -> State {
        var status = stat()
        if lstat(path, &status) != 0 {
            let code = SystemError.code
            switch code {
            case ENOENT, ENOTDIR: return .missing
            case EACCES, EPERM: return .permissionDenied(file: refusingFolder(of: path))
            default: return unusable(code)
            }
        }
        guard status.st_mode & S_IFMT == S_IFSOCK else { return .notASocket }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            return .unusable(
                errorName: "ENAMETOOLONG", message: "the path is \(bytes.count) bytes; a Unix socket path holds at most \(capacity - 1)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
            buffer[bytes.count] = 0
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return unusable(SystemError.code) }
        defer { close(descriptor) }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if result == 0 { return .listening }
        let code = SystemError.code
        switch code {
        // A full backlog: someone listens, it is only busy.
        case EAGAIN, EINPROGRESS: return .listening
        case ECONNREFUSED: return .stale
        case ENOENT: return .missing
        case EACCES, EPERM: return .permissionDenied(file: fileAccess(of: path, status: status))
        default: return unusable(code)
        }
    }

    /// The first folder on the way to `path` that this user may not enter, or the deepest one
    /// that exists (the walk is bounded by the number of path components).
    private static func refusingFolder(of path: String) -> AccessRefusal {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var folder = path.hasPrefix("/") ? "" : "."
        var last = AccessRefusal(path: path, owner: "?", mode: "?", requester: currentUser())
        for component in components.dropLast() {
            folder += "/" + component
            var status = stat()
            guard stat(folder, &status) == 0 else { break }
            last = fileAccess(of: folder, status: status)
            if access(folder, X_OK) != 0 { return last }
        }
        return last
    }

    private static func fileAccess(of path: String, status: stat) -> AccessRefusal {
        let mode = String(status.st_mode & 0o7777, radix: 8)
        return AccessRefusal(
            path: path, owner: "\(userName(status.st_uid) ?? "\(status.st_uid)"):\(groupName(status.st_gid) ?? "\(status.st_gid)")",
            mode: String(repeating: "0", count: max(0, 4 - mode.count)) + mode, requester: currentUser())
    }

    private static func currentUser() -> String {
        let uid = geteuid()
        return "\(userName(uid) ?? "uid \(uid)") (uid \(uid))"
    }

    private static func userName(_ uid: uid_t) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        let size = 4_096
        var buffer = [CChar](repeating: 0, count: size)
        guard getpwuid_r(uid, &entry, &buffer, size, &result) == 0, result != nil, let name = entry.pw_name else { return nil }
        return String(cString: name)
    }

    private static func groupName(_ gid: gid_t) -> String? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        let size = 4_096
        var buffer = [CChar](repeating: 0, count: size)
        guard getgrgid_r(gid, &entry, &buffer, size, &result) == 0, result != nil, let name = entry.gr_name else { return nil }
        return String(cString: name)
    }

    private static func unusable(_ code: Int32) -> State {
        .unusable(errorName: SystemError.name(code), message: SystemError.message(code))
    }
}
