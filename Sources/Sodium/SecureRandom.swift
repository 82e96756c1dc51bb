internal import CSodium

/// Random bytes from the operating system's cryptographically secure generator (`randombytes_buf`).
public enum SecureRandom {
    /// `count` unpredictable bytes, for nonces and identifiers. Use ``SecretBytes/random(count:)``
    /// for key material.
    public static func bytes(count: Int) -> [UInt8] {
        SodiumLibrary.ensureInitialized()
        var bytes = [UInt8](repeating: 0, count: count)
        withMutableBytePointer(&bytes) { randombytes_buf($0, $1) }
        return bytes
    }
}
