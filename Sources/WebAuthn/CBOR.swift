/// A CBOR data item of the subset WebAuthn uses (CTAP2 canonical CBOR, FIDO CTAP 2.1 §8): unsigned
/// and negative integers, byte and text strings, arrays, maps and the booleans. Nothing else is
/// ever produced by ``CBORReader``.
public indirect enum CBORValue: Sendable, Hashable {
    /// An integer, unsigned (major type 0) or negative (major type 1), within `Int64`.
    case integer(Int64)
    case bytes([UInt8])
    case text(String)
    case array([CBORValue])
    /// A map's entries in the order they were written (keys are unique; ``CBORReader`` refuses a
    /// repeated key).
    case map([(key: CBORValue, value: CBORValue)])
    case boolean(Bool)

    public static func == (lhs: CBORValue, rhs: CBORValue) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a == b
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.text(let a), .text(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.boolean(let a), .boolean(let b)): return a == b
        case (.map(let a), .map(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .integer(let value): hasher.combine(0); hasher.combine(value)
        case .bytes(let value): hasher.combine(1); hasher.combine(value)
        case .text(let value): hasher.combine(2); hasher.combine(value)
        case .array(let value): hasher.combine(3); hasher.combine(value)
        case .map(let entries):
            hasher.combine(4)
            for entry in entries {
                hasher.combine(entry.key)
                hasher.combine(entry.value)
            }
        case .boolean(let value): hasher.combine(5); hasher.combine(value)
        }
    }

    /// The value under `key` in a map, or `nil` (also when this is not a map).
    public subscript(key: CBORValue) -> CBORValue? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// A few words naming the kind of item, for errors.
    var kind: String {
        switch self {
        case .integer: "integer"
        case .bytes: "byte string"
        case .text: "text string"
        case .array: "array"
        case .map: "map"
        case .boolean: "boolean"
        }
    }
}

/// Why bytes are not a CBOR item of the accepted subset. Every input ends in a value or one of
/// these: the reader never traps and never allocates more than the input's length allows.
public enum CBORError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input ends inside an item (`needed` more bytes at `offset`).
    case truncated(offset: Int)
    /// The input is longer than the reader's limit.
    case tooLarge(byteCount: Int, limit: Int)
    /// Arrays and maps nest deeper than the limit.
    case tooDeep(limit: Int)
    /// More items in all than the limit.
    case tooManyItems(limit: Int)
    /// A major type or simple value outside the subset (tags, floats, null, undefined…).
    case unsupported(what: String, offset: Int)
    /// An indefinite length (additional information 31), which CTAP2 canonical CBOR forbids.
    case indefiniteLength(offset: Int)
    /// Additional information 28–30, reserved by RFC 8949.
    case reservedAdditionalInformation(offset: Int)
    /// A length or integer written in more bytes than needed (CTAP2 requires the shortest form).
    case nonCanonicalEncoding(offset: Int)
    /// A negative integer below `Int64.min` or an unsigned one above `Int64.max`.
    case integerOutOfRange(offset: Int)
    /// A text string that is not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// A map with the same key twice.
    case duplicateMapKey(offset: Int)
    /// Bytes after the one item expected.
    case trailingBytes(offset: Int)

    public var description: String {
        switch self {
        case .truncated(let offset): "CBOR ends inside an item (at byte \(offset))"
        case .tooLarge(let count, let limit): "CBOR input of \(count) bytes is over the limit of \(limit)"
        case .tooDeep(let limit): "CBOR nests deeper than \(limit) levels"
        case .tooManyItems(let limit): "CBOR holds more than \(limit) items"
        case .unsupported(let what, let offset): "CBOR \(what) at byte \(offset) is outside the CTAP2 subset"
        case .indefiniteLength(let offset): "CBOR indefinite length at byte \(offset) (CTAP2 allows definite lengths only)"
        case .reservedAdditionalInformation(let offset): "CBOR reserved additional information at byte \(offset)"
        case .nonCanonicalEncoding(let offset): "CBOR length or integer at byte \(offset) is not in its shortest form"
        case .integerOutOfRange(let offset): "CBOR integer at byte \(offset) is outside 64-bit signed range"
        case .invalidUTF8(let offset): "CBOR text string at byte \(offset) is not UTF-8"
        case .duplicateMapKey(let offset): "CBOR map repeats the key at byte \(offset)"
        case .trailingBytes(let offset): "CBOR has bytes after its item, from byte \(offset)"
        }
    }
}

/// A strict, bounded CBOR reader for WebAuthn's structures (attestation objects, COSE keys,
/// authenticator extensions): definite lengths, shortest-form heads, unique map keys, UTF-8
/// text; depth, item count and input size bounded. Map keys are not required in canonical order:
/// order changes no meaning, and some authenticators do not sort; a repeated key would, and is
/// refused.
public struct CBORReader: Sendable {
    /// Inputs longer than this are refused before reading.
    public var maximumByteCount: Int
    /// Arrays and maps nested deeper than this are refused.
    public var maximumDepth: Int
    /// More data items than this, counted over the whole input, are refused.
    public var maximumItemCount: Int

