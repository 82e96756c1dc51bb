/// One recipient of a bulletin being sealed: its roster card and the origin's position on the
/// link to it (the last envelope sealed on that link).
public struct EnvelopeRecipient: Sendable {
    /// The recipient's card (state and encryption key), from the roster.
    public let card: IdentityCard
    /// The last envelope sealed on the link origin → recipient (``ChainPosition/start`` if none).
    public let position: ChainPosition

    /// A recipient at `position`.
    public init(card: IdentityCard, position: ChainPosition) {
        self.card = card
        self.position = position
    }
}
