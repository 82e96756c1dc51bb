import Foundation
import Sodium
import Testing

@testable import Exchange

/// Attachments cut into chunks, each sealed at its place (docs/PROTOCOL.md §17): chunk counts,
/// round trips, chunks that do not open where they are put, and the key's text form.
@Suite("Attachment cipher: chunks, places, keys")
struct AttachmentCipherTests {
    static let chunk = AttachmentCipher.chunkByteCount
    static let bulletin = Fixtures.bulletinID("attachment tests", at: Fixtures.now)
    static let otherBulletin = Fixtures.bulletinID("attachment tests other", at: Fixtures.now)
    /// A key made of the bytes 0, 1, …, 31, and its body form.
    static let keyBytes = (0..<32).map { UInt8($0) }
    static let keyText = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

    /// File sizes and their chunk counts.
    static let chunkCountCases: [(size: UInt64, count: UInt64)] = [
        (0, 0), (1, 1), (65_535, 1), (65_536, 1), (65_537, 2), (131_072, 2), (131_073, 3),
        (1_099_511_627_776, 16_777_216), (1_099_511_627_777, 16_777_217), (UInt64.max, 281_474_976_710_656),
    ]

    /// Key texts that must be refused.
    static let malformedKeyTexts: [String] = [
        "", String(Self.keyText.dropLast()), Self.keyText + "A", Self.keyText + "=",
        String(Self.keyText.dropLast()) + "=",
        "+" + Self.keyText.dropFirst(), "/" + Self.keyText.dropFirst(), String(Self.keyText.dropLast()) + "/",
        " " + Self.keyText.dropFirst(),
        String(Self.keyText.dropLast()) + "\n", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8AAAA",
        // 43 characters carry 258 bits: the last two must be zero (`8` is 111100, `9` is 111101).
        String(Self.keyText.dropLast()) + "9", String(Self.keyText.dropLast()) + "_",
        // The same key in standard padded base64 (44 characters).
        Base64.encode(Self.keyBytes),
        // 43 bytes of UTF-8 that are not 43 characters of the alphabet.
        "é" + String(Self.keyText.dropFirst(2)),
    ]

    static func key() throws -> AttachmentKey { try AttachmentKey(base64URL: keyText) }

    /// A file of `size` seeded bytes.
    static func file(_ size: Int, seed: UInt64 = 1) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Every chunk of `file`, sealed for `binding`.
    static func sealAll(_ file: [UInt8], _ binding: AttachmentBinding, key: AttachmentKey) throws -> [[UInt8]] {
        try (0..<binding.chunkCount).map { index in
            let start = Int(index) * chunk
            return try AttachmentCipher.seal(
                Array(file[start..<min(start + chunk, file.count)]), index: index, of: binding, key: key)
        }
    }

