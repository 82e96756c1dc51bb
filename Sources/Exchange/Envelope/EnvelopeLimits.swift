/// Size limits of envelopes (docs/PROTOCOL.md §9).
public struct EnvelopeLimits: Hashable, Sendable {
    /// The protocol's limits: bulletin bodies up to 64 KiB, envelopes up to 96 KiB.
    public static let standard = EnvelopeLimits(maximumBodyByteCount: 64 * 1024, maximumEnvelopeByteCount: 96 * 1024)

    /// The largest bulletin JSON an origin seals.
    public let maximumBodyByteCount: Int
    /// The largest envelope a recipient reads (larger frames are refused before any parsing; the
    /// margin over body + overhead leaves room for a later, larger body limit).
    public let maximumEnvelopeByteCount: Int

    /// Custom limits (tests, or a later protocol revision).
    public init(maximumBodyByteCount: Int, maximumEnvelopeByteCount: Int) {
        self.maximumBodyByteCount = maximumBodyByteCount
        self.maximumEnvelopeByteCount = maximumEnvelopeByteCount
    }
}
