import Glibc

/// What is behind the file of an `ipc://` endpoint, found at once with a plain Unix-socket
/// connect (libzmq's own connect never fails: it retries in the background, so a client would only
/// learn that nobody listens by waiting out its timeout).
public enum IPCEndpointState: Sendable, Equatable {
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
    case permissionDenied(file: IPCFileAccess)
    /// Any other failure, with its errno name and the system's message (e.g. `ENAMETOOLONG`: a
    /// Unix socket path holds at most 107 bytes).
    case unusable(errnoName: String, message: String)
}

/// A file that refused access, and who asked: what an operator needs to fix a permission problem.
public struct IPCFileAccess: Sendable, Equatable, CustomStringConvertible {
    /// The file or folder that refused.
    public let path: String
    /// Its owner, as `user:group` names (numeric ids when a name is unknown).
    public let owner: String
    /// Its permission bits, e.g. `0700`.
    public let mode: String
    /// The user this process runs as, as `name (uid N)`.
    public let requester: String

    /// A file access description from its parts (for tests of messages built on it).
    public init(path: String, owner: String, mode: String, requester: String) {
        self.path = path
        self.owner = owner
        self.mode = mode
        self.requester = requester
    }

    public var description: String {
        "\(path) is owned by \(owner) with mode \(mode), and this command runs as \(requester)"
    }
}

/// Unix-socket files of `ipc://` endpoints, probed without libzmq.
public enum IPCEndpoint {
    /// The state of the socket file at `path`: one `lstat` and one non-blocking `connect`, closed
    /// at once (a ZeroMQ listener drops a connection that sends no greeting), so it never waits.
    public static func probe(path: String) -> IPCEndpointState {
        var status = stat()
        if lstat(path, &status) != 0 {
            let code = errno
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
                errnoName: "ENAMETOOLONG", message: "the path is \(bytes.count) bytes; a Unix socket path holds at most \(capacity - 1)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
            buffer[bytes.count] = 0
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return unusable(errno) }
        defer { close(descriptor) }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if result == 0 { return .listening }
        let code = errno
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
    private static func refusingFolder(of path: String) -> IPCFileAccess {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var folder = path.hasPrefix("/") ? "" : "."
        var last = IPCFileAccess(path: path, owner: "?", mode: "?", requester: currentUser())
        for component in components.dropLast() {
            folder += "/" + component
            var status = stat()
            guard stat(folder, &status) == 0 else { break }
            last = fileAccess(of: folder, status: status)
            if access(folder, X_OK) != 0 { return last }
        }
        return last
    }

    private static func fileAccess(of path: String, status: stat) -> IPCFileAccess {
        let mode = String(status.st_mode & 0o7777, radix: 8)
        return IPCFileAccess(
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

    private static func unusable(_ code: Int32) -> IPCEndpointState {
        .unusable(errnoName: errnoName(code), message: String(cString: strerror(code)))
    }

    private static func errnoName(_ code: Int32) -> String {
        switch code {
        case ENAMETOOLONG: "ENAMETOOLONG"
        case ELOOP: "ELOOP"
        case EMFILE: "EMFILE"
        case ENFILE: "ENFILE"
        case ENOMEM: "ENOMEM"
        case ENOTSOCK: "ENOTSOCK"
        case EPROTOTYPE: "EPROTOTYPE"
        case ECONNRESET: "ECONNRESET"
        case EIO: "EIO"
        default: "errno \(code)"
        }
    }
}