    /// What `body` threw as an ``AttachmentError`` (`nil` if it returned or threw something else).
    static func error<Value>(_ body: () throws -> Value) -> AttachmentError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? AttachmentError
        }
    }

    @Test(
        "chunk counts at the boundaries: 0, 1, 65,535, 65,536, 65,537 bytes, 2^40 bytes and the largest size",
        arguments: AttachmentCipherTests.chunkCountCases)
    func chunkCounts(size: UInt64, count: UInt64) {
        #expect(AttachmentCipher.chunkCount(size: size) == count)
        #expect(AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: size).chunkCount == count)
    }

    @Test("each chunk holds 65,536 bytes but the last, which holds the rest; there is none past the end")
    func plaintextLengths() {
        #expect(AttachmentCipher.plaintextLength(ofChunk: 0, size: 0) == nil)
        #expect(AttachmentCipher.plaintextLength(ofChunk: 0, size: 1) == 1)
        #expect(AttachmentCipher.plaintextLength(ofChunk: 1, size: 1) == nil)
        #expect(AttachmentCipher.plaintextLength(ofChunk: 0, size: 65_535) == 65_535)
        #expect(AttachmentCipher.plaintextLength(ofChunk: 0, size: 65_536) == 65_536)
        #expect(AttachmentCipher.plaintextLength(ofChunk: 1, size: 65_536) == nil)
        #expect(AttachmentCipher.plaintextLength(ofChunk: 0, size: 65_537) == 65_536)
        #expect(AttachmentCipher.plaintextLength(ofChunk: 1, size: 65_537) == 1)
        #expect(AttachmentCipher.plaintextLength(ofChunk: 2, size: 65_537) == nil)
        #expect(AttachmentCipher.plaintextLength(ofChunk: (1 << 24) - 1, size: 1 << 40) == 65_536)
        #expect(AttachmentCipher.plaintextLength(ofChunk: 1 << 24, size: 1 << 40) == nil)
        // The largest size: the last chunk holds 2^64 − 1 − (2^48 − 1)·2^16 = 65,535 bytes, no overflow.
        #expect(AttachmentCipher.plaintextLength(ofChunk: (1 << 48) - 1, size: .max) == 65_535)
        #expect(AttachmentCipher.plaintextLength(ofChunk: 1 << 48, size: .max) == nil)
        #expect(AttachmentCipher.plaintextLength(ofChunk: .max, size: .max) == nil)
    }

    @Test("a file of three chunks seals chunk by chunk (each 16 bytes longer) and opens whole through openFile")
    func roundTrip() throws {
        let file = Self.file(150_000)
        let binding = AttachmentBinding(bulletinID: Self.bulletin, number: 3, size: UInt64(file.count))
        let key = try Self.key()
        let sealed = try Self.sealAll(file, binding, key: key)
        #expect(sealed.map(\.count) == [65_552, 65_552, 150_000 - 131_072 + 16])
        #expect(AttachmentCipher.overheadByteCount == 16)
        var asked: [UInt64] = []
        let opened = try AttachmentCipher.openFile(of: binding, key: key, sha256: SHA256.hash(file)) { index in
            asked.append(index)
            return sealed[Int(index)]
        }
        #expect(opened == file)
        #expect(asked == [0, 1, 2])
        // Each chunk opens alone at its place too, and a fresh key seals differently.
        #expect(try AttachmentCipher.open(sealed[1], index: 1, of: binding, key: key) == Array(file[65_536..<131_072]))
        let other = AttachmentCipher.generateKey()
        #expect(try AttachmentCipher.seal(Array(file[131_072...]), index: 2, of: binding, key: other) != sealed[2])
    }

    @Test("a one-byte file: one chunk of one byte")
    func oneByte() throws {
        let binding = AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: 1)
        let sealed = try AttachmentCipher.seal([0x42], index: 0, of: binding, key: try Self.key())
        #expect(sealed.count == 17)
        #expect(
            try AttachmentCipher.openFile(of: binding, key: try Self.key(), sha256: SHA256.hash([0x42])) { _ in sealed }
                == [0x42])
    }

    @Test("a chunk opened at another index, under another number, bulletin, declared size or key does not open")
    func misplacedChunks() throws {
        // Chunks 0 and 1 are full, so a chunk moved between them keeps the length of its new place.
        let file = Self.file(2 * Self.chunk + 10, seed: 2)
        let binding = AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: UInt64(file.count))
        let key = try Self.key()
        let sealed = try Self.sealAll(file, binding, key: key)
        #expect(
            try AttachmentCipher.open(sealed[1], index: 1, of: binding, key: key)
                == Array(file[Self.chunk..<2 * Self.chunk]))
        let places: [(String, UInt64, AttachmentBinding)] = [
            ("index 0", 0, binding),
            ("number 2", 1, AttachmentBinding(bulletinID: Self.bulletin, number: 2, size: binding.size)),
            ("another bulletin", 1, AttachmentBinding(bulletinID: Self.otherBulletin, number: 1, size: binding.size)),
            (
                "a size one byte larger", 1,
                AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: binding.size + 1)
            ),
            (
                "the file cut after chunk 1", 1,
                AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: UInt64(2 * Self.chunk))
            ),
        ]
        for (label, index, place) in places {
            #expect(
                Self.error { try AttachmentCipher.open(sealed[1], index: index, of: place, key: key) }
                    == .chunkDoesNotOpen(index: index), "\(label)")
        }
        let otherKey = AttachmentCipher.generateKey()
        #expect(
            Self.error { try AttachmentCipher.open(sealed[1], index: 1, of: binding, key: otherKey) }
                == .chunkDoesNotOpen(index: 1))
        // Chunks swapped in openFile: the first misplaced one stops it.
        #expect(
            Self.error {
                try AttachmentCipher.openFile(of: binding, key: key, sha256: SHA256.hash(file)) {
                    sealed[[1, 0, 2][Int($0)]]
                }
            }
                == .chunkDoesNotOpen(index: 0))
    }

    @Test("every flipped bit of a sealed chunk is refused")
    func flippedBits() throws {
        let file = Self.file(300, seed: 3)
        let binding = AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: 300)
        let key = try Self.key()
        let sealed = try AttachmentCipher.seal(file, index: 0, of: binding, key: key)
        for bit in 0..<(sealed.count * 8) {
            var damaged = sealed
            damaged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            #expect(
                Self.error { try AttachmentCipher.open(damaged, index: 0, of: binding, key: key) }
                    == .chunkDoesNotOpen(index: 0), "bit \(bit)")
        }
    }

    @Test("a chunk of the wrong length is refused before any decryption, when sealing and when opening")
    func wrongLengths() throws {
        let binding = AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: 65_540)
        let key = try Self.key()
        #expect(
            Self.error { try AttachmentCipher.seal([1, 2, 3], index: 1, of: binding, key: key) }
                == .chunkLength(index: 1, found: 3, expected: 4))
        #expect(
            Self.error {
                try AttachmentCipher.seal([UInt8](repeating: 0, count: 65_535), index: 0, of: binding, key: key)
            }
                == .chunkLength(index: 0, found: 65_535, expected: 65_536))
        let sealed = try AttachmentCipher.seal([1, 2, 3, 4], index: 1, of: binding, key: key)
        #expect(
            Self.error { try AttachmentCipher.open(Array(sealed.dropLast()), index: 1, of: binding, key: key) }
                == .chunkLength(index: 1, found: 3, expected: 4))
        #expect(
            Self.error { try AttachmentCipher.open(sealed + [0], index: 1, of: binding, key: key) }
                == .chunkLength(index: 1, found: 5, expected: 4))
        // Shorter than a tag: no plaintext at all.
        #expect(
            Self.error { try AttachmentCipher.open([1, 2, 3], index: 1, of: binding, key: key) }
                == .chunkLength(index: 1, found: 0, expected: 4))
        #expect(
            Self.error { try AttachmentCipher.open([], index: 1, of: binding, key: key) }
                == .chunkLength(index: 1, found: 0, expected: 4))
        // A full chunk's sealed bytes at the last place.
        let full = try AttachmentCipher.seal([UInt8](repeating: 7, count: 65_536), index: 0, of: binding, key: key)
        #expect(
            Self.error { try AttachmentCipher.open(full, index: 1, of: binding, key: key) }
                == .chunkLength(index: 1, found: 65_536, expected: 4))
        // openFile passes the length refusal on.
        #expect(
            Self.error {
                try AttachmentCipher.openFile(of: binding, key: key, sha256: []) {
                    $0 == 0 ? full : Array(sealed.dropLast())
                }
            }
                == .chunkLength(index: 1, found: 3, expected: 4))
    }

    @Test("an index past the file's last chunk is out of range (and cannot be sealed)")
    func outOfRange() throws {
        let binding = AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: 65_537)
        let key = try Self.key()
        let sealed = try AttachmentCipher.seal([9], index: 1, of: binding, key: key)
        #expect(
            Self.error { try AttachmentCipher.open(sealed, index: 2, of: binding, key: key) }
                == .chunkOutOfRange(index: 2, count: 2))
        #expect(
            Self.error { try AttachmentCipher.open(sealed, index: .max, of: binding, key: key) }
                == .chunkOutOfRange(index: .max, count: 2))
        let empty = AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: 0)
        #expect(
            Self.error { try AttachmentCipher.open(sealed, index: 0, of: empty, key: key) }
                == .chunkOutOfRange(index: 0, count: 0))
        #expect(
            Self.error { try AttachmentCipher.seal([9], index: 2, of: binding, key: key) }
                == .chunkLength(index: 2, found: 1, expected: nil))
        #expect(
            Self.error { try AttachmentCipher.seal([], index: 0, of: empty, key: key) }
                == .chunkLength(index: 0, found: 0, expected: nil))
    }

    @Test(
        "openFile: a chunk not held is chunkMissing (nothing after it is asked), a file of another hash is fileHashDiffers"
    )
    func openFileRefusals() throws {
        let file = Self.file(3 * Self.chunk, seed: 4)
        let binding = AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: UInt64(file.count))
        let key = try Self.key()
        let sealed = try Self.sealAll(file, binding, key: key)
        var asked: [UInt64] = []
        #expect(
            Self.error {
                try AttachmentCipher.openFile(of: binding, key: key, sha256: SHA256.hash(file)) { index in
                    asked.append(index)
                    return index == 1 ? nil : sealed[Int(index)]
                }
            } == .chunkMissing(index: 1))
        #expect(asked == [0, 1])
        var digest = SHA256.hash(file)
        digest[31] ^= 1
        #expect(
            Self.error { try AttachmentCipher.openFile(of: binding, key: key, sha256: digest) { sealed[Int($0)] } }
                == .fileHashDiffers)
        #expect(
            Self.error { try AttachmentCipher.openFile(of: binding, key: key, sha256: []) { sealed[Int($0)] } }
                == .fileHashDiffers)
        // What the chunk source throws is passed on unchanged.
        struct Unreadable: Error {}
        #expect(throws: Unreadable.self) {
            try AttachmentCipher.openFile(of: binding, key: key, sha256: SHA256.hash(file)) { _ in throw Unreadable() }
        }
    }

    @Test("keys: 43 characters of unpadded base64url round-trip; a new key is random and never printed")
    func keys() throws {
        let key = try Self.key()
        #expect(key.base64URL == Self.keyText)
        #expect(key.secret.exportedBytes() == Self.keyBytes)
        // The same bytes as a key of the cipher: what one seals, the other opens.
        let binding = AttachmentBinding(bulletinID: Self.bulletin, number: 1, size: 5)
        let sealed = try AttachmentCipher.seal(
            [1, 2, 3, 4, 5], index: 0, of: binding, key: AttachmentKey(secret: SecretBytes(copying: Self.keyBytes)))
        #expect(try AttachmentCipher.open(sealed, index: 0, of: binding, key: key) == [1, 2, 3, 4, 5])
        let fresh = AttachmentCipher.generateKey()
        #expect(fresh.base64URL.utf8.count == 43)
        #expect(try AttachmentKey(base64URL: fresh.base64URL).base64URL == fresh.base64URL)
        #expect(fresh.base64URL != AttachmentCipher.generateKey().base64URL)
        #expect(!String(describing: fresh).contains(fresh.base64URL))
        #expect(!String(reflecting: fresh).contains(fresh.base64URL))
        // The URL alphabet: bytes that give `-` and `_` read back.
        let dashes = try AttachmentKey(base64URL: String(repeating: "-", count: 42) + "8")
        #expect(
            dashes.secret.exportedBytes() == Array([[UInt8]](repeating: [0xFB, 0xEF, 0xBE], count: 10).joined()) + [
                0xFB, 0xEF,
            ])
        #expect(
            try AttachmentKey(base64URL: String(repeating: "_", count: 42) + "8").secret.exportedBytes()
                == [UInt8](repeating: 0xFF, count: 32))
    }

    @Test(
        "malformed key texts are refused: wrong length, padding, the standard alphabet, other characters, non-zero spare bits",
        arguments: AttachmentCipherTests.malformedKeyTexts)
    func malformedKeys(text: String) {
        #expect(Self.error { try AttachmentKey(base64URL: text) } == .malformedKey, "\(text)")
    }

    @Test(
        "the nonce is the u64 index big-endian then 16 zero bytes; the associated data binds label, id, number, size, index"
    )
    func nonceAndAssociatedData() {
        #expect(AttachmentCipher.nonce(0) == [UInt8](repeating: 0, count: 24))
        #expect(
            AttachmentCipher.nonce(0x0102_0304_0506_0708) == [1, 2, 3, 4, 5, 6, 7, 8] + [UInt8](repeating: 0, count: 16)
        )
        #expect(AttachmentCipher.nonce(.max) == [UInt8](repeating: 0xFF, count: 8) + [UInt8](repeating: 0, count: 16))
        let binding = AttachmentBinding(bulletinID: Self.bulletin, number: 0x0203, size: 0x0A0B)
        let data = AttachmentCipher.associatedData(5, binding)
        #expect(data.count == 56)
        #expect(
            data == Array("bordernet attachment 1".utf8) + Self.bulletin.bytes + [2, 3] + [
                0, 0, 0, 0, 0, 0, 0x0A, 0x0B,
            ] + [0, 0, 0, 0, 0, 0, 0, 5])
    }

    @Test("every error says what happened")
    func descriptions() {
        let errors: [(AttachmentError, String)] = [
            (.malformedKey, "43 characters"),
            (.chunkOutOfRange(index: 4, count: 3), "chunk 4 is past the file's 3 chunks"),
            (.chunkLength(index: 1, found: 3, expected: 4), "chunk 1 has 3 bytes, its place holds 4"),
            (.chunkLength(index: 9, found: 3, expected: nil), "holds none"),
            (.chunkDoesNotOpen(index: 2), "chunk 2 does not open"),
            (.chunkMissing(index: 7), "chunk 7 is not here yet"), (.fileHashDiffers, "SHA-256 differs"),
            (.sodium("x"), "libsodium: x"),
        ]
        for (error, text) in errors { #expect(error.description.contains(text), "\(error)") }
    }
}

