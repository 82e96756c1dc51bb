import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Whether a TCP port on 127.0.0.1 can be listened on right now, asked the way ZeroMQ will bind
/// it (with `SO_REUSEADDR`, so a port left in TIME_WAIT by a previous demo counts as free).
public enum LoopbackPort {
    /// Whether `port` is free on 127.0.0.1: a throwaway socket binds it, listens and closes.
    public static func isFree(_ port: Int) -> Bool {
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

    /// The first of `count` consecutive free ports at or above `start` (tried in steps of
    /// `count`, at most `attempts` times), for tests and for suggesting another `--base-port`.
    public static func freeRange(count: Int, from start: Int, attempts: Int = 200) -> Int? {
        var base = start
        for _ in 0..<attempts where base + count - 1 <= 65_535 {
            if (base..<(base + count)).allSatisfy(isFree) { return base }
            base += count
        }
        return nil
    }

    /// Ports that ``claimRange(count:in:)`` handed out in this process.
    private static let claimed = Mutex<Set<Int>>([])

    /// The first of `count` consecutive ports in `range` that are free now and that no earlier
    /// call in this process claimed; they stay claimed for the life of the process.
    ///
    /// Tests that run side by side in one process choose ports for nodes that bind them only
    /// seconds later (after keys and a roster are made): a freeness check alone would let two
    /// of them choose the same port in that window. The search starts at a random place in
    /// `range` so that separate processes rarely meet either.
    public static func claimRange(count: Int, in range: Range<Int>) -> Int? {
        guard count > 0, range.count >= count else { return nil }
        let slots = range.count / count
        let first = Int.random(in: 0..<slots)
        return claimed.withLock { taken in
            for step in 0..<slots {
                let base = range.lowerBound + ((first + step) % slots) * count
                let ports = base..<(base + count)
                if ports.allSatisfy({ !taken.contains($0) && isFree($0) }) {
                    taken.formUnion(ports)
                    return base
                }
            }
            return nil
        }
    }
}
