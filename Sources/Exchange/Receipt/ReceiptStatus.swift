/// What a recipient did with an envelope: accepted it (stored durably) or refused it, and why.
///
/// On the wire a status byte (0 accepted, 1 rejected) and a `u16` reason (0 when accepted).
public enum ReceiptStatus: Hashable, Sendable, CustomStringConvertible {
    /// Verified, decrypted, validated and committed to the recipient's store.
    case accepted
    /// Refused with `reason`.
    case rejected(RejectionReason)

    /// `accepted` or `rejected (203 badSignature)`.
    public var description: String {
        switch self {
        case .accepted: "accepted"
        case .rejected(let reason): "rejected (\(reason))"
        }
    }
}
