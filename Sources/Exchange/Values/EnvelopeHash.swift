import Sodium

/// The SHA-256 of an envelope's complete bytes: what the next envelope on the link chains to,
/// what a receipt acknowledges and what the audit log names.
///
/// Plain public bytes: printable (hexadecimal) and comparable. In JSON, 64 lower-case hex digits.
public struct EnvelopeHash: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Bytes in a hash.
    public static let byteCount = 32

    /// The 32 zero bytes that stand for “no previous envelope” in the header of sequence 1.
    public static let zero = EnvelopeHash(checked: [UInt8](repeating: 0, count: byteCount))

    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes; any other length is refused.
    public init(bytes: [UInt8]) throws(FormatError) {
        guard bytes.count == EnvelopeHash.byteCount else {
            throw FormatError.invalidField(field: "hash", reason: "must be 32 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    init(checked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The hash of `envelopeBytes`.
    static func of(_ envelopeBytes: [UInt8]) -> EnvelopeHash {
        EnvelopeHash(checked: SHA256.hash(envelopeBytes))
    }

    /// Reads 32 raw bytes.
    init(reading reader: inout ByteReader, field: String) throws(FormatError) {
        bytes = try reader.readArray(count: EnvelopeHash.byteCount, field: field)
    }

    /// Whether this is the all-zero hash.
    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    /// Lower-case hexadecimal.
    public var description: String { Hex.encode(bytes) }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let decoded = try? Hex.decode(text), decoded.count == EnvelopeHash.byteCount else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a hash is 64 hexadecimal digits")
        }
        bytes = decoded
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
