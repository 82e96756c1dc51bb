import Sodium

/// A roster's canonical bytes and the secretariat's Ed25519 signature over exactly those bytes:
/// the form in which rosters travel and are stored. Decode it only through ``RosterVerifier``.
///
/// Serialized as the roster bytes followed by the 64-byte signature (docs/PROTOCOL.md §6.3).
public struct SignedRoster: Hashable, Sendable {
    /// The roster's canonical bytes (tag `BNRS`).
    public let rosterBytes: [UInt8]
    /// The secretariat's signature of ``rosterBytes``.
    public let signature: [UInt8]

    /// Pairs roster bytes with a signature (neither is checked here).
    public init(rosterBytes: [UInt8], signature: [UInt8]) {
        self.rosterBytes = rosterBytes
        self.signature = signature
    }

    /// Splits serialized bytes: everything but the last 64 bytes is the roster.
    public init(serializedBytes: [UInt8]) throws(RosterError) {
        guard serializedBytes.count > Ed25519.signatureByteCount else {
            throw RosterError.malformed(
                .truncated(field: "signed roster", needed: Ed25519.signatureByteCount + 1, remaining: serializedBytes.count))
        }
        let split = serializedBytes.count - Ed25519.signatureByteCount
        rosterBytes = Array(serializedBytes[..<split])
        signature = Array(serializedBytes[split...])
    }

    /// The roster bytes followed by the signature.
    public var serializedBytes: [UInt8] { rosterBytes + signature }
}
