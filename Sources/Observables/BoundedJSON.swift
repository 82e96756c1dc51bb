/// A JSON value read by ``BoundedJSON``: only what extraction needs, numbers kept as written.
indirect enum JSONValue: Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// The value of `key` when this is an object (the first one of that name).
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}

/// A JSON reader for untrusted bodies that never traps and bounds what it costs: nesting deeper
/// than ``maximumDepth`` or input longer than ``maximumBytes`` is refused (nil); an array keeps its
/// first ``maximumArrayElements`` elements and an object its first ``maximumObjectMembers`` members
/// (the rest is read and dropped); a string keeps its first ``maximumStringBytes`` bytes; at most
/// ``maximumValues`` values are kept in all (the rest is read and dropped).
struct BoundedJSON {
    static let maximumDepth = 32
    static let maximumBytes = 8 << 20
    static let maximumArrayElements = 1_024
    static let maximumObjectMembers = 1_024
    static let maximumStringBytes = 65_536
    static let maximumValues = 65_536

    private let bytes: [UInt8]
    private var position = 0
    private var kept = 0

    /// The value of `bytes`, or nil when it is not one JSON value within the bounds.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard bytes.count <= maximumBytes else { return nil }
        var reader = BoundedJSON(bytes: bytes)
        guard let value = reader.value(depth: 0, keep: true) else { return nil }
        reader.skipSpace()
        return reader.position == bytes.count ? value : nil
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func expect(_ literal: String) -> Bool {
        let expected = Array(literal.utf8)
        guard position + expected.count <= bytes.count, bytes[position..<position + expected.count].elementsEqual(expected) else { return false }
        position += expected.count
        return true
    }

    /// One value; when `keep` is false it is checked and dropped (`.null` stands for it).
    private mutating func value(depth: Int, keep: Bool) -> JSONValue? {
        guard depth < Self.maximumDepth else { return nil }
        skipSpace()
        guard let byte = current else { return nil }
        let keeping = keep && kept < Self.maximumValues
        if keeping { kept += 1 }
        switch byte {
        case UInt8(ascii: "{"): return object(depth: depth, keep: keeping)
        case UInt8(ascii: "["): return array(depth: depth, keep: keeping)
        case UInt8(ascii: "\""):
            guard let text = string(keep: keeping) else { return nil }
            return keeping ? .string(text) : .null
        case UInt8(ascii: "t"): return expect("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return expect("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return expect("null") ? .null : nil
        default: return number(keep: keeping)
        }
    }

    private mutating func object(depth: Int, keep: Bool) -> JSONValue? {
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        skipSpace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard current == UInt8(ascii: "\"") else { return nil }
            let keepMember = keep && members.count < Self.maximumObjectMembers
            guard let key = string(keep: keepMember) else { return nil }
            skipSpace()
            guard current == UInt8(ascii: ":") else { return nil }
            position += 1
            guard let member = value(depth: depth + 1, keep: keepMember) else { return nil }
            if keepMember { members.append((key, member)) }
            skipSpace()
            guard let separator = current else { return nil }
            position += 1
            if separator == UInt8(ascii: "}") { return keep ? .object(members) : .null }
            guard separator == UInt8(ascii: ",") else { return nil }
        }
    }

    private mutating func array(depth: Int, keep: Bool) -> JSONValue? {
        position += 1
        var items: [JSONValue] = []
        skipSpace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            let keepItem = keep && items.count < Self.maximumArrayElements
            guard let item = value(depth: depth + 1, keep: keepItem) else { return nil }
            if keepItem { items.append(item) }
            skipSpace()
            guard let separator = current else { return nil }
            position += 1
            if separator == UInt8(ascii: "]") { return keep ? .array(items) : .null }
            guard separator == UInt8(ascii: ",") else { return nil }
        }
    }

    private mutating func number(keep: Bool) -> JSONValue? {
        let start = position
        while let byte = current,
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        {
            position += 1
        }
        guard position > start else { return nil }
        guard keep else { return .null }
        return .number(String(decoding: bytes[start..<min(position, start + 64)], as: UTF8.self))
    }

    /// A string starting at the opening quote; its escapes decoded, invalid UTF-8 repaired.
    private mutating func string(keep: Bool) -> String? {
        position += 1
        var buffer: [UInt8] = []
        var pendingHighSurrogate: UInt32?
        func append(_ byte: UInt8) {
            if keep, buffer.count < Self.maximumStringBytes { buffer.append(byte) }
        }
        func appendScalar(_ value: UInt32) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            for byte in String(scalar).utf8 { append(byte) }
        }
        while let byte = current {
            position += 1
            if byte == UInt8(ascii: "\"") {
                if let high = pendingHighSurrogate { appendScalar(high) }
                return keep ? String(decoding: buffer, as: UTF8.self) : ""
            }
            if byte < 0x20 { return nil }
            guard byte == UInt8(ascii: "\\") else {
                if let high = pendingHighSurrogate {
                    appendScalar(high)
                    pendingHighSurrogate = nil
                }
                append(byte)
                continue
            }
            guard let escape = current else { return nil }
            position += 1
            if escape == UInt8(ascii: "u") {
                guard position + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
                else { return nil }
                position += 4
                if let high = pendingHighSurrogate {
                    pendingHighSurrogate = nil
                    if (0xDC00...0xDFFF).contains(code) {
                        appendScalar(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
                        continue
                    }
                    appendScalar(0xFFFD)
                }
                if (0xD800...0xDBFF).contains(code) {
                    pendingHighSurrogate = code
                } else {
                    appendScalar(code)  // a lone low surrogate becomes U+FFFD
                }
                continue
            }
            if let high = pendingHighSurrogate {
                appendScalar(high)
                pendingHighSurrogate = nil
            }
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): append(escape)
            case UInt8(ascii: "b"): append(0x08)
            case UInt8(ascii: "f"): append(0x0C)
            case UInt8(ascii: "n"): append(0x0A)
            case UInt8(ascii: "r"): append(0x0D)
            case UInt8(ascii: "t"): append(0x09)
            default: return nil
            }
        }
        return nil
    }
}