/// Tests/Vectors/attachment.json read back, independently of its generator: the plaintext made
/// from its rule, each chunk sealed by ``AttachmentCipher`` must give the recorded bytes, and
/// every refused case must fail with its error.
@Suite("Attachment vectors (Tests/Vectors/attachment.json)")
struct AttachmentVectorTests {
    static func name(_ error: AttachmentError) -> String {
        switch error {
        case .malformedKey: "malformedKey"
        case .chunkOutOfRange: "chunkOutOfRange"
        case .chunkLength: "chunkLength"
        case .chunkDoesNotOpen: "chunkDoesNotOpen"
        case .sodium: "sodium"
        case .chunkMissing: "chunkMissing"
        case .fileHashDiffers: "fileHashDiffers"
        }
    }

    static func plaintext(_ file: AttachmentFileVector) -> [UInt8] {
        (0..<Int(file.size)).map { UInt8($0 % file.plaintextModulus) }
    }

    static func binding(_ file: AttachmentFileVector) throws -> AttachmentBinding {
        AttachmentBinding(
            bulletinID: try BulletinID(bytes: hex(file.bulletinIdHex)), number: file.number, size: file.size)
    }

    /// The sealed chunks of `file`, sealed again by the cipher (checked against the vector below).
    static func sealedChunks(_ file: AttachmentFileVector) throws -> [[UInt8]] {
        let plaintext = plaintext(file)
        let key = try AttachmentKey(base64URL: file.keyBase64URL)
        return try file.chunks.map { chunk in
            let start = Int(chunk.plaintextOffset)
            return try AttachmentCipher.seal(
                Array(plaintext[start..<start + chunk.plaintextLength]), index: chunk.index, of: binding(file), key: key
            )
        }
    }

