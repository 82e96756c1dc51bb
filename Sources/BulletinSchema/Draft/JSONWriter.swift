/// Writes a ``JSONValue`` as compact JSON text: members in sorted order, strings escaped only
/// where RFC 8259 requires it (`"`, `\` and controls below U+0020), everything else as UTF-8.
///
/// This is what a draft's bytes are (``BulletinDraft/jsonBytes``), so it writes values exactly:
/// an integer as its digits, an integral decimal within ±10^15 as an integer (`2.0` → `2`, as
/// Foundation's JSONSerialization did), any other decimal in Swift's shortest form that reads
/// back to the same `Double` (`0.1`, `1e-07`, `1e+20`, all valid JSON numbers).
///
/// Public for its string writer, which the node's control answers use too (`Wire`).
public enum JSONWriter {
    /// The UTF-8 bytes of `value`.
    static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, to: &out)
        return out
    }

    private static func write(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .integer(let number): out += Array(String(number).utf8)
        case .decimal(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                out += Array(String(Int64(number)).utf8)
            } else {
                out += Array(String(number).utf8)
            }
        case .string(let text): appendString(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, name) in members.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(name, to: &out)
                out.append(UInt8(ascii: ":"))
                write(members[name] ?? .null, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `text` to `out` as a JSON string, escaped only where RFC 8259 requires it.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
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
