internal import CSodium

/// BLAKE2b hashing (RFC 7693), optionally keyed: the key derivation of envelope bodies.
public enum BLAKE2b {
    /// The shortest digest libsodium produces.
    public static let minimumOutputByteCount = Int(crypto_generichash_blake2b_BYTES_MIN)
    /// The longest digest libsodium produces.
    public static let maximumOutputByteCount = Int(crypto_generichash_blake2b_BYTES_MAX)
    /// The longest key a keyed hash accepts.
    public static let maximumKeyByteCount = Int(crypto_generichash_blake2b_KEYBYTES_MAX)

    /// The `outputByteCount`-byte BLAKE2b digest of `input`, keyed with `key` when given.
    public static func hash(
        _ input: [UInt8], outputByteCount: Int = 32, key: SecretBytes? = nil
    ) throws(SodiumError) -> [UInt8] {
        let hasher = try Hasher(outputByteCount: outputByteCount, key: key)
        hasher.update(input)
        return hasher.finalize()
    }

    /// An incremental BLAKE2b computation over several pieces, e.g. a KDF input made of a shared
    /// secret and two public keys, without concatenating secrets in ordinary memory.
    ///
    /// A hasher belongs to the code that created it and is used once: `finalize` ends it.
    public final class Hasher {
        // The C state type is declared 64-byte aligned, which Swift does not import; libsodium
        // tells its size and we allocate it with that alignment ourselves.
        private let state: OpaquePointer
        private let stateMemory: UnsafeMutableRawPointer
        private let outputByteCount: Int

        /// Starts a digest of `outputByteCount` bytes (16…64), keyed with `key` (up to 64 bytes).
        public init(outputByteCount: Int = 32, key: SecretBytes? = nil) throws(SodiumError) {
            let outputRange = BLAKE2b.minimumOutputByteCount...BLAKE2b.maximumOutputByteCount
            guard outputRange.contains(outputByteCount) else {
                throw SodiumError.lengthOutOfRange(what: "BLAKE2b output", allowed: outputRange, actual: outputByteCount)
            }
            if let key, key.count > BLAKE2b.maximumKeyByteCount {
                throw SodiumError.lengthOutOfRange(
                    what: "BLAKE2b key", allowed: 0...BLAKE2b.maximumKeyByteCount, actual: key.count)
            }
            SodiumLibrary.ensureInitialized()
            self.outputByteCount = outputByteCount
            stateMemory = UnsafeMutableRawPointer.allocate(
                byteCount: crypto_generichash_blake2b_statebytes(), alignment: 64)
            state = OpaquePointer(stateMemory)
            if let key {
                key.withUnsafeSecret { k in
                    _ = crypto_generichash_blake2b_init(state, k, key.count, outputByteCount)
                }
            } else {
                _ = crypto_generichash_blake2b_init(state, nil, 0, outputByteCount)
            }
        }

        deinit {
            sodium_memzero(stateMemory, crypto_generichash_blake2b_statebytes())
            stateMemory.deallocate()
        }

        /// Adds `bytes` to the digest.
        public func update(_ bytes: [UInt8]) {
            withBytePointer(bytes) { input, count in
                _ = crypto_generichash_blake2b_update(state, input, UInt64(count))
            }
        }

        /// Adds secret bytes to the digest without copying them out of their protected buffer.
        public func update(_ secret: SecretBytes) {
            secret.withUnsafeSecret { input in
                _ = crypto_generichash_blake2b_update(state, input, UInt64(secret.count))
            }
        }

        /// The digest, as plain bytes.
        public func finalize() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: outputByteCount)
            withMutableBytePointer(&digest) { out, count in
                _ = crypto_generichash_blake2b_final(state, out, count)
            }
            return digest
        }

        /// The digest, kept secret: for deriving keys.
        public func finalizeSecret() -> SecretBytes {
            SecretBytes(count: outputByteCount) { out in
                _ = crypto_generichash_blake2b_final(state, out, outputByteCount)
            }
        }
    }
}
