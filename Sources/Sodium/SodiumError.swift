/// A cryptographic operation that could not be carried out, and why.
///
/// Misuse (a key of the wrong length) and refused input (a forged tag) are both typed errors:
/// never a crash and never a silent `nil`.
public enum SodiumError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key, nonce, seed or signature had the wrong number of bytes.
    case invalidLength(what: String, expected: Int, actual: Int)
    /// A variable-length parameter was outside the range the primitive accepts.
    case lengthOutOfRange(what: String, allowed: ClosedRange<Int>, actual: Int)
    /// The authentication tag did not match: the ciphertext, its associated data, the key or the
    /// nonce was altered or is not the one it was sealed with.
    case authenticationFailed
    /// A Diffie-Hellman exchange produced the all-zero secret, which happens only with a
    /// low-order (malicious or broken) public key.
    case weakPublicKey
    /// A text could not be decoded as the named encoding (hexadecimal, Base64).
    case invalidEncoding(String)
    /// The system could not give the named operation the memory it needs (argon2id asks for
    /// 64 MiB per password hash).
    case outOfMemory(what: String)

    public var description: String {
        switch self {
        case .invalidLength(let what, let expected, let actual):
            "\(what) must be \(expected) bytes, got \(actual)"
        case .lengthOutOfRange(let what, let allowed, let actual):
            "\(what) must be \(allowed.lowerBound)…\(allowed.upperBound) bytes, got \(actual)"
        case .authenticationFailed:
            "authentication failed: the data was altered or the key is not the one it was sealed with"
        case .weakPublicKey:
            "the peer's public key is of low order (the shared secret would be zero); refuse it"
        case .invalidEncoding(let encoding):
            "the text is not valid \(encoding)"
        case .outOfMemory(let what):
            "the \(what) could not get the memory it needs; free memory (or lower the number of simultaneous sign-ins) and try again"
        }
    }

    /// Throws `invalidLength` unless `bytes` has exactly `expected` elements.
    @inline(__always)
    static func requireLength(_ what: String, _ actual: Int, _ expected: Int) throws(SodiumError) {
        if actual != expected {
            throw SodiumError.invalidLength(what: what, expected: expected, actual: actual)
        }
    }
}
