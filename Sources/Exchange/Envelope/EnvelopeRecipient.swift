import Sodium

/// One recipient of a bulletin being sealed: its roster card, the key its body is encrypted to,
/// and the origin's position on the link to it (the last envelope sealed on that link).
public struct EnvelopeRecipient: Sendable {
    /// The recipient's card (state and encryption key), from the roster.
    public let card: IdentityCard
    /// The key the body is encrypted to: the card's (what BorderNet's nodes use), or another key
    /// the recipient holds, e.g. the schedule's (``Roster/encryptionKey(of:at:)``).
    public let encryptionKey: X25519.PublicKey
    /// The last envelope sealed on the link origin → recipient (``ChainPosition/start`` if none).
    public let position: ChainPosition

    /// A recipient at `position`, sealed to its card's encryption key.
    public init(card: IdentityCard, position: ChainPosition) {
        self.init(card: card, encryptionKey: card.encryptionKey, position: position)
    }

    /// A recipient at `position`, sealed to `encryptionKey` (the key the roster has in force for
    /// the recipient at the envelope's created-at, which may be an older key than the card's).
    public init(card: IdentityCard, encryptionKey: X25519.PublicKey, position: ChainPosition) {
        self.card = card
        self.encryptionKey = encryptionKey
        self.position = position
    }

    /// The member `state` of `roster` at `position`, sealed to the encryption key `roster` has in
    /// force for it at `createdAt` (the created-at of the envelope being sealed); `nil` when
    /// `state` is not a member.
    public init?(_ state: StateCode, in roster: Roster, at createdAt: Timestamp, position: ChainPosition) {
        guard let card = roster.member(state)?.card else { return nil }
        self.init(
            card: card, encryptionKey: roster.encryptionKey(of: state, at: createdAt) ?? card.encryptionKey,
            position: position)
    }
}
