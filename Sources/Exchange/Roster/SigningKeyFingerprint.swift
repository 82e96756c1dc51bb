import Sodium

/// A short, stable name of an Ed25519 signing key: its first 8 bytes, big-endian. A recipient
/// stores it with each envelope it accepts, so that when a later roster revokes the key that
/// signed them it flags exactly those (docs/PROTOCOL.md §6.5). Keys are random and chosen by
/// their owners, never by a peer, so two keys of one state sharing a fingerprint is not a
/// practical concern; it names a key, it proves nothing.
public enum SigningKeyFingerprint {
    /// The fingerprint of `key`.
    public static func of(_ key: Ed25519.PublicKey) -> UInt64 {
        key.rawRepresentation.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
    }
}
