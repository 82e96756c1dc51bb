import Sodium

/// One bulletin sealed for one recipient state (docs/PROTOCOL.md §7):
///
///     header (104) ‖ ciphertext length (u32) ‖ ciphertext + tag ‖ Ed25519 signature (64)
///
/// An `Envelope` value is structurally sound (sizes, version, field ranges) but not yet trusted:
/// only ``EnvelopeOpener/verify(_:after:)`` checks the roster, the signature and the chain. Its
/// ``hash`` is the SHA-256 of ``bytes``, the name of the envelope everywhere.
public struct Envelope: Hashable, Sendable {
    /// Bytes of the ciphertext length field.
    public static let lengthFieldByteCount = 4
    /// Bytes every envelope adds to its body: header, length, Poly1305 tag and signature (188).
    public static let overheadByteCount =
        EnvelopeHeader.byteCount + lengthFieldByteCount + XChaCha20Poly1305.tagByteCount + Ed25519.signatureByteCount
    /// The shortest possible envelope (an empty body): 188 bytes.
    public static let minimumByteCount = overheadByteCount

    /// The complete envelope bytes, as sent and stored.
    public let bytes: [UInt8]
    /// The parsed header.
    public let header: EnvelopeHeader
    /// SHA-256 of ``bytes``.
    public let hash: EnvelopeHash

    /// Parses `bytes` structurally, in the order of docs/PROTOCOL.md §8 steps 1–3: size limits,
    /// version, framing and field ranges. Nothing is trusted yet.
    public init(bytes: [UInt8], limits: EnvelopeLimits = .standard) throws(EnvelopeError) {
        guard bytes.count <= limits.maximumEnvelopeByteCount else {
            throw EnvelopeError.oversized(size: bytes.count, limit: limits.maximumEnvelopeByteCount)
        }
        guard bytes.count >= Envelope.minimumByteCount else {
            throw EnvelopeError.truncated(size: bytes.count, needed: Envelope.minimumByteCount)
        }
        guard bytes[0] == EnvelopeHeader.protocolVersion else { throw EnvelopeError.unsupportedVersion(bytes[0]) }

        var reader = ByteReader(bytes, offset: 1)
        do {
            header = try EnvelopeHeader(readingAfterVersion: &reader)
            let declared = Int(try reader.readUInt32(field: "ciphertext length"))
            let needed = EnvelopeHeader.byteCount + Envelope.lengthFieldByteCount + declared + Ed25519.signatureByteCount
            guard declared >= XChaCha20Poly1305.tagByteCount else {
                throw FormatError.invalidField(
                    field: "ciphertext length", reason: "\(declared) is shorter than the 16-byte tag")
            }
            guard needed <= limits.maximumEnvelopeByteCount else {
                throw EnvelopeError.oversized(size: needed, limit: limits.maximumEnvelopeByteCount)
            }
            guard bytes.count >= needed else { throw EnvelopeError.truncated(size: bytes.count, needed: needed) }
            guard bytes.count == needed else {
                throw FormatError.trailingBytes(what: "envelope signature", count: bytes.count - needed)
            }
        } catch let error as EnvelopeError {
            throw error
        } catch let error as FormatError {
            throw EnvelopeError.malformed(error)
        } catch {
            throw EnvelopeError.malformed(.invalidField(field: "envelope", reason: "\(error)"))
        }
        self.bytes = bytes
        hash = EnvelopeHash.of(bytes)
    }

    /// Wraps bytes this module has just assembled (the seal path: no re-parsing).
    init(assembled bytes: [UInt8], header: EnvelopeHeader) {
        self.bytes = bytes
        self.header = header
        hash = EnvelopeHash.of(bytes)
    }

    /// The 104 header bytes (the associated data of the body encryption).
    public var headerBytes: ArraySlice<UInt8> { bytes[0..<EnvelopeHeader.byteCount] }

    /// The body ciphertext with its 16-byte tag.
    public var ciphertext: ArraySlice<UInt8> {
        bytes[(EnvelopeHeader.byteCount + Envelope.lengthFieldByteCount)..<(bytes.count - Ed25519.signatureByteCount)]
    }

    /// What the origin signs: everything before the signature.
    public var signedBytes: ArraySlice<UInt8> { bytes[0..<(bytes.count - Ed25519.signatureByteCount)] }

    /// The origin's Ed25519 signature (the last 64 bytes).
    public var signature: ArraySlice<UInt8> { bytes[(bytes.count - Ed25519.signatureByteCount)...] }

    /// The length of the bulletin JSON inside.
    public var bodyByteCount: Int { ciphertext.count - XChaCha20Poly1305.tagByteCount }

    /// Frames `header` and `ciphertext` and signs them: `header ‖ u32 length ‖ ciphertext ‖ signature`.
    /// Internal so that tests can build validly signed envelopes with chosen (even invalid) contents.
    static func assemble(headerBytes: [UInt8], ciphertext: [UInt8], signingKey: Ed25519.PrivateKey) -> [UInt8] {
        var writer = ByteWriter(
            capacity: headerBytes.count + lengthFieldByteCount + ciphertext.count + Ed25519.signatureByteCount)
        writer.write(raw: headerBytes)
        writer.write(UInt32(truncatingIfNeeded: ciphertext.count))
        writer.write(raw: ciphertext)
        let signature = signingKey.signature(for: writer.bytes)
        writer.write(raw: signature)
        return writer.bytes
    }
}

extension Envelope: CustomStringConvertible {
    /// `MA→DZ seq 3 bulletin <id> TLP:AMBER (412 bytes, hash 1a2b…)`: metadata only, never the body.
    public var description: String {
        "\(header.link) seq \(header.sequence) bulletin \(header.metadata.bulletinID) \(header.metadata.tlp) "
            + "(\(bytes.count) bytes, hash \(hash.description.prefix(16))…)"
    }
}
