import Sodium

/// The identifier a node gives a bulletin when it is posted: a 16-byte UUID, the same in every
/// envelope of that bulletin (one per recipient) and in the bulletin's JSON.
///
/// On the wire the 16 bytes in RFC 9562 order; in JSON the canonical lower-case UUID string
/// (`0193c4a8-7a00-7cc3-98c4-dc0c0c07398f`). Nodes generate version 7 UUIDs (time-ordered), which
/// keeps database indexes of tens of millions of bulletins compact; any UUID is accepted.
public struct BulletinID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Bytes in an id.
    public static let byteCount = 16

    /// The 16 UUID bytes.
    public let bytes: [UInt8]

    /// Wraps 16 bytes; any other length is refused.
    public init(bytes: [UInt8]) throws(FormatError) {
        guard bytes.count == BulletinID.byteCount else {
            throw FormatError.invalidField(field: "bulletin id", reason: "must be 16 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// The id written as a canonical UUID: 8-4-4-4-12 lower-case hexadecimal digits. Upper case
    /// is refused so that one id has one spelling (ids are compared as strings in JSON).
    public init(uuidString: String) throws(FormatError) {
        let utf8 = Array(uuidString.utf8)
        let invalid = FormatError.invalidField(
            field: "bulletin id", reason: "“\(uuidString)” is not a lower-case UUID (8-4-4-4-12 hex digits)")
        guard utf8.count == 36 else { throw invalid }
        var hexDigits: [UInt8] = []
        hexDigits.reserveCapacity(32)
        for (index, byte) in utf8.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { throw invalid }
            } else {
                guard (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) else { throw invalid }
                hexDigits.append(byte)
            }
        }
        guard let decoded = try? Hex.decode(String(decoding: hexDigits, as: UTF8.self)) else { throw invalid }
        bytes = decoded
    }

    init(checked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads the 16 wire bytes.
    init(reading reader: inout ByteReader) throws(FormatError) {
        bytes = try reader.readArray(count: BulletinID.byteCount, field: "bulletin id")
    }

    /// A new UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds from `time`, then 74
    /// random bits. Ids made later sort later (within the same millisecond, in random order).
    public static func generate(at time: Timestamp = .now) -> BulletinID {
        var bytes = SecureRandom.bytes(count: byteCount)
        let milliseconds = time.millisecondsSinceEpoch
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> UInt64(40 - 8 * index))
        }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // variant 10 (RFC 9562)
        return BulletinID(checked: bytes)
    }

    /// The UUID version (the high nibble of byte 6): 7 for ids made by ``generate(at:)``.
    public var version: Int { Int(bytes[6] >> 4) }

    /// The canonical lower-case UUID string.
    public var uuidString: String {
        let hex = Array(Hex.encode(bytes).utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, digit) in hex.enumerated() {
            if [8, 12, 16, 20].contains(index) { text.append(UInt8(ascii: "-")) }
            text.append(digit)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The canonical lower-case UUID string.
    public var description: String { uuidString }

    /// The canonical order: that of the wire bytes.
    public static func < (lhs: BulletinID, rhs: BulletinID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// Decodes the JSON form (docs/PROTOCOL.md §3) with the same checks as the binary form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(uuidString: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the JSON form (docs/PROTOCOL.md §3).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(uuidString)
    }
}
