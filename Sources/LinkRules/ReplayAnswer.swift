/// What an origin last answered to one peer's replay requests: while it is in flight (sent less
/// than the replay timeout ago and not yet acknowledged by a request beyond it), further requests
/// from that peer are dropped and counted.
struct ReplayAnswer: Hashable, Sendable {
    /// The `after` of the request answered.
    let after: UInt64
    /// The last sequence the answer held (`after` when it held none).
    let last: UInt64
    /// When it was sent.
    let sentAt: ContinuousClock.Instant
    /// Whether the service socket queued it (`false`: the peer's queue was full, or it left).
    let queued: Bool

    /// Whether a request for what follows `after` shows the peer got this answer and asks for
    /// the next batch: the answer was queued, held envelopes, and `after` is at least its last.
    func isFollowed(by after: UInt64) -> Bool {
        queued && last > self.after && after >= last
    }
}
