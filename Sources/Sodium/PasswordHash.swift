internal import CSodium

/// Password storage with argon2id (RFC 9106), libsodium's `crypto_pwhash_str` family: what the web
/// console keeps of a person's password.
///
/// A stored hash is a self-describing text (`$argon2id$v=19$m=65536,t=2,p=1$salt$hash`) holding its
/// own random salt and cost, so a hash made with older limits still verifies and
/// ``needsRehash(_:)`` says when to replace it. The cost is libsodium's *interactive* limits
/// (2 passes over 64 MiB, about 60 ms on a server core): the right figure for a sign-in form.
///
/// Passwords are bounded (``maximumPasswordByteCount``) before any work is done, so a megabyte
/// "password" cannot make a sign-in cost more than a normal one. The UTF-8 bytes handed to libsodium
/// are a copy this type owns and overwrites with zeros once libsodium has used them (a Swift
/// `String` cannot be wiped; the caller should drop its own as soon as it can).
public enum PasswordHash {
    /// The longest password accepted, in UTF-8 bytes. Longer ones are refused before hashing.
    public static let maximumPasswordByteCount = 1_024

    /// The longest stored hash text libsodium writes (its `crypto_pwhash_STRBYTES` less the NUL).
    public static var maximumHashByteCount: Int { Int(crypto_pwhash_argon2id_strbytes()) - 1 }

    /// The argon2id hash of `password` with a fresh random salt and the interactive limits, as the
    /// text to store.
    ///
    /// Throws ``SodiumError/lengthOutOfRange(what:allowed:actual:)`` for a password longer than
    /// ``maximumPasswordByteCount`` bytes, and ``SodiumError/outOfMemory(what:)`` when the system
    /// could not give argon2id its 64 MiB.
    public static func hash(_ password: String) throws(SodiumError) -> String {
        try requireBounded(password)
        SodiumLibrary.ensureInitialized()
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_argon2id_strbytes()))
        let status = withWipedBytes(of: password) { bytes, count in
            output.withUnsafeMutableBufferPointer { out -> Int32 in
                // `output` has crypto_pwhash_argon2id_strbytes() > 0 elements: storage exists.
                guard let base = out.baseAddress else { return -1 }
                return crypto_pwhash_str_alg(
                    base, bytes, UInt64(count), UInt64(crypto_pwhash_argon2id_opslimit_interactive()),
                    crypto_pwhash_argon2id_memlimit_interactive(), crypto_pwhash_alg_argon2id13())
            }
        }
        guard status == 0 else { throw SodiumError.outOfMemory(what: "argon2id password hash") }
        let text = output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `password` is the one `stored` (a text made by ``hash(_:)``) was made from.
    ///
    /// Verification answers and does not throw: a password over the bound, or a stored text that
    /// is not an argon2 hash, is simply not a match. A well-formed stored hash always costs the
    /// full argon2id computation, whether the password matches or not.
    public static func verify(_ password: String, against stored: String) -> Bool {
        guard password.utf8.count <= maximumPasswordByteCount, stored.utf8.count <= maximumHashByteCount else {
            return false
        }
        SodiumLibrary.ensureInitialized()
        return stored.withCString { storedText in
            withWipedBytes(of: password) { bytes, count in
                crypto_pwhash_str_verify(storedText, bytes, UInt64(count)) == 0
            }
        }
    }

    /// Whether `stored` was made with other limits or another algorithm than ``hash(_:)`` uses
    /// today (or is not an argon2 hash at all): after a successful ``verify(_:against:)``, hash
    /// the password again and store the new text.
    public static func needsRehash(_ stored: String) -> Bool {
        guard stored.utf8.count <= maximumHashByteCount else { return true }
        SodiumLibrary.ensureInitialized()
        return stored.withCString { storedText in
            crypto_pwhash_argon2id_str_needs_rehash(
                storedText, UInt64(crypto_pwhash_argon2id_opslimit_interactive()), crypto_pwhash_argon2id_memlimit_interactive()) != 0
        }
    }

    private static func requireBounded(_ password: String) throws(SodiumError) {
        let count = password.utf8.count
        guard count <= maximumPasswordByteCount else {
            throw SodiumError.lengthOutOfRange(what: "password", allowed: 0...maximumPasswordByteCount, actual: count)
        }
    }

    /// Copies the UTF-8 bytes of `text` into memory of our own, lends them to `body` as C
    /// characters, then overwrites them with zeros and frees them.
    private static func withWipedBytes<R>(of text: String, _ body: (UnsafePointer<CChar>, Int) -> R) -> R {
        let count = text.utf8.count
        let capacity = Swift.max(count, 1)
        let base = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        base.initialize(repeating: 0, count: capacity)
        defer {
            sodium_memzero(base, capacity)
            base.deallocate()
        }
        var index = 0
        for byte in text.utf8 {
            base[index] = CChar(bitPattern: byte)
            index += 1
        }
        return body(UnsafePointer(base), count)
    }
}
