import Exchange

/// A misuse of ``InboundLinkStateMachine`` by its caller: an envelope taken out of turn.
public enum InboundLinkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `envelope` is not the next of the link at `position` (another sequence, or a previous hash
    /// that is not the position's): it was not taken. Ask ``InboundLinkStateMachine/envelopeVerified(_:storedHash:now:)`` first.
    case notNext(envelope: EnvelopeFacts, position: ChainPosition)

    /// What happened, for the log.
    public var description: String {
        switch self {
        case .notNext(let envelope, let position):
            "envelope \(envelope) (previous hash \(envelope.previousHash.description.prefix(16))…) is not the next after \(position); not taken"
        }
    }
}
