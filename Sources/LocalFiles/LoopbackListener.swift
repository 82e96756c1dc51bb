#if canImport(Glibc)
    internal import Glibc
#endif

/// TCP on 127.0.0.1, asked the way ZeroMQ will bind it.
public enum LoopbackListener {
    /// Whether a TCP port on 127.0.0.1 can be listened on right now: a throwaway socket binds it
    /// with `SO_REUSEADDR` (so a port left in TIME_WAIT counts as free), listens and closes.
    public static func canListen(onPort port: Int) -> Bool {
        guard (1...65_535).contains(port) else { return false }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var reuse: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        return bound && listen(descriptor, 1) == 0
    }
}
