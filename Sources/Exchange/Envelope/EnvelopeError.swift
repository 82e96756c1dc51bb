/// Why an envelope was refused, case by case in the order the checks run (docs/PROTOCOL.md §8).
/// Each case maps to a stable ``RejectionReason`` code for receipts and the audit log.
///
/// Descriptions name states, sequence numbers and hashes, never key material or body content.
public enum EnvelopeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The frame is larger than the limit (refused before parsing).
    case oversized(size: Int, limit: Int)
    /// The frame is shorter than the minimum or than its ciphertext length says.
    case truncated(size: Int, needed: Int)
    /// A field is invalid (unknown TLP, sequence 0, bad state code, bytes after the signature).
    case malformed(FormatError)
    /// The protocol version byte is not one this node speaks.
    case unsupportedVersion(UInt8)
    /// The envelope is addressed to `got`, and this node is `expected`.
    case wrongRecipient(got: StateCode, expected: StateCode)
    /// The origin state is not in the roster.
    case unknownOrigin(state: StateCode)
    /// The roster has no link from `origin` to `recipient`.
    case notLinked(Link)
    /// The signature does not verify with the origin's signing key in the roster.
    case badSignature(origin: StateCode)
    /// Sequence `sequence` was already accepted on the link. Compare `hash` with the stored hash
    /// of that sequence: equal is a harmless re-delivery, different is a conflicting envelope
    /// (equivocation by the origin) to be audited.
    case duplicate(link: Link, sequence: UInt64, hash: EnvelopeHash)
    /// Envelopes `missing` have not been accepted yet; ask the origin's replay service for them.
    case gap(link: Link, missing: ClosedRange<UInt64>)
    /// The previous-envelope hash is `got`, but the envelope accepted before has hash `expected`.
    case chainBroken(link: Link, expected: EnvelopeHash, got: EnvelopeHash)
    /// The verified body does not decrypt with this node's encryption key.
    case decryptionFailed(link: Link, sequence: UInt64)
    /// Signed and chained, but with the origin's key the roster revoked from `since`, at or
    /// before the envelope's created-at: its body is not opened (docs/PROTOCOL.md §6.5, §8).
    case revokedKey(link: Link, sequence: UInt64, since: Timestamp)

    /// The stable numeric code of this refusal.
    public var reason: RejectionReason {
        switch self {
        case .oversized: .oversized
        case .truncated: .truncated
        case .malformed: .malformed
        case .unsupportedVersion: .unsupportedVersion
        case .wrongRecipient: .wrongRecipient
        case .unknownOrigin: .unknownOrigin
        case .notLinked: .notLinked
        case .badSignature: .badSignature
        case .duplicate: .duplicate
        case .gap: .gap
        case .chainBroken: .chainBroken
        case .decryptionFailed: .decryptionFailed
        case .revokedKey: .revokedKey
        }
    }

    /// What went wrong and what to do about it, for an operator; never contains a secret.
    public var description: String {
        let text: String
        switch self {
        case .oversized(let size, let limit):
            text = "envelope of \(size) bytes exceeds the \(limit)-byte limit; refused unread"
        case .truncated(let size, let needed):
            text = "envelope of \(size) bytes is truncated (\(needed) needed); it will be replayed"
        case .malformed(let error):
            text = "envelope is malformed: \(error)"
        case .unsupportedVersion(let version):
            text = "envelope protocol version \(version) is not supported (this node speaks 1); upgrade the node"
        case .wrongRecipient(let got, let expected):
            text = "envelope is addressed to \(got), not to this node (\(expected)); check the subscription topics"
        case .unknownOrigin(let state):
            text = "origin \(state) is not in the roster; refused (forged, or the roster is out of date)"
        case .notLinked(let link):
            text = "the roster has no link \(link); refused"
        case .badSignature(let origin):
            text = "signature does not verify with \(origin)'s roster key; refused (forged or altered in transit)"
        case .duplicate(let link, let sequence, let hash):
            text = "\(link) seq \(sequence) was already accepted; compare hash \(hash) with the stored one"
        case .gap(let link, let missing):
            text = missing.count == 1
                ? "\(link) seq \(missing.lowerBound) is missing; request it from the origin's replay service"
                : "\(link) seq \(missing.lowerBound)…\(missing.upperBound) are missing; request them from the origin's replay service"
        case .chainBroken(let link, let expected, let got):
            text = "\(link) chain broken: previous hash \(got), expected \(expected); the origin forked the link, audit it"
        case .decryptionFailed(let link, let sequence):
            text = "\(link) seq \(sequence) is signed but does not decrypt with this node's key (roster key out of date?)"
        case .revokedKey(let link, let sequence, let since):
            text =
                "\(link) seq \(sequence) is signed with \(link.origin)'s key revoked since \(since): not opened; it keeps its place in the chain and \(link.origin) learns from its rejected receipt (its operator posts again what it vouches for)"
        }
        return "[\(reason)] " + text
    }
}
