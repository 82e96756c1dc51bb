/// A state (or organisation) taking part in the exchange: two upper-case ASCII letters, as in
/// ISO 3166-1 alpha-2 (`MA`, `DZ`, `ES`). The secretariat uses a user-assigned code such as `XS`.
///
/// On the wire a state code is exactly its two ASCII bytes; in JSON it is the two-letter string.
/// States order by their bytes, which is how roster members and links are sorted.
public struct StateCode: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The two ASCII bytes.
    public let bytes: (UInt8, UInt8)

    /// The code of `text`, which must be two letters `A`–`Z`.
    public init(_ text: String) throws(FormatError) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 2 else {
            throw FormatError.invalidField(field: "state code", reason: "“\(text)” is not two letters A–Z")
        }
        try self.init(first: utf8[0], second: utf8[1])
    }

    /// The code written as two bytes on the wire.
    init(first: UInt8, second: UInt8) throws(FormatError) {
        guard StateCode.isLetter(first), StateCode.isLetter(second) else {
            throw FormatError.invalidField(
                field: "state code",
                reason: "bytes 0x\(String(first, radix: 16)) 0x\(String(second, radix: 16)) are not two letters A–Z")
        }
        bytes = (first, second)
    }

    /// A code known to be valid at compile time (the tables of this target).
    init(checked text: StaticString) {
        bytes = text.withUTF8Buffer { ($0[0], $0[1]) }
    }

    /// Reads a state code from its two wire bytes.
    init(reading reader: inout ByteReader, field: String) throws(FormatError) {
        let first = try reader.readUInt8(field: field)
        let second = try reader.readUInt8(field: field)
        do {
            try self.init(first: first, second: second)
        } catch {
            throw FormatError.invalidField(field: field, reason: "not two letters A–Z")
        }
    }

    /// Writes the two wire bytes.
    func write(to writer: inout ByteWriter) {
        writer.write(bytes.0)
        writer.write(bytes.1)
    }

    /// The two letters, e.g. `MA`.
    public var description: String { String(decoding: [bytes.0, bytes.1], as: UTF8.self) }

    /// The same two letters.
    public static func == (lhs: StateCode, rhs: StateCode) -> Bool {
        lhs.bytes.0 == rhs.bytes.0 && lhs.bytes.1 == rhs.bytes.1
    }

    /// The canonical order: that of the wire bytes.
    public static func < (lhs: StateCode, rhs: StateCode) -> Bool {
        (lhs.bytes.0, lhs.bytes.1) < (rhs.bytes.0, rhs.bytes.1)
    }

    /// Hashes the two letters.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.0)
        hasher.combine(bytes.1)
    }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }
}
