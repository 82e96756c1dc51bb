import Sodium
import Synchronization

/// The body keys a recipient computed lately, by ephemeral key (docs/PROTOCOL.md §7.6): an origin
/// that seals many envelopes under one ephemeral key costs the recipient one scalar
/// multiplication for all of them. A body key is a function of the recipient's own key and the
/// envelope's ephemeral key only, so remembering it changes no outcome: an envelope that would
/// not open without the cache does not open with it.
///
/// Bounded: at most ``capacity`` keys, the least recently used forgotten first. A peer that
/// sends every envelope under a new ephemeral key only makes every opening pay its scalar
/// multiplication, as without the cache. Safe to share between the threads that open envelopes.
public final class OpeningKeyCache: Sendable {
    /// The most body keys kept.
    public let capacity: Int

    private struct Entry {
        let bodyKey: BodyKey
        var lastUse: UInt64
    }

    private struct State {
        var entries: [X25519.PublicKey: Entry] = [:]
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    private let state = Mutex(State())

    /// An empty cache of at most `capacity` keys (at least 1).
    public init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
    }

    /// Keys found in the cache and keys computed, since it was made.
    public var counts: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    /// The body key of `ephemeralKey` for the holder of `own`, remembered or computed (outside
    /// the lock: threads opening envelopes under other keys do not wait for a scalar
    /// multiplication). Throws ``SodiumError/weakPublicKey`` for a low-order ephemeral key, which
    /// is never remembered.
    public func bodyKey(openingWith own: X25519.PrivateKey, from ephemeralKey: X25519.PublicKey) throws(SodiumError)
        -> BodyKey
    {
        let known: BodyKey? = state.withLock { state in
            state.clock &+= 1
            guard var entry = state.entries[ephemeralKey], entry.bodyKey.recipientKey == own.publicKey else {
                return nil
            }
            entry.lastUse = state.clock
            state.entries[ephemeralKey] = entry
            state.hits += 1
            return entry.bodyKey
        }
        if let known { return known }
        let computed = try BodyKey(openingWith: own, from: ephemeralKey)
        state.withLock { state in
            state.misses += 1
            if state.entries[ephemeralKey] == nil, state.entries.count >= capacity,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
            {
                state.entries[oldest] = nil
            }
            state.entries[ephemeralKey] = Entry(bodyKey: computed, lastUse: state.clock)
        }
        return computed
    }
}
