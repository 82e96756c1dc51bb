import Sodium

/// The SHA-256 of an attached file as it travels: what the signed body, the receipts and the
/// audit log name it by (never its content or key). In JSON, 64 lower-case hex digits.
public struct AttachmentDigest: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Bytes in a digest.
    public static let byteCount = 32

    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes; any other length is refused.
    public init(bytes: [UInt8]) throws(FormatError) {
        guard bytes.count == Self.byteCount else {
            throw FormatError.invalidField(field: "attachment digest", reason: "must be 32 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// The digest of `file`.
    public static func of(_ file: [UInt8]) -> AttachmentDigest {
        AttachmentDigest(checked: SHA256.hash(file))
    }

    init(checked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Lower-case hexadecimal.
    public var description: String { Hex.encode(bytes) }

    /// Decodes 64 hexadecimal digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let decoded = try? Hex.decode(text), decoded.count == Self.byteCount else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "an attachment digest is 64 hexadecimal digits")
        }
        bytes = decoded
    }

    /// Encodes 64 hexadecimal digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
