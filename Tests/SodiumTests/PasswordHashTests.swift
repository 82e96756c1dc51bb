import Foundation
import Sodium
import Testing

@Suite("argon2id password hashes")
struct PasswordHashTests {
    @Test("a hash is argon2id with the interactive limits (64 MiB, 2 passes) and a fresh salt each time")
    func format() throws {
        let first = try PasswordHash.hash("correct horse battery staple")
        let second = try PasswordHash.hash("correct horse battery staple")
        #expect(first.hasPrefix("$argon2id$v=19$m=65536,t=2,p=1$"), "\(first)")
        #expect(first != second)
        #expect(first.utf8.count <= PasswordHash.maximumHashByteCount)
        #expect(!first.contains("correct"))
    }

    @Test("the password verifies; another, a prefix, a different case or an empty one does not")
    func verification() throws {
        let stored = try PasswordHash.hash("كلمة-سرّ mot de passe")
        #expect(PasswordHash.verify("كلمة-سرّ mot de passe", against: stored))
        #expect(!PasswordHash.verify("كلمة-سرّ mot de pass", against: stored))
        #expect(!PasswordHash.verify("كلمة-سرّ MOT DE PASSE", against: stored))
        #expect(!PasswordHash.verify("", against: stored))
        let empty = try PasswordHash.hash("")
        #expect(PasswordHash.verify("", against: empty))
    }

    @Test("a stored text that is not an argon2 hash never verifies and needs a rehash")
    func malformedStored() {
        for stored in ["", "plain", "$argon2id$v=19$m=65536,t=2,p=1$AAAA$BBBB", String(repeating: "$", count: 4_000)] {
            #expect(!PasswordHash.verify("plain", against: stored), "\(stored.prefix(40))")
            #expect(PasswordHash.needsRehash(stored), "\(stored.prefix(40))")
        }
    }

    @Test("passwords up to 1,024 bytes are hashed; one byte more is refused before hashing")
    func bound() throws {
        let longest = String(repeating: "a", count: PasswordHash.maximumPasswordByteCount)
        let stored = try PasswordHash.hash(longest)
        #expect(PasswordHash.verify(longest, against: stored))
        #expect(throws: SodiumError.lengthOutOfRange(what: "password", allowed: 0...1_024, actual: 1_025)) {
            try PasswordHash.hash(longest + "a")
        }
        #expect(!PasswordHash.verify(longest + "a", against: stored))
        // 512 two-byte letters are 1,024 bytes; one more is over, counted in bytes not characters.
        let arabic = String(repeating: "ب", count: 512)
        _ = try PasswordHash.hash(arabic)
        #expect(throws: SodiumError.self) { try PasswordHash.hash(arabic + "ب") }
    }

    @Test("a fresh hash needs no rehash; one made with other limits or argon2i does")
    func rehash() throws {
        let stored = try PasswordHash.hash("secret")
        #expect(!PasswordHash.needsRehash(stored))
        #expect(PasswordHash.needsRehash(stored.replacingOccurrences(of: "t=2", with: "t=3")))
        #expect(PasswordHash.needsRehash(stored.replacingOccurrences(of: "m=65536", with: "m=32768")))
        #expect(PasswordHash.needsRehash(stored.replacingOccurrences(of: "$argon2id$", with: "$argon2i$")))
    }
}