    @Test("each file: key, id, hash, chunk count, and every chunk's nonce, associated data and sealed bytes")
    func files() throws {
        let vectors = try VectorLoader.load(AttachmentVectorFile.self, "attachment.json")
        #expect(vectors.chunkByteCount == AttachmentCipher.chunkByteCount)
        #expect(hex(vectors.labelHex) == AttachmentCipher.label && vectors.label == "bordernet attachment 1")
        #expect(vectors.files.count >= 2)
        #expect(vectors.files.contains { $0.chunkCount >= 3 && $0.chunks.contains { $0.sealedHex == nil } })
        for file in vectors.files {
            let key = try AttachmentKey(base64URL: file.keyBase64URL)
            #expect(key.secret.exportedBytes() == hex(file.keyHex), "\(file.desc)")
            let binding = try Self.binding(file)
            #expect(binding.bulletinID.ulid == file.bulletinId)
            let plaintext = Self.plaintext(file)
            #expect(Hex.encode(SHA256.hash(plaintext)) == file.sha256, "\(file.desc)")
            #expect(binding.chunkCount == file.chunkCount && file.chunks.count == Int(file.chunkCount), "\(file.desc)")
            let sealed = try Self.sealedChunks(file)
            for (chunk, bytes) in zip(file.chunks, sealed) {
                let label = "\(file.desc), chunk \(chunk.index)"
                #expect(
                    AttachmentCipher.plaintextLength(ofChunk: chunk.index, size: file.size) == chunk.plaintextLength,
                    "\(label)")
                #expect(chunk.plaintextOffset == chunk.index * UInt64(AttachmentCipher.chunkByteCount), "\(label)")
                let start = Int(chunk.plaintextOffset)
                #expect(
                    Hex.encode(SHA256.hash(Array(plaintext[start..<start + chunk.plaintextLength])))
                        == chunk.plaintextSHA256, "\(label)")
                #expect(Hex.encode(AttachmentCipher.nonce(chunk.index)) == chunk.nonceHex, "\(label)")
                #expect(
                    Hex.encode(AttachmentCipher.associatedData(chunk.index, binding)) == chunk.associatedDataHex,
                    "\(label)")
                #expect(bytes.count == chunk.sealedByteCount && bytes.count == chunk.plaintextLength + 16, "\(label)")
                #expect(Hex.encode(SHA256.hash(bytes)) == chunk.sealedSHA256, "\(label)")
                #expect(Hex.encode(Array(bytes.prefix(32))) == chunk.sealedHeadHex, "\(label)")
                #expect(Hex.encode(Array(bytes.suffix(32))) == chunk.sealedTailHex, "\(label)")
                if let full = chunk.sealedHex { #expect(hex(full) == bytes, "\(label)") }
                #expect((chunk.sealedHex == nil) == (bytes.count > AttachmentVectorLimits.fullHexBytes), "\(label)")
                // libsodium directly, with the vector's own nonce and associated data.
                let opened = try XChaCha20Poly1305.open(
                    bytes, key: SecretBytes(copying: hex(file.keyHex)), nonce: hex(chunk.nonceHex),
                    authenticating: hex(chunk.associatedDataHex))
                #expect(opened == Array(plaintext[start..<start + chunk.plaintextLength]), "\(label)")
            }
            #expect(
                try AttachmentCipher.openFile(of: binding, key: key, sha256: hex(file.sha256)) { sealed[Int($0)] }
                    == plaintext)
        }
    }

    @Test(
        "the bulletin that carries the files opens at DZ; its attachments give each file's key, hash and size, and the chunks open with them"
    )
    func bulletinCarryingFiles() throws {
        let vectors = try VectorLoader.load(AttachmentVectorFile.self, "attachment.json")
        let vector = vectors.envelope
        let dz = try VectorLoader.identity("DZ")
        #expect(vector.origin == "MA" && vector.recipient == "DZ" && vector.sequence == 1)
        #expect(vector.schemaVersion == "1.2")  // BodySchemaVersion: major.minor
        let opener = EnvelopeOpener(recipient: dz.state, roster: try VectorLoader.roster())
        let opened = try opener.open(hex(vector.envelopeHex), after: .start, decryptingWith: dz.encryptionKey)
        #expect(opened.body == Array(vector.bodyText.utf8))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(opened.body)) as? [String: Any])
        #expect(body["id"] as? String == vector.bulletinReference)
        let entries = try #require(body["attachments"] as? [[String: Any]])
        #expect(entries.count == vectors.files.count)
        let sealed = try vectors.files.map(Self.sealedChunks)
        for (offset, (entry, file)) in zip(entries, vectors.files).enumerated() {
            // Attachments are numbered by their place in the list, from 1.
            #expect(Int(file.number) == offset + 1)
            #expect(file.bulletinId == vector.bulletinId)
            let keyText = try #require(entry["key"] as? String)
            #expect(keyText == file.keyBase64URL, "\(file.desc)")
            #expect(entry["sha256"] as? String == file.sha256)
            #expect((entry["size"] as? NSNumber)?.uint64Value == file.size)
            let binding = AttachmentBinding(
                bulletinID: try BulletinID(ulid: vector.bulletinId), number: file.number, size: file.size)
            let plaintext = try AttachmentCipher.openFile(
                of: binding, key: try AttachmentKey(base64URL: keyText), sha256: hex(file.sha256)
            ) { sealed[offset][Int($0)] }
            #expect(plaintext == Self.plaintext(file))
        }
    }

    @Test("each refused case fails with its error")
    func refused() throws {
        let vectors = try VectorLoader.load(AttachmentVectorFile.self, "attachment.json")
        #expect(vectors.refused.count >= 8)
        #expect(Set(vectors.refused.map(\.wantErr)) == ["chunkDoesNotOpen", "chunkLength", "chunkOutOfRange"])
        let sealed = try vectors.files.map(AttachmentVectorTests.sealedChunks)
        for vector in vectors.refused {
            var bytes = sealed[vector.file][Int(vector.chunk)]
            if let bit = vector.flipBit { bytes[bit / 8] ^= UInt8(1) << UInt8(bit % 8) }
            if let count = vector.dropLastBytes { bytes.removeLast(count) }
            let key = AttachmentKey(secret: SecretBytes(copying: hex(vector.keyHex)))
            let place = AttachmentBinding(
                bulletinID: try BulletinID(bytes: hex(vector.bulletinIdHex)), number: vector.number, size: vector.size)
            do {
                _ = try AttachmentCipher.open(bytes, index: vector.index, of: place, key: key)
                Issue.record("\(vector.desc): opened")
            } catch {
                #expect(Self.name(error) == vector.wantErr, "\(vector.desc): \(error)")
            }
        }
    }

    static func name(_ error: ReceiptError) -> String {
        switch error {
        case .malformed: "malformed"
        case .unknownRecipient: "unknownRecipient"
        case .notLinked: "notLinked"
        case .badSignature: "badSignature"
        case .signerIsNotRecipient: "signerIsNotRecipient"
        }
    }

    @Test(
        "each signed attachment receipt: made from its fields, signed with DZ's seed, verified under roster.json; each refused one fails"
    )
    func receipts() throws {
        let vectors = try VectorLoader.load(AttachmentVectorFile.self, "attachment.json")
        let section = vectors.receipts
        let (dz, roster) = (try VectorLoader.identity("DZ"), try VectorLoader.roster())
        let now = try VectorLoader.load(RosterVectorFile.self, "roster.json").now
        #expect(section.signed.count >= 2 && section.refused.count >= 2)
        #expect(section.signed.first?.held == true && section.signed.first?.receivedAt == now)
        #expect(section.signed.contains { !$0.held })
        for vector in section.signed {
            let file = try #require(
                vectors.files.first { $0.bulletinIdHex == vector.bulletinIdHex && $0.number == vector.number },
                "\(vector.desc)")
            #expect(vector.bulletinId == file.bulletinId && vector.sha256 == file.sha256, "\(vector.desc)")
            let receipt = AttachmentReceipt(
                link: Link(origin: try StateCode(vector.origin), recipient: try StateCode(vector.recipient)),
                bulletinID: try BulletinID(bytes: hex(vector.bulletinIdHex)), number: vector.number,
                digest: try AttachmentDigest(bytes: hex(vector.sha256)),
                receivedAt: Timestamp(millisecondsSinceEpoch: vector.receivedAt), held: vector.held)
            #expect(receipt.bulletinID.ulid == vector.bulletinId, "\(vector.desc)")
            #expect(Hex.encode(receipt.canonicalBytes) == vector.receiptHex, "\(vector.desc)")
            #expect(hex(vector.receiptHex).count == 68 && hex(vector.signatureHex).count == 64, "\(vector.desc)")
            #expect(vector.receiptHex + vector.signatureHex == vector.signedReceiptHex, "\(vector.desc)")
            #expect(try receipt.signed(by: dz) == hex(vector.signedReceiptHex), "\(vector.desc)")
            #expect(try AttachmentReceipt(canonicalBytes: hex(vector.receiptHex)) == receipt, "\(vector.desc)")
            #expect(
                try AttachmentReceipt.verify(hex(vector.signedReceiptHex), against: roster) == receipt, "\(vector.desc)"
            )
            // libsodium directly, with DZ's key of identities.json.
            #expect(
                dz.card.signingKey.isValidSignature(hex(vector.signatureHex), for: hex(vector.receiptHex)),
                "\(vector.desc)")
        }
        for vector in section.refused {
            do {
                _ = try AttachmentReceipt.verify(hex(vector.signedReceiptHex), against: roster)
                Issue.record("\(vector.desc): verified")
            } catch {
                #expect(Self.name(error) == vector.wantErr, "\(vector.desc): \(error)")
            }
            // Each is DZ's own signature over its bytes: only the decoder refuses it.
            let bytes = hex(vector.signedReceiptHex)
            #expect(
                dz.card.signingKey.isValidSignature(Array(bytes.suffix(64)), for: Array(bytes.prefix(68))),
                "\(vector.desc)")
        }
    }
}
