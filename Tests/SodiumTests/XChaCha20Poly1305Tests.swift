import Sodium
import Testing

@Suite("XChaCha20-Poly1305-IETF")
struct XChaCha20Poly1305Tests {
    // draft-irtf-cfrg-xchacha-03 §A.3.1
    static let plaintext = Array(
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."
            .utf8)
    static let associatedData = hex("50515253c0c1c2c3c4c5c6c7")
    static let key = SecretBytes(copying: hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"))
    static let nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657")
    static let ciphertext = hex(
        "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e"
    )
    static let tag = hex("c0875924c1c7987947deafd8780acf49")

    @Test("seals the draft's §A.3.1 vector to its ciphertext and tag")
    func sealKnownAnswer() throws {
        let sealed = try XChaCha20Poly1305.seal(
            Self.plaintext, key: Self.key, nonce: Self.nonce, authenticating: Self.associatedData)
        #expect(sealed == Self.ciphertext + Self.tag)
    }

    @Test("opens the draft's §A.3.1 vector")
    func openKnownAnswer() throws {
        let opened = try XChaCha20Poly1305.open(
            Self.ciphertext + Self.tag, key: Self.key, nonce: Self.nonce, authenticating: Self.associatedData)
        #expect(opened == Self.plaintext)
    }

    @Test("refuses a flipped bit in the tag, the ciphertext or the associated data")
    func tampering() {
        let sealed = Self.ciphertext + Self.tag
        for index in [0, Self.ciphertext.count / 2, Self.ciphertext.count - 1, sealed.count - 1] {
            var forged = sealed
            forged[index] ^= 0x01
            #expect(throws: SodiumError.authenticationFailed) {
                try XChaCha20Poly1305.open(forged, key: Self.key, nonce: Self.nonce, authenticating: Self.associatedData)
            }
        }
        var otherData = Self.associatedData
        otherData[0] ^= 0x80
        #expect(throws: SodiumError.authenticationFailed) {
            try XChaCha20Poly1305.open(sealed, key: Self.key, nonce: Self.nonce, authenticating: otherData)
        }
        #expect(throws: SodiumError.authenticationFailed) {
            try XChaCha20Poly1305.open(Array(Self.tag.prefix(15)), key: Self.key, nonce: Self.nonce)
        }
    }

    @Test("seals and opens an empty plaintext with no associated data")
    func emptyPlaintext() throws {
        let key = SecretBytes.random(count: 32)
        let nonce = SecureRandom.bytes(count: 24)
        let sealed = try XChaCha20Poly1305.seal([], key: key, nonce: nonce)
        #expect(sealed.count == 16)
        #expect(try XChaCha20Poly1305.open(sealed, key: key, nonce: nonce).isEmpty)
    }

    @Test("a key or nonce of the wrong length is a typed error")
    func wrongLengths() {
        #expect(throws: SodiumError.invalidLength(what: "XChaCha20-Poly1305 nonce", expected: 24, actual: 12)) {
            try XChaCha20Poly1305.seal([1], key: Self.key, nonce: [UInt8](repeating: 0, count: 12))
        }
        #expect(throws: SodiumError.invalidLength(what: "XChaCha20-Poly1305 key", expected: 32, actual: 16)) {
            try XChaCha20Poly1305.seal([1], key: SecretBytes(copying: [UInt8](repeating: 0, count: 16)), nonce: Self.nonce)
        }
    }
}
