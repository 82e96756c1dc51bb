import SearchIndex
import Synchronization

/// Alerts raised on the indexer's thread, waiting for the I/O thread, which alone owns the feed
/// socket and the audit log's pending events: the indexer ``put(_:)``s them after their rows are
/// committed in `search.sqlite`, the loop ``take()``s them each turn, publishes them on the
/// feed's `alert` topic and audits them (`alertRaised`).
///
/// Bounded: beyond ``capacity`` waiting alerts, the newest are not queued (they stay in
/// `search.sqlite`, where `bordernet alerts` and the console read them) and counted, so the loop
/// logs how many were not published.
final class AlertOutbox: Sendable {
    /// The most alerts waiting for the loop.
    static let capacity = 10_000

    private struct State {
        var alerts: [WatchAlert] = []
        var dropped = 0
    }

    private let state = Mutex(State())

    /// Queues `alerts` (in order) up to ``capacity``.
    func put(_ alerts: [WatchAlert]) {
        guard !alerts.isEmpty else { return }
        state.withLock { state in
            let room = max(0, Self.capacity - state.alerts.count)
            state.alerts.append(contentsOf: alerts.prefix(room))
            state.dropped += max(0, alerts.count - room)
        }
    }

    /// Everything queued, oldest first, and how many were not queued since the last call.
    func take() -> (alerts: [WatchAlert], dropped: Int) {
        state.withLock { state in
            defer { state = State() }
            return (state.alerts, state.dropped)
        }
    }
}
