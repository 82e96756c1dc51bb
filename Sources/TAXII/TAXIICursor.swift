/// Where the next page of a TAXII answer starts (the `next` of an envelope): after the object at
/// ``objectIndex`` of the bulletin stored at ``storedAt`` with id ``bulletinID``, in the order of
/// `date_added` (time stored, then id).
///
/// Opaque to clients: base64url of a version byte, a fingerprint of the request it belongs to
/// (collection, filters), the position, and the bulletin id. It carries no authority: the scope
/// comes from the credentials of every request, so a crafted cursor can only move the position.
/// It is read strictly: any other length, version, fingerprint or id is refused.
public struct TAXIICursor: Sendable, Hashable {
    /// When the bulletin was stored (milliseconds since the epoch).
    public var storedAt: UInt64
    /// The bulletin's id (`DZ-01J…`).
    public var bulletinID: String
    /// How many of the bulletin's objects (after the filters) earlier pages delivered.
    public var objectIndex: Int
    /// The fingerprint of the request the cursor was made for (``TAXIIRequestFilter/fingerprint``).
    public var fingerprint: UInt64

    /// The longest `next` read.
    public static let maximumTextLength = 128
    /// The longest bulletin id a cursor carries.
    public static let maximumIDLength = 48
    private static let version: UInt8 = 1

    /// A cursor.
    public init(storedAt: UInt64, bulletinID: String, objectIndex: Int, fingerprint: UInt64) {
        self.storedAt = storedAt
        self.bulletinID = bulletinID
        self.objectIndex = objectIndex
        self.fingerprint = fingerprint
    }

    /// The opaque text.
    public var text: String {
        var bytes: [UInt8] = [Self.version]
        bytes += Self.bigEndian(fingerprint) + Self.bigEndian(storedAt)
        let index = UInt16(clamping: objectIndex)
        bytes += [UInt8(index >> 8), UInt8(index & 0xFF)]
        let id = Array(bulletinID.utf8.prefix(Self.maximumIDLength))
        bytes.append(UInt8(id.count))
        bytes += id
        return Base64URL.encode(bytes)
    }

    /// Reads `text` for a request whose fingerprint is `fingerprint`; throws a 400 for anything a
    /// cursor of this server for this request would not be.
    public init(text: String, fingerprint expected: UInt64) throws(TAXIIError) {
        let refused = TAXIIError.badRequest(
            "next is not a cursor this server gave for this request: start again without next (the filters and the collection must stay the same from page to page)."
        )
        guard text.utf8.count <= Self.maximumTextLength, let bytes = Base64URL.decode(text), bytes.count >= 20,
            bytes[0] == Self.version
        else { throw refused }
        let fingerprint = Self.number(bytes[1..<9])
        let storedAt = Self.number(bytes[9..<17])
        let index = Int(bytes[17]) << 8 | Int(bytes[18])
        let length = Int(bytes[19])
        guard fingerprint == expected, length > 0, length <= Self.maximumIDLength, bytes.count == 20 + length,
            storedAt <= UInt64(Int64.max)
        else { throw refused }
        let id = bytes[20...]
        // A bulletin id: upper-case letters, digits and '-' only (it is turned into a typed
        // reference before any query).
        guard
            id.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || $0 == UInt8(ascii: "-") })
        else { throw refused }
        self.init(storedAt: storedAt, bulletinID: String(decoding: id, as: UTF8.self), objectIndex: index, fingerprint: fingerprint)
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * $0)) }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// Base64url without padding (RFC 4648 §5), strict: anything else is `nil`.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(16 - 8 * $1.offset) }
            for position in 0...chunk.count {
                out.append(alphabet[Int((value >> UInt32(18 - 6 * position)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt32] = []
        for byte in text.utf8 {
            guard let position = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt32(position))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | $1.element << UInt32(18 - 6 * $1.offset) }
            let count = chunk.count - 1
            for position in 0..<count { out.append(UInt8(truncatingIfNeeded: value >> UInt32(16 - 8 * position))) }
            // Bits beyond the last byte must be zero: one text per byte string.
            let unused = UInt32(24 - 8 * count)
            if unused > 0, value & ((1 << unused) - 1) != 0 { return nil }
            index += 4
        }
        return out
    }
}
