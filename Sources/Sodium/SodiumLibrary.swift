internal import CSodium

/// The process-wide libsodium runtime.
///
/// libsodium must be initialised once before any of its functions are used; `sodium_init` is
/// thread-safe but we still run it exactly once through a lazily initialised static, which Swift
/// guarantees to evaluate once even when first touched from several threads at the same time.
enum SodiumLibrary {
    /// `true` once `sodium_init` has run (it returns 0 the first time and 1 afterwards).
    private static let isInitialized: Bool = sodium_init() >= 0

    /// Makes sure libsodium is initialised. Every public entry point of this module calls it.
    ///
    /// `sodium_init` fails only when the operating system cannot give libsodium a working random
    /// source or a mutex; no key could be made and nothing could be verified in that state, so the
    /// process stops here with a message naming the cause rather than run without cryptography.
    @inline(__always)
    static func ensureInitialized() {
        precondition(
            isInitialized,
            "libsodium could not be initialised (sodium_init failed): the system has no usable random source"
        )
    }
}
