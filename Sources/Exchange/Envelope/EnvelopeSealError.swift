/// Why an origin could not seal an envelope (its own input, not a peer's).
public enum EnvelopeSealError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bulletin JSON is larger than the body limit.
    case bodyTooLarge(size: Int, limit: Int)
    /// The recipient is the origin's own state.
    case recipientIsOrigin(StateCode)
    /// The link has used every sequence number (2⁶⁴−1 envelopes).
    case sequenceExhausted(Link)
    /// The recipient's encryption key is of low order (a broken or malicious roster entry).
    case weakRecipientKey(StateCode)
    /// A body key computed for another encryption key than the one the recipient is sealed to
    /// (a roster installed between computing the key and sealing).
    case bodyKeyForAnotherRecipient(StateCode)

    /// What went wrong and what to do about it, for an operator; never contains a secret.
    public var description: String {
        switch self {
        case .bodyTooLarge(let size, let limit):
            "the bulletin is \(size) bytes, more than the \(limit)-byte limit; shorten it or attach files separately"
        case .recipientIsOrigin(let state):
            "cannot send an envelope from \(state) to itself"
        case .sequenceExhausted(let link):
            "link \(link) has no sequence numbers left"
        case .weakRecipientKey(let state):
            "the encryption key of \(state) in the roster is a low-order point; ask the secretariat to fix the roster"
        case .bodyKeyForAnotherRecipient(let state):
            "the body key was computed for another encryption key than the one \(state) is sealed to (a new roster?); seal the envelope again"
        }
    }
}
