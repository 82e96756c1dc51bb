/// Why a byte string is not the strict JSON (RFC 8259) that BorderNet accepts.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidNumber
        case numberOutOfRange
        case invalidEscape
        case invalidUnicodeEscape
        case controlCharacterInString
        case invalidUTF8
        case duplicateMember(String)
        case tooDeep(limit: Int)
        case trailingData
    }

    /// Offset of the offending byte from the start of the input.
    public let offset: Int
    /// What went wrong there.
    public let reason: Reason

    /// An error at byte `offset` for `reason`.
    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "the text ends in the middle of a value"
        case .unexpectedByte(let byte):
            if byte >= 0x20 && byte < 0x7F {
                what = "unexpected character '\(Character(Unicode.Scalar(byte)))'"
            } else {
                what = "unexpected byte 0x\(String(byte, radix: 16))"
            }
        case .invalidNumber: what = "malformed number"
        case .numberOutOfRange: what = "number too large to represent"
        case .invalidEscape: what = "invalid escape sequence in string"
        case .invalidUnicodeEscape: what = "invalid \\u escape (bad hex or lone surrogate)"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .invalidUTF8: what = "the text is not valid UTF-8"
        case .duplicateMember(let name): what = "member \"\(name)\" appears twice in one object"
        case .tooDeep(let limit): what = "values nested deeper than \(limit) levels"
        case .trailingData: what = "extra text after the JSON value"
        }
        return "\(what) at byte \(offset)"
    }
}
