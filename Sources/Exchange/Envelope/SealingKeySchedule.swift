import Sodium

/// The origin's ephemeral key over time (docs/PROTOCOL.md §7.6): one X25519 key pair seals every
/// envelope, to every recipient, until it has sealed ``maximumEnvelopes`` or is
/// ``maximumAgeMilliseconds`` old; then a fresh one replaces it. The body key of each recipient
/// is computed once per ephemeral key, so a seal costs a signature, a hash and the AEAD instead of
/// two scalar multiplications more.
///
/// The secret half lives in this process's memory only (``SecretBytes``, zeroed when dropped)
/// and is never written or sent; a restart starts a new one. ``retireExpired()``, called by the
/// node at least once a second, drops a key past its age even when nothing is posted, so no
/// secret outlives its 60 seconds by more than that. What that costs in forward secrecy: someone
/// who reads the origin's memory while a key is current can open the envelopes sealed under it
/// (at most 1,024 envelopes, 60 seconds) that they captured on the wire. With a fresh key per
/// bulletin the window was one bulletin.
///
/// Not thread-safe: one owner (the node's engine, which seals in commit order on one thread).
public final class SealingKeySchedule {
    /// Envelopes one ephemeral key seals at most.
    public let maximumEnvelopes: Int
    /// How long one ephemeral key is used at most, ms.
    public let maximumAgeMilliseconds: UInt64
    /// The most recipients whose body keys are kept for the current key (a roster lists far
    /// fewer); past it the remembered keys are forgotten and computed again.
    public static let maximumRecipients = 64

    private let clock: () -> Timestamp
    /// The current key; `nil` before the first envelope and after ``retireExpired()``.
    private var ephemeral: X25519.PrivateKey?
    private var createdAt: Timestamp
    private var sealed = 0
    private var bodyKeys: [X25519.PublicKey: BodyKey] = [:]
    /// Ephemeral keys made so far: for tests and metrics.
    public private(set) var keysMade = 0

    /// A schedule; its first key is made for the first envelope. `clock` is the time a key's age
    /// is measured by.
    public init(
        maximumEnvelopes: Int = 1_024, maximumAgeMilliseconds: UInt64 = 60_000,
        clock: @escaping () -> Timestamp = { .now }
    ) {
        self.maximumEnvelopes = max(1, maximumEnvelopes)
        self.maximumAgeMilliseconds = maximumAgeMilliseconds
        self.clock = clock
        createdAt = clock()
    }

    /// Whether the current key may seal no more: it has sealed ``maximumEnvelopes``, is
    /// ``maximumAgeMilliseconds`` old, or the clock went back since it was made.
    private func isUsedUp(at now: Timestamp) -> Bool {
        sealed >= maximumEnvelopes || now.millisecondsSinceEpoch < createdAt.millisecondsSinceEpoch
            || now.millisecondsSinceEpoch - createdAt.millisecondsSinceEpoch >= maximumAgeMilliseconds
    }

    /// Drops the current key and the body keys made with it when it may seal no more (its
    /// secret is zeroed as it is released). Call it periodically: without posts, nothing else
    /// would.
    public func retireExpired() {
        guard ephemeral != nil, isUsedUp(at: clock()) else { return }
        ephemeral = nil
        bodyKeys.removeAll()
    }

    /// Whether a key is held now (for tests).
    public var holdsKey: Bool { ephemeral != nil }

    /// The body key to seal the next envelope for `recipientKey` with, counted as one envelope
    /// of the current ephemeral key (a fresh key first when the current one is used up or too
    /// old). Throws ``EnvelopeSealError/weakRecipientKey(_:)`` naming `recipient` for a low-order
    /// key.
    public func nextBodyKey(for recipientKey: X25519.PublicKey, recipient: StateCode) throws(EnvelopeSealError)
        -> BodyKey
    {
        let now = clock()
        let current: X25519.PrivateKey
        if let ephemeral, !isUsedUp(at: now) {
            current = ephemeral
        } else {
            current = X25519.PrivateKey()
            ephemeral = current
            createdAt = now
            sealed = 0
            bodyKeys.removeAll(keepingCapacity: true)
            keysMade += 1
        }
        sealed += 1
        if let known = bodyKeys[recipientKey] { return known }
        let bodyKey: BodyKey
        do {
            bodyKey = try BodyKey(sealingWith: current, for: recipientKey)
        } catch {
            throw .weakRecipientKey(recipient)
        }
        if bodyKeys.count >= Self.maximumRecipients { bodyKeys.removeAll(keepingCapacity: true) }
        bodyKeys[recipientKey] = bodyKey
        return bodyKey
    }
}
