import Sodium

/// The identifier a node gives a bulletin when it is posted: 128 bits, the same in every envelope
/// of that bulletin (one per recipient) and in the bulletin's JSON.
///
/// - On the wire: 16 bytes, most significant first.
/// - In text and JSON: the canonical **ULID** (26 characters of Crockford base32, upper case,
///   first character `0`–`7`), e.g. `01JQ3M8K2Z9V4T6R5W7X8Y9A0B`.
/// - In the bulletin JSON (docs/SCHEMAS.md): the **reference** `<origin>-<ULID>`, e.g.
///   `MA-01JQ3M8K2Z9V4T6R5W7X8Y9A0B`; the node checks that it names the header's origin and id.
/// - The same 16 bytes also read as a UUID (``uuidString``), for tools that want one.
///
/// Nodes generate ids whose first 48 bits are Unix milliseconds (``generate(at:)``), so ids sort
/// by creation time, which keeps indexes over tens of millions of bulletins compact.
public struct BulletinID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Bytes in an id.
    public static let byteCount = 16

    /// The 16 bytes.
    public let bytes: [UInt8]

    /// Wraps 16 bytes; any other length is refused.
    public init(bytes: [UInt8]) throws(FormatError) {
        guard bytes.count == BulletinID.byteCount else {
            throw FormatError.invalidField(field: "bulletin id", reason: "must be 16 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    init(checked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads the 16 wire bytes.
    init(reading reader: inout ByteReader) throws(FormatError) {
        bytes = try reader.readArray(count: BulletinID.byteCount, field: "bulletin id")
    }

    /// A new id for a bulletin posted at `time`: 48 bits of Unix milliseconds, then 80 bits from
    /// the CSPRNG laid out as a UUID version 7 (RFC 9562 §5.7), which is also a valid ULID. Ids
    /// made later sort later (within one millisecond, in random order).
    public static func generate(at time: Timestamp = .now) -> BulletinID {
        var bytes = SecureRandom.bytes(count: byteCount)
        let milliseconds = time.millisecondsSinceEpoch
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> UInt64(40 - 8 * index))
        }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // UUID version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // UUID variant 10
        return BulletinID(checked: bytes)
    }

    /// The Unix milliseconds in the first 48 bits (the creation time of generated ids).
    public var timestamp: Timestamp {
        Timestamp(millisecondsSinceEpoch: bytes.prefix(6).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) })
    }

    // MARK: ULID text

    private static let crockford = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The canonical ULID: 26 upper-case Crockford base32 characters (130 bits, the top 2 zero).
    public var ulid: String {
        String(unsafeUninitializedCapacity: 26) { text in
            writeULID(into: text, at: 0)
            return 26
        }
    }

    /// Writes the 26 characters of ``ulid`` into `text` from `offset`. Called for every id a node
    /// logs, audits or stores, so it works on whole words rather than bit by bit: the 128 bits as
    /// one number, character i being bits 125 − 5i … 129 − 5i of it (the first character's top
    /// two bits are the padding zeros).
    private func writeULID(into text: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        let value = bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
        BulletinID.crockford.withUnsafeBufferPointer { digits in
            for character in 0..<26 {
                text[offset + character] = digits[Int(truncatingIfNeeded: (value >> (125 - 5 * character)) & 31)]
            }
        }
    }

    /// The id written as a canonical ULID. Lower case and the Crockford aliases (`I`, `L`, `O`)
    /// are refused, as the bulletin schema's pattern does: one id has one spelling.
    public init(ulid: String) throws(FormatError) {
        let utf8 = Array(ulid.utf8)
        // Built only on failure: ids are read by the thousand from the store and from peers.
        var invalid: FormatError {
            .invalidField(
                field: "bulletin id",
                reason: "“\(ulid)” is not a ULID (26 characters 0-9 A-Z without I L O U, first 0–7)")
        }
        guard utf8.count == 26 else { throw invalid }
        // 26 digits of 5 bits, the first at most 7: exactly 128 bits.
        var value = UInt128(0)
        for (index, character) in utf8.enumerated() {
            let digit = BulletinID.crockfordValues[Int(character)]
            guard digit != BulletinID.notCrockford, index > 0 || digit <= 7 else { throw invalid }
            value = value << 5 | UInt128(digit)
        }
        self.bytes = (0..<BulletinID.byteCount).map { UInt8(truncatingIfNeeded: value >> (120 - 8 * $0)) }
    }

    private static let notCrockford: UInt8 = 0xFF
    /// The value of each byte as a Crockford digit of ``crockford`` (upper case only), or ``notCrockford``.
    private static let crockfordValues: [UInt8] = {
        var values = [UInt8](repeating: notCrockford, count: 256)
        for (value, character) in crockford.enumerated() { values[Int(character)] = UInt8(value) }
        return values
    }()

    // MARK: The bulletin JSON's reference `<origin>-<ULID>`

    /// The id as the bulletin JSON writes it: `<origin>-<ULID>`, e.g. `MA-01JQ3M8K2Z9V4T6R5W7X8Y9A0B`.
    public func reference(origin: StateCode) -> String {
        // Written in place: every bulletin's reference is made several times on each node.
        String(unsafeUninitializedCapacity: 29) { text in
            text[0] = origin.bytes.0
            text[1] = origin.bytes.1
            text[2] = UInt8(ascii: "-")
            writeULID(into: text, at: 3)
            return 29
        }
    }

    /// Splits a bulletin JSON reference `<origin>-<ULID>` into its state and id.
    public static func parse(reference: String) throws(FormatError) -> (origin: StateCode, id: BulletinID) {
        let parts = reference.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw FormatError.invalidField(field: "bulletin reference", reason: "“\(reference)” is not <state>-<ULID>")
        }
        return (try StateCode(String(parts[0])), try BulletinID(ulid: String(parts[1])))
    }

    // MARK: UUID text

    /// The same 16 bytes as a lower-case UUID string (8-4-4-4-12).
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

    /// The id written as a lower-case UUID (8-4-4-4-12 hexadecimal digits; upper case refused).
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

    /// The ULID.
    public var description: String { ulid }

    /// The canonical order: that of the wire bytes (and of the ULID text).
    public static func < (lhs: BulletinID, rhs: BulletinID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// Decodes the JSON form (the ULID string) with the same checks as ``init(ulid:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(ulid: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the JSON form: the ULID string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ulid)
    }
}
