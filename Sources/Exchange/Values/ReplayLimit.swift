/// The most envelopes one replay answer may hold (docs/PROTOCOL.md §16.5): the largest
/// `limits.replay_batch` a node accepts in `node.toml`, and the size beyond which a requester
/// refuses an answer as malformed. One constant for the setting, the link rules and the wire.
public enum ReplayLimit {
    /// 10,000 envelopes.
    public static let maximumEnvelopes = 10_000
}
