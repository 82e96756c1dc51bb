internal import Crypto

/// SHA-256 (FIPS 180-4): the hash of RFC 9162 Merkle trees, of envelopes and of attachments.
///
/// Computed by swift-crypto (BoringSSL's SHA-NI and AVX2 code) rather than libsodium, whose
/// portable C took 6.3 µs for a 1.3 KB envelope against 1.4 µs here: every bulletin is hashed
/// at both ends, and every audit event several times (docs/PERFORMANCE.md). It is the same
/// function, so every digest, vector and stored hash is unchanged.
public enum SHA256 {
    /// Bytes in a digest.
    public static let byteCount = 32

    /// The SHA-256 digest of `input`.
    public static func hash(_ input: [UInt8]) -> [UInt8] {
        Array(Crypto.SHA256.hash(data: input))
    }

    /// An incremental SHA-256 over several pieces (e.g. a domain-separation prefix and an entry),
    /// without concatenating them first. Used once: `finalize` ends it.
    public final class Hasher {
        private var state = Crypto.SHA256()

        /// Starts an empty digest.
        public init() {}

        /// Adds `bytes` to the digest.
        public func update(_ bytes: [UInt8]) {
            state.update(data: bytes)
        }

        /// The 32-byte digest.
        public func finalize() -> [UInt8] {
            Array(state.finalize())
        }
    }
}
