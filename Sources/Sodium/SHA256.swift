internal import CSodium

/// SHA-256 (FIPS 180-4): the hash of RFC 9162 Merkle trees and of envelope chains.
public enum SHA256 {
    /// Bytes in a digest.
    public static let byteCount = 32

    /// The SHA-256 digest of `input`.
    public static func hash(_ input: [UInt8]) -> [UInt8] {
        SodiumLibrary.ensureInitialized()
        var digest = [UInt8](repeating: 0, count: byteCount)
        withMutableBytePointer(&digest) { out, _ in
            withBytePointer(input) { bytes, count in
                _ = crypto_hash_sha256(out, bytes, UInt64(count))
            }
        }
        return digest
    }

    /// An incremental SHA-256 over several pieces (e.g. a domain-separation prefix and an entry),
    /// without concatenating them first. Used once: `finalize` ends it.
    public final class Hasher {
        private let state: UnsafeMutablePointer<crypto_hash_sha256_state>

        /// Starts an empty digest.
        public init() {
            SodiumLibrary.ensureInitialized()
            state = UnsafeMutablePointer<crypto_hash_sha256_state>.allocate(capacity: 1)
            _ = crypto_hash_sha256_init(state)
        }

        deinit {
            state.deallocate()
        }

        /// Adds `bytes` to the digest.
        public func update(_ bytes: [UInt8]) {
            withBytePointer(bytes) { input, count in
                _ = crypto_hash_sha256_update(state, input, UInt64(count))
            }
        }

        /// The 32-byte digest.
        public func finalize() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: SHA256.byteCount)
            withMutableBytePointer(&digest) { out, _ in
                _ = crypto_hash_sha256_final(state, out)
            }
            return digest
        }
    }
}
