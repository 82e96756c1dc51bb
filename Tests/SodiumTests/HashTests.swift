import Sodium
import Testing

@Suite("SHA-256 and BLAKE2b")
struct HashTests {
    @Test("SHA-256 of the FIPS 180-2 examples")
    func sha256() {
        #expect(SHA256.hash([]) == hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        #expect(
            SHA256.hash(Array("abc".utf8)) == hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        #expect(
            SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"))
    }

    @Test("SHA-256 of a million 'a' (FIPS 180-2 example 3): many blocks")
    func sha256LongMessage() {
        #expect(
            SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"))
    }

    @Test("incremental SHA-256 equals the one-shot digest")
    func sha256Incremental() {
        let hasher = SHA256.Hasher()
        hasher.update([0x00])
        hasher.update(Array("abc".utf8))
        #expect(hasher.finalize() == SHA256.hash([0x00] + Array("abc".utf8)))
    }

    @Test("incremental SHA-256 split anywhere in a 200-byte input equals the one-shot digest")
    func sha256IncrementalSplits() {
        let input = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let whole = SHA256.hash(input)
        for split in 0...input.count {
            let hasher = SHA256.Hasher()
            hasher.update(Array(input[..<split]))
            hasher.update(Array(input[split...]))
            #expect(hasher.finalize() == whole, "split at \(split)")
        }
    }

    @Test("BLAKE2b-512 of \"abc\" (RFC 7693 Appendix A) and BLAKE2b-256 of known inputs")
    func blake2b() throws {
        #expect(
            try BLAKE2b.hash(Array("abc".utf8), outputByteCount: 64)
                == hex(
                    "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
                ))
        #expect(
            try BLAKE2b.hash(Array("abc".utf8))
                == hex("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"))
        #expect(try BLAKE2b.hash([]) == hex("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"))
    }

    @Test("incremental BLAKE2b over secret and public pieces equals the one-shot digest")
    func blake2bIncremental() throws {
        let secret = SecretBytes(copying: [1, 2, 3])
        let hasher = try BLAKE2b.Hasher()
        hasher.update(secret)
        hasher.update([4, 5])
        #expect(hasher.finalizeSecret().exportedBytes() == (try BLAKE2b.hash([1, 2, 3, 4, 5])))
    }

    @Test("a BLAKE2b output length outside 16…64 is a typed error")
    func blake2bLength() {
        #expect(throws: SodiumError.lengthOutOfRange(what: "BLAKE2b output", allowed: 16...64, actual: 65)) {
            try BLAKE2b.hash([], outputByteCount: 65)
        }
    }
}
