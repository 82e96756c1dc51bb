import BulletinSchema

/// Canonical JSON text of a ``JSONValue``: members in sorted order (by UTF-8 bytes), two-space
/// indentation, strings escaped only where RFC 8259 requires it, numbers as BorderNet writes them
/// (an integral decimal within ±10^15 as an integer, any other in Swift's shortest round-trip
/// form). The same value always gives the same bytes, so an export is reproducible.
public enum CanonicalJSON {
    /// The UTF-8 bytes of `value`, starting at indentation `level` (no trailing newline).
    public static func bytes(_ value: JSONValue, level: Int = 0) -> [UInt8] {
        var out: [UInt8] = []
        write(value, level: level, to: &out)
        return out
    }

    private static func indent(_ level: Int, _ out: inout [UInt8]) {
        out.append(0x0A)
        out += [UInt8](repeating: 0x20, count: level * 2)
    }

    private static func write(_ value: JSONValue, level: Int, to out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .integer(let number): out += Array(String(number).utf8)
        case .decimal(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                out += Array(String(Int64(number)).utf8)
            } else if number.isFinite {
                out += Array(String(number).utf8)
            } else {
                out += Array("null".utf8)
            }
        case .string(let text): writeString(text, to: &out)
        case .array(let elements):
            guard !elements.isEmpty else {
                out += Array("[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                indent(level + 1, &out)
                write(element, level: level + 1, to: &out)
            }
            indent(level, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else {
                out += Array("{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            let names = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, name) in names.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                indent(level + 1, &out)
                writeString(name, to: &out)
                out += Array(": ".utf8)
                write(members[name] ?? .null, level: level + 1, to: &out)
            }
            indent(level, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
