import LocalFiles
import Synchronization

/// Whether a TCP port on 127.0.0.1 can be listened on right now, asked the way ZeroMQ will bind
/// it (with `SO_REUSEADDR`, so a port left in TIME_WAIT by a previous demo counts as free).
public enum LoopbackPort {
    /// Whether `port` is free on 127.0.0.1: a throwaway socket binds it, listens and closes.
    public static func isFree(_ port: Int) -> Bool {
        LoopbackListener.canListen(onPort: port)
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
