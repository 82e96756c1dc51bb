/// Why a receipt could not be decoded, signed or verified.
public enum ReceiptError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes do not encode a receipt.
    case malformed(FormatError)
    /// The recipient named in the receipt is not in the roster.
    case unknownRecipient(StateCode)
    /// An acceptance for a link the roster does not have.
    case notLinked(Link)
    /// The signature does not verify with the recipient's roster key.
    case badSignature(recipient: StateCode)
    /// A node tried to sign a receipt for another state's envelope.
    case signerIsNotRecipient(signer: StateCode, recipient: StateCode)

    /// What went wrong and what to do about it, for an operator; never contains a secret.
    public var description: String {
        switch self {
        case .malformed(let error):
            "the receipt is malformed: \(error)"
        case .unknownRecipient(let state):
            "the receipt's recipient \(state) is not in the roster"
        case .notLinked(let link):
            "the receipt acknowledges link \(link), which the roster does not have"
        case .badSignature(let recipient):
            "the receipt's signature does not verify with \(recipient)'s roster key; it proves nothing"
        case .signerIsNotRecipient(let signer, let recipient):
            "node \(signer) cannot sign a receipt for envelopes addressed to \(recipient)"
        }
    }
}
