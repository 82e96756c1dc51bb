import Sodium

/// How an attachment travels and rests (docs/PROTOCOL.md §17): cut into chunks of
/// ``chunkByteCount`` bytes, each sealed on its own under the attachment's key, so that a
/// recipient checks every chunk as it arrives and a forged one is refused at once.
///
///     key    = 32 random bytes, one per attachment, written in the bulletin's body (signed, and
///              sealed to each recipient with the body)
///     nonce  = u64 chunk index (big-endian) ‖ 16 zero bytes        (one key, each index sealed once)
///     ad     = "bordernet attachment 1" ‖ bulletin id (16) ‖ u16 number ‖ u64 size ‖ u64 index
///     sealed = XChaCha20-Poly1305-IETF(key, nonce, chunk, ad)
///
/// The associated data binds a chunk to its bulletin, its attachment, its place and the size the
/// signed body declares: a chunk moved to another place, another attachment or another bulletin,
/// or a file cut short, does not open. The whole file's SHA-256, also in the signed body, is
/// checked once every chunk is in.
public enum AttachmentCipher {
    /// Plaintext bytes in every chunk but the last (which holds the rest, at least 1 byte).
    public static let chunkByteCount = 65_536
    /// What sealing adds to a chunk (the Poly1305 tag).
    public static let overheadByteCount = XChaCha20Poly1305.tagByteCount
    /// The domain separation at the start of the associated data.
    static let label: [UInt8] = Array("bordernet attachment 1".utf8)

    /// How many chunks a file of `size` bytes has (0 for an empty file, which is never attached).
    public static func chunkCount(size: UInt64) -> UInt64 {
        size == 0 ? 0 : (size - 1) / UInt64(chunkByteCount) + 1
    }

    /// The plaintext length of chunk `index` of a file of `size` bytes (`nil` past the end).
    public static func plaintextLength(ofChunk index: UInt64, size: UInt64) -> Int? {
        let count = chunkCount(size: size)
        guard index < count else { return nil }
        let full = UInt64(chunkByteCount)
        return index == count - 1 ? Int(size - index * full) : chunkByteCount
    }

    /// A new random key for one attachment.
    public static func generateKey() -> AttachmentKey {
        AttachmentKey(secret: SecretBytes.random(count: XChaCha20Poly1305.keyByteCount))
    }

    /// Seals chunk `index` of `attachment`'s file.
    public static func seal(_ chunk: [UInt8], index: UInt64, of attachment: AttachmentBinding, key: AttachmentKey)
        throws(AttachmentError)
        -> [UInt8]
    {
        guard plaintextLength(ofChunk: index, size: attachment.size) == chunk.count else {
            throw .chunkLength(
                index: index, found: chunk.count, expected: plaintextLength(ofChunk: index, size: attachment.size))
        }
        do {
            return try XChaCha20Poly1305.seal(
                chunk, key: key.secret, nonce: nonce(index), authenticating: associatedData(index, attachment))
        } catch {
            throw .sodium(error.description)
        }
    }

    /// Opens chunk `index` of `attachment`'s file: its length must be that of the chunk's place,
    /// and its tag must hold over the chunk's place and the attachment it belongs to.
    public static func open(_ sealed: [UInt8], index: UInt64, of attachment: AttachmentBinding, key: AttachmentKey)
        throws(AttachmentError)
        -> [UInt8]
    {
        guard let expected = plaintextLength(ofChunk: index, size: attachment.size) else {
            throw .chunkOutOfRange(index: index, count: chunkCount(size: attachment.size))
        }
        guard sealed.count == expected + overheadByteCount else {
            throw .chunkLength(
                index: index, found: sealed.count - min(sealed.count, overheadByteCount), expected: expected)
        }
        do {
            return try XChaCha20Poly1305.open(
                sealed, key: key.secret, nonce: nonce(index), authenticating: associatedData(index, attachment))
        } catch {
            throw .chunkDoesNotOpen(index: index)
        }
    }

