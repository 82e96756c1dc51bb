import Sodium
import Testing

@Suite("Ed25519 (RFC 8032)")
struct Ed25519Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let seed: String
        let publicKey: String
        let message: String
        let signature: String
        var testDescription: String { name }
    }

    /// RFC 8032 §7.1, TEST 1–3.
    static let rfc8032Vectors = [
        Vector(
            name: "TEST 1 (empty message)",
            seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            message: "",
            signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        Vector(
            name: "TEST 2 (one byte)",
            seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            message: "72",
            signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        Vector(
            name: "TEST 3 (two bytes)",
            seed: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            message: "af82",
            signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
    ]

    @Test("derives the public key and signature of the RFC vector", arguments: rfc8032Vectors)
    func knownAnswer(_ vector: Vector) throws {
        let key = try Ed25519.PrivateKey(seed: SecretBytes(copying: hex(vector.seed)))
        #expect(key.publicKey.rawRepresentation == hex(vector.publicKey))
        #expect(key.signature(for: hex(vector.message)) == hex(vector.signature))
        #expect(key.publicKey.isValidSignature(hex(vector.signature), for: hex(vector.message)))
    }

    @Test("refuses a signature with any single bit flipped", arguments: rfc8032Vectors)
    func tamperedSignature(_ vector: Vector) throws {
        let publicKey = try Ed25519.PublicKey(rawRepresentation: hex(vector.publicKey))
        let signature = hex(vector.signature)
        for bit in stride(from: 0, to: signature.count * 8, by: 7) {
            var forged = signature
            forged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            #expect(!publicKey.isValidSignature(forged, for: hex(vector.message)), "bit \(bit)")
        }
    }

    @Test("refuses a signature over a different message or from another key")
    func wrongMessageOrKey() {
        let key = Ed25519.PrivateKey()
        let other = Ed25519.PrivateKey()
        let signature = key.signature(for: Array("seizure at Guerguerat".utf8))
        #expect(key.publicKey.isValidSignature(signature, for: Array("seizure at Guerguerat".utf8)))
        #expect(!key.publicKey.isValidSignature(signature, for: Array("seizure at Guerguerat!".utf8)))
        #expect(!other.publicKey.isValidSignature(signature, for: Array("seizure at Guerguerat".utf8)))
        #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: Array("seizure at Guerguerat".utf8)))
    }

    @Test("a key round-trips through its seed")
    func seedRoundTrip() throws {
        let key = Ed25519.PrivateKey()
        let reloaded = try Ed25519.PrivateKey(seed: key.seed)
        #expect(reloaded.publicKey == key.publicKey)
        #expect(reloaded.seed.constantTimeEquals(key.seed))
    }

    @Test("keys of the wrong length are typed errors")
    func wrongLengths() {
        #expect(throws: SodiumError.invalidLength(what: "Ed25519 seed", expected: 32, actual: 31)) {
            try Ed25519.PrivateKey(seed: SecretBytes(copying: [UInt8](repeating: 1, count: 31)))
        }
        #expect(throws: SodiumError.invalidLength(what: "Ed25519 public key", expected: 32, actual: 33)) {
            try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33))
        }
    }

    @Test("a private key never prints its secret")
    func descriptionHidesSecret() {
        let key = Ed25519.PrivateKey()
        let seedHex = Hex.encode(key.seed.exportedBytes())
        #expect(!String(describing: key).contains(seedHex))
        #expect(!String(reflecting: key).contains(seedHex))
        #expect(String(describing: key.seed) == "<secret>")
    }
}
