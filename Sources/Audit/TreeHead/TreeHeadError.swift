import Exchange

/// Why a signed tree head was not accepted as coming from a node, or could not be signed.
public enum TreeHeadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The roster has no member for the head's state.
    case unknownState(StateCode)
    /// The head names another state than the card it is checked against.
    case stateMismatch(head: StateCode, card: StateCode)
    /// The head names a signing key that is not the state's key in the roster (or, when signing,
    /// not the key of the identity asked to sign).
    case keyMismatch(state: StateCode)
    /// The signature does not verify with the head's key.
    case badSignature(state: StateCode, treeSize: UInt64)

    /// What went wrong and what to do, for an operator.
    public var description: String {
        switch self {
        case .unknownState(let state):
            "the tree head claims state \(state), which is not in the roster (stale roster, or a forged head)"
        case .stateMismatch(let head, let card):
            "the tree head is from \(head) but was checked against the card of \(card)"
        case .keyMismatch(let state):
            "the tree head of \(state) names a signing key that is not \(state)'s key in the roster (rotated key, stale roster, or a forged head)"
        case .badSignature(let state, let treeSize):
            "the signature of \(state)'s tree head for size \(treeSize) does not verify: the head was altered or forged — keep it as evidence"
        }
    }
}
