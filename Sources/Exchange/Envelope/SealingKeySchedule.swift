import Sodium

/// The origin's ephemeral key over time (docs/PROTOCOL.md §7.6): one X25519 key pair seals every
/// envelope, to every recipient, until it has sealed ``maximumEnvelopes`` or is
/// ``maximumAgeMilliseconds`` old; then a fresh one replaces it. The body key of each recipient
/// is computed once per ephemeral key, so a seal costs a signature, a hash and the AEAD instead of
/// two scalar multiplications more.
///
/// The secret half lives in memory only (``SecretBytes``: locked, wiped when dropped) and is
/// never written anywhere; a restart starts a new one. What that costs in forward secrecy:
/// someone who reads the origin's memory while a key is current can open the envelopes sealed
/// under it — at most 1,024 envelopes or 60 seconds — which that memory's store holds in clear
/// anyway. Without the schedule (a fresh key per bulletin) the window is one bulletin.
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
    private var ephemeral: X25519.PrivateKey
    private var createdAt: Timestamp
    private var sealed = 0
    private var bodyKeys: [X25519.PublicKey: BodyKey] = [:]
    /// Ephemeral keys made so far (the first included): for tests and metrics.
    public private(set) var keysMade = 1

    /// A schedule with a fresh ephemeral key. `clock` is the time a key's age is measured by.
    public init(
        maximumEnvelopes: Int = 1_024, maximumAgeMilliseconds: UInt64 = 60_000,
        clock: @escaping () -> Timestamp = { .now }
    ) {
        self.maximumEnvelopes = max(1, maximumEnvelopes)
        self.maximumAgeMilliseconds = maximumAgeMilliseconds
        self.clock = clock
        ephemeral = X25519.PrivateKey()
        createdAt = clock()
    }

    /// The body key to seal the next envelope for `recipientKey` with, counted as one envelope
    /// of the current ephemeral key (a fresh key first when the current one is used up or too
    /// old). Throws ``EnvelopeSealError/weakRecipientKey(_:)`` naming `recipient` for a low-order
    /// key.
    public func nextBodyKey(for recipientKey: X25519.PublicKey, recipient: StateCode) throws(EnvelopeSealError)
        -> BodyKey
    {
        let now = clock()
        if sealed >= maximumEnvelopes
            || now.millisecondsSinceEpoch &- createdAt.millisecondsSinceEpoch >= maximumAgeMilliseconds
            || now.millisecondsSinceEpoch < createdAt.millisecondsSinceEpoch
        {
            ephemeral = X25519.PrivateKey()
            createdAt = now
            sealed = 0
            bodyKeys.removeAll(keepingCapacity: true)
            keysMade += 1
        }
        sealed += 1
        if let known = bodyKeys[recipientKey] { return known }
        let bodyKey: BodyKey
        do {
            bodyKey = try BodyKey(sealingWith: ephemeral, for: recipientKey)
        } catch {
            throw .weakRecipientKey(recipient)
        }
        if bodyKeys.count >= Self.maximumRecipients { bodyKeys.removeAll(keepingCapacity: true) }
        bodyKeys[recipientKey] = bodyKey
        return bodyKey
    }
}
