internal import CSodium

/// Comparisons whose running time does not reveal where two byte strings differ.
public enum ConstantTime {
    /// Whether `a` and `b` are equal, comparing every byte when their lengths match (MACs,
    /// hashes and tokens must be compared this way).
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        SodiumLibrary.ensureInitialized()
        return withBytePointer(a) { left, count in
            withBytePointer(b) { right, _ in sodium_memcmp(left, right, count) == 0 }
        }
    }
}
