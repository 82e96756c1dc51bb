import Exchange

/// Counts the transport messages a node refuses, per peer and reason, so that a flood is
/// counted in full but logged and audited in summaries: the first refusal of a (peer, reason)
/// in an interval is logged with its detail, the rest of the interval only counted, and at the
/// end of the interval one log line and one audit entry say how many there were.
///
/// Pure bookkeeping: the engine logs, audits and exports what this returns.
struct RefusalTally {
    /// A peer and a reason: the unit of counting. `peer` is `nil` for connections refused
    /// before any state could be named (an unknown CURVE key).
    struct Key: Hashable, Comparable {
        let peer: StateCode?
        let reason: RejectionReason

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.peer?.description ?? "", lhs.reason) < (rhs.peer?.description ?? "", rhs.reason)
        }
    }

    /// What one interval held for one key.
    struct Summary: Equatable {
        let key: Key
        /// Refusals in the interval (the first one included).
        let count: UInt64
        /// Refusals that were not logged one by one.
        let unlogged: UInt64
    }

    /// Refusals since start, per key (for `status`).
    private(set) var totals: [Key: UInt64] = [:]
    /// Refusals in the current interval, per key.
    private var pending: [Key: UInt64] = [:]

    /// Counts one refusal (or `count`); answers whether it is the first of its key in this
    /// interval, i.e. whether the caller should log it in detail.
    mutating func note(_ key: Key, count: UInt64 = 1) -> Bool {
        totals[key, default: 0] &+= count
        let before = pending[key, default: 0]
        pending[key] = before &+ count
        return before == 0
    }

    /// Ends the interval: the summaries of every key refused in it, in key order, and a new
    /// empty interval.
    mutating func closeInterval() -> [Summary] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending.keys.sorted().compactMap { key in
            guard let count = pending[key], count > 0 else { return nil }
            return Summary(key: key, count: count, unlogged: count - 1)
        }
    }

    /// Totals since start as `peer → reason name → count`, `?` for an unnamed peer.
    var totalsByPeer: [String: [String: Int]] {
        var result: [String: [String: Int]] = [:]
        for (key, count) in totals {
            result[key.peer?.description ?? "?", default: [:]][key.reason.name] = Int(clamping: count)
        }
        return result
    }
}