    /// Bounds generous for any attestation object a browser sends (a few hundred bytes to a few
    /// KiB with certificates), small enough that a hostile input costs nothing.
    public init(maximumByteCount: Int = 16 * 1_024, maximumDepth: Int = 8, maximumItemCount: Int = 512) {
        self.maximumByteCount = maximumByteCount
        self.maximumDepth = maximumDepth
        self.maximumItemCount = maximumItemCount
    }

    /// The one item that `bytes` holds; bytes after it are refused.
    public func read(_ bytes: [UInt8]) throws(CBORError) -> CBORValue {
        let (value, end) = try readPrefix(bytes)
        guard end == bytes.count else { throw .trailingBytes(offset: end) }
        return value
    }

    /// The first item of `bytes` and where it ends (authenticator data holds a COSE key followed
    /// by other bytes).
    public func readPrefix(_ bytes: [UInt8]) throws(CBORError) -> (value: CBORValue, end: Int) {
        guard bytes.count <= maximumByteCount else { throw .tooLarge(byteCount: bytes.count, limit: maximumByteCount) }
        var cursor = Cursor(bytes: bytes, reader: self)
        let value = try cursor.item(depth: 0)
        return (value, cursor.offset)
    }

    private struct Cursor {
        let bytes: [UInt8]
        let reader: CBORReader
        var offset = 0
        var items = 0

        mutating func byte() throws(CBORError) -> UInt8 {
            guard offset < bytes.count else { throw .truncated(offset: offset) }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func take(_ count: UInt64) throws(CBORError) -> [UInt8] {
            guard count <= UInt64(bytes.count - offset) else { throw .truncated(offset: offset) }
            let length = Int(count)
            defer { offset += length }
            return Array(bytes[offset..<offset + length])
        }

        /// The argument of a head whose additional information is `info`, in its shortest form.
        mutating func argument(_ info: UInt8, at start: Int) throws(CBORError) -> UInt64 {
            switch info {
            case 0...23:
                return UInt64(info)
            case 24...27:
                let width = 1 << Int(info - 24)
                var value: UInt64 = 0
                for _ in 0..<width {
                    value = value << 8 | UInt64(try byte())
                }
                let shortest: UInt64
                switch width {
                case 1: shortest = 24
                case 2: shortest = 0x100
                case 4: shortest = 0x1_0000
                default: shortest = 0x1_0000_0000
                }
                guard value >= shortest else { throw .nonCanonicalEncoding(offset: start) }
                return value
            case 31:
                throw .indefiniteLength(offset: start)
            default:
                throw .reservedAdditionalInformation(offset: start)
            }
        }

        mutating func item(depth: Int) throws(CBORError) -> CBORValue {
            items += 1
            guard items <= reader.maximumItemCount else { throw .tooManyItems(limit: reader.maximumItemCount) }
            let start = offset
            let head = try byte()
            let major = head >> 5
            let info = head & 0x1f
            switch major {
            case 0:
                let value = try argument(info, at: start)
                guard value <= UInt64(Int64.max) else { throw .integerOutOfRange(offset: start) }
                return .integer(Int64(value))
            case 1:
                let value = try argument(info, at: start)
                guard value <= UInt64(Int64.max) else { throw .integerOutOfRange(offset: start) }
                return .integer(-1 - Int64(value))
            case 2:
                return .bytes(try take(try argument(info, at: start)))
            case 3:
                let raw = try take(try argument(info, at: start))
                guard let text = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(offset: start) }
                return .text(text)
            case 4:
                let count = try argument(info, at: start)
                guard depth < reader.maximumDepth else { throw .tooDeep(limit: reader.maximumDepth) }
                // Each element takes at least one byte: a count beyond what is left is a lie.
                guard count <= UInt64(bytes.count - offset) else { throw .truncated(offset: offset) }
                var elements: [CBORValue] = []
                elements.reserveCapacity(Int(count))
                for _ in 0..<count {
                    elements.append(try item(depth: depth + 1))
                }
                return .array(elements)
            case 5:
                let count = try argument(info, at: start)
                guard depth < reader.maximumDepth else { throw .tooDeep(limit: reader.maximumDepth) }
                guard count <= UInt64(bytes.count - offset) / 2 else { throw .truncated(offset: offset) }
                var entries: [(key: CBORValue, value: CBORValue)] = []
                var seen = Set<CBORValue>()
                for _ in 0..<count {
                    let keyStart = offset
                    let key = try item(depth: depth + 1)
                    guard seen.insert(key).inserted else { throw .duplicateMapKey(offset: keyStart) }
                    entries.append((key, try item(depth: depth + 1)))
                }
                return .map(entries)
            case 6:
                throw .unsupported(what: "tag", offset: start)
            default:
                switch info {
                case 20: return .boolean(false)
                case 21: return .boolean(true)
                case 22: throw .unsupported(what: "null", offset: start)
                case 23: throw .unsupported(what: "undefined", offset: start)
                case 25, 26, 27: throw .unsupported(what: "floating-point number", offset: start)
                case 31: throw .indefiniteLength(offset: start)
                default: throw .unsupported(what: "simple value", offset: start)
                }
            }
        }
    }
}
