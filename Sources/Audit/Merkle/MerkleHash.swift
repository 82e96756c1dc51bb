import Exchange
import Sodium

/// A SHA-256 node of the audit log's Merkle tree (RFC 9162 §2.1): a leaf hash, an interior node,
/// a tree root or an element of a proof.
///
/// Plain public bytes: printable (hexadecimal) and comparable. In JSON, 64 lower-case hex digits.
public struct MerkleHash: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Bytes in a hash.
    public static let byteCount = 32

    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes; any other length is refused.
    public init(bytes: [UInt8]) throws(FormatError) {
        guard bytes.count == MerkleHash.byteCount else {
            throw FormatError.invalidField(field: "Merkle hash", reason: "must be 32 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// The hash written as 64 hexadecimal digits.
    public init(hex: String) throws(FormatError) {
        guard let bytes = try? Hex.decode(hex) else {
            throw FormatError.invalidField(field: "Merkle hash", reason: "“\(hex)” is not hexadecimal")
        }
        try self.init(bytes: bytes)
    }

    /// Wraps bytes known to be 32 long (a SHA-256 output or a slice of one).
    init(checked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads 32 raw bytes.
    init(reading reader: inout ByteReader, field: String) throws(FormatError) {
        bytes = try reader.readArray(count: MerkleHash.byteCount, field: field)
    }

    /// Lower-case hexadecimal.
    public var description: String { Hex.encode(bytes) }

    /// Decodes the JSON form: 64 hexadecimal digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(hex: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the JSON form: 64 lower-case hexadecimal digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
