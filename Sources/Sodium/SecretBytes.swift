internal import CSodium

/// Bytes that must stay secret: private keys, seeds, shared secrets and derived keys.
///
/// The memory is owned by this object and overwritten with zeros by `sodium_memzero` when the last
/// reference goes away, so a secret does not linger in freed heap memory. A `SecretBytes` is never
/// printed (`description` is `<secret>`, and it hides itself from `dump` and mirrors), is not
/// `Equatable` by value, and compares in constant time with ``constantTimeEquals(_:)``.
public final class SecretBytes: @unchecked Sendable {
    // @unchecked Sendable: the buffer is written only inside `init` and only read afterwards, so
    // sharing one instance between threads cannot race.
    private let base: UnsafeMutablePointer<UInt8>

    /// The number of secret bytes.
    public let count: Int

    /// Allocates `count` bytes (zeroed) and lets `initialize` write them; read-only afterwards.
    package init(count: Int, initializingWith initialize: (UnsafeMutablePointer<UInt8>) -> Void) {
        SodiumLibrary.ensureInitialized()
        self.count = count
        self.base = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(count, 1))
        base.initialize(repeating: 0, count: Swift.max(count, 1))
        initialize(base)
    }

    /// Copies `bytes` into secret memory. The caller should drop its own copy as soon as it can.
    public convenience init(copying bytes: [UInt8]) {
        self.init(count: bytes.count) { destination in
            withBytePointer(bytes) { source, count in destination.update(from: source, count: count) }
        }
    }

    /// Fresh random secret bytes from the operating system's CSPRNG.
    public static func random(count: Int) -> SecretBytes {
        SecretBytes(count: count) { randombytes_buf($0, count) }
    }

    deinit {
        sodium_memzero(base, Swift.max(count, 1))
        base.deallocate()
    }

    /// Lends the secret to a wrapper module for the length of `body` (for passing it to C).
    package func withUnsafeSecret<R>(_ body: (UnsafePointer<UInt8>) -> R) -> R {
        body(UnsafePointer(base))
    }

    /// Copies the secret out as plain bytes, to write it to a key file with restricted
    /// permissions. The copy is ordinary memory: keep it as short-lived as possible.
    public func exportedBytes() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// Whether both secrets hold the same bytes, in time that depends only on their length.
    public func constantTimeEquals(_ other: SecretBytes) -> Bool {
        guard count == other.count else { return false }
        return sodium_memcmp(base, other.base, count) == 0
    }
}

extension SecretBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Always `<secret>`: a secret never reaches a log line, an error message or a test report.
    public var description: String { "<secret>" }
    /// Always `<secret>`.
    public var debugDescription: String { "<secret>" }
    /// An empty mirror, so that `dump` and debuggers do not walk into the buffer.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
