import Exchange

/// What to do with an envelope whose signature holds, by its place in the link's chain
/// (docs/PROTOCOL.md §8 steps 7–8 and §11.1). Receipts are not in these actions: the link rules
/// hand them out only once the batch is stored (``InboundLinkStateMachine/storeCommitted()``).
public enum InboundEnvelopeAction: Hashable, Sendable {
    /// The next envelope of the link: open its content, then
    /// ``InboundLinkStateMachine/take(_:status:replayed:)`` it with what the content check said.
    case next
    /// The same envelope as one the link already holds (publication and replay overlap): nothing
    /// to store; the cumulative receipt goes out with the batch.
    case acknowledgeAgain
    /// Another envelope than the one held for that sequence, signed by the origin (equivocation):
    /// log, count and audit it as `conflict` (303); its rejection receipt goes out with the batch.
    case rejectConflict
    /// The previous hash is not the hash of the envelope held before it: count and audit it as
    /// `chainBroken` (302); its rejection receipt goes out with the batch.
    case rejectChainBroken(expected: EnvelopeHash, got: EnvelopeHash)
    /// Envelopes `missing` have not come: no receipt; a replay request when none is in flight.
    case gap(missing: ClosedRange<UInt64>, replay: ReplayRequest?)
}
