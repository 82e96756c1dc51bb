import Sodium
import Testing

@Suite("Hex, Base64, SecretBytes, random")
struct EncodingTests {
    @Test("hex round-trips and refuses non-hex text")
    func hexCodec() throws {
        #expect(Hex.encode([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(try Hex.decode("00ABff") == [0x00, 0xAB, 0xFF])
        #expect(try Hex.decode("") == [])
        #expect(throws: SodiumError.invalidEncoding("hexadecimal")) { try Hex.decode("0g") }
        #expect(throws: SodiumError.invalidEncoding("hexadecimal")) { try Hex.decode("abc") }
    }

    @Test("Base64 (RFC 4648 §10 examples) round-trips and refuses bad text")
    func base64Codec() throws {
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.encode([0xfb, 0xff], variant: .urlSafeUnpadded) == "-_8")
        #expect(try Base64.decode("Zm9vYg==") == Array("foob".utf8))
        #expect(try Base64.decode("-_8", variant: .urlSafeUnpadded) == [0xfb, 0xff])
        #expect(throws: SodiumError.invalidEncoding("Base64")) { try Base64.decode("Zm9v!mFy") }
    }

    /// libsodium 1.0.18 reads its input as (signed) `char`: every byte from 0x80 up decodes as
    /// the value 63 (`/` or `_`) instead of being refused, so "é" (C3 A9) reads as "__". The
    /// wrapper promises that any character outside the alphabet is refused.
    @Test("Base64 refuses bytes outside ASCII, in both variants")
    func base64NonASCII() {
        #expect(throws: SodiumError.invalidEncoding("Base64")) {
            try Base64.decode("\u{E9}AA", variant: .urlSafeUnpadded)
        }
        #expect(throws: SodiumError.invalidEncoding("Base64")) { try Base64.decode("\u{E9}A=") }
        #expect(throws: SodiumError.invalidEncoding("Base64")) {
            try Base64.decode("Zm9v\u{FFFD}A", variant: .urlSafeUnpadded)
        }
    }

    @Test("secret bytes compare in constant time and never print")
    func secretBytes() {
        let a = SecretBytes(copying: [1, 2, 3])
        #expect(a.constantTimeEquals(SecretBytes(copying: [1, 2, 3])))
        #expect(!a.constantTimeEquals(SecretBytes(copying: [1, 2, 4])))
        #expect(!a.constantTimeEquals(SecretBytes(copying: [1, 2])))
        #expect("\(a)" == "<secret>")
        var dumped = ""
        dump(a, to: &dumped)
        #expect(!dumped.contains("1, 2, 3"))
        #expect(ConstantTime.equals([1, 2], [1, 2]))
        #expect(!ConstantTime.equals([1, 2], [1, 3]))
    }

    @Test("random bytes differ between calls")
    func randomness() {
        #expect(SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
        #expect(!SecretBytes.random(count: 32).constantTimeEquals(SecretBytes.random(count: 32)))
    }
}