    /// Puts a whole file together from its sealed chunks (`chunk(index)`, `nil` for one not
    /// held), each opened at its place, and checks the file's SHA-256 against the body's.
    public static func openFile(
        of attachment: AttachmentBinding, key: AttachmentKey, sha256: [UInt8], chunk: (UInt64) throws -> [UInt8]?
    ) throws -> [UInt8] {
        var file: [UInt8] = []
        // The size is the signed body's; the reservation is bounded all the same.
        file.reserveCapacity(Int(clamping: min(attachment.size, 64 << 20)))
        for index in 0..<attachment.chunkCount {
            guard let sealed = try chunk(index) else { throw AttachmentError.chunkMissing(index: index) }
            file += try open(sealed, index: index, of: attachment, key: key)
        }
        guard SHA256.hash(file) == sha256 else { throw AttachmentError.fileHashDiffers }
        return file
    }

    static func nonce(_ index: UInt64) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: XChaCha20Poly1305.nonceByteCount)
        for byte in 0..<8 { nonce[byte] = UInt8(truncatingIfNeeded: index >> (56 - 8 * UInt64(byte))) }
        return nonce
    }

    static func associatedData(_ index: UInt64, _ attachment: AttachmentBinding) -> [UInt8] {
        var writer = ByteWriter()
        writer.write(raw: label)
        writer.write(raw: attachment.bulletinID.bytes)
        writer.write(attachment.number)
        writer.write(attachment.size)
        writer.write(index)
        return writer.bytes
    }
}

/// What a chunk is bound to: the bulletin, the attachment's number in it (1 for the first) and
/// the file's size, all from the signed body.
public struct AttachmentBinding: Sendable, Hashable {
    /// The bulletin the attachment belongs to.
    public let bulletinID: BulletinID
    /// Its place in the bulletin's list, from 1.
    public let number: UInt16
    /// The file's size in bytes.
    public let size: UInt64

    /// A binding.
    public init(bulletinID: BulletinID, number: UInt16, size: UInt64) {
        self.bulletinID = bulletinID
        self.number = number
        self.size = size
    }

    /// How many chunks the file has.
    public var chunkCount: UInt64 { AttachmentCipher.chunkCount(size: size) }
}

/// An attachment's 32-byte key. It is written in the bulletin's body (base64url, unpadded), so
/// whoever may read the bulletin may read its attachments: the same right, sealed the same way.
public struct AttachmentKey: Sendable {
    let secret: SecretBytes

    init(secret: SecretBytes) {
        self.secret = secret
    }

    /// Reads the body's form: 43 characters of unpadded base64url.
    public init(base64URL text: String) throws(AttachmentError) {
        let alphabet: (UInt8) -> Bool = { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D
                || byte == 0x5F
        }
        guard text.utf8.count == 43, text.utf8.allSatisfy(alphabet),
            let bytes = try? Base64.decode(text, variant: .urlSafeUnpadded),
            bytes.count == XChaCha20Poly1305.keyByteCount
        else { throw .malformedKey }
        self.init(secret: SecretBytes(copying: bytes))
    }

    /// The body's form: 43 characters of unpadded base64url.
    public var base64URL: String { Base64.encode(secret.exportedBytes(), variant: .urlSafeUnpadded) }
}

/// Why an attachment's chunk or key was refused.
public enum AttachmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key in the body is not 32 bytes of unpadded base64url.
    case malformedKey
    /// A chunk past the file's last.
    case chunkOutOfRange(index: UInt64, count: UInt64)
    /// A chunk whose length is not that of its place.
    case chunkLength(index: UInt64, found: Int, expected: Int?)
    /// A chunk whose tag does not hold: forged, damaged, or of another place or attachment.
    case chunkDoesNotOpen(index: UInt64)
    /// libsodium refused (it does not for valid lengths).
    case sodium(String)
    /// A chunk of the file is not held (yet).
    case chunkMissing(index: UInt64)
    /// The chunks opened, but the file they make is not the one whose SHA-256 the body gives.
    case fileHashDiffers

    public var description: String {
        switch self {
        case .malformedKey: "the attachment's key is not 43 characters of unpadded base64url (32 bytes)"
        case .chunkOutOfRange(let index, let count): "chunk \(index) is past the file's \(count) chunks"
        case .chunkLength(let index, let found, let expected):
            "chunk \(index) has \(found) bytes, its place holds \(expected.map(String.init) ?? "none")"
        case .chunkDoesNotOpen(let index):
            "chunk \(index) does not open: forged, damaged or not of this attachment; it is asked again"
        case .sodium(let message): "libsodium: \(message)"
        case .chunkMissing(let index): "chunk \(index) is not here yet: the file is still in transfer"
        case .fileHashDiffers: "the chunks do not make the file the bulletin describes (its SHA-256 differs)"
        }
    }
}
