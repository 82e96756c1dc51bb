/// A strict RFC 8259 JSON parser.
///
/// Written for BorderNet rather than borrowed from `JSONSerialization` because validation needs
/// what Foundation blurs: an integer stays distinct from a decimal, `true` is never the number 1,
/// a member name that appears twice is an error (two readers could otherwise see two different
/// bulletins), and nesting is bounded so hostile input cannot exhaust the stack.
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted.
    public let maximumDepth: Int

    /// A parser that refuses values nested deeper than `maximumDepth`.
    public init(maximumDepth: Int = 64) {
        self.maximumDepth = maximumDepth
    }

    /// Parses exactly one JSON value from `bytes` (UTF-8, optional surrounding whitespace).
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        try parseNotingText(bytes).value
    }

    /// Parses like ``parse(_:)`` and also says whether any string or member name contains a code
    /// point that ``DisplayText/isForbidden(_:)``. The parser reads every byte of every string
    /// anyway, so this costs almost nothing, and the text rule walks the document only when it is
    /// true (rarely: only an attack or a mistake).
    /// `containsLineBreak` says whether a string or member name contains LINE FEED or CHARACTER
    /// TABULATION, which JSON can only carry as escapes (`\n`, `\t`, `\u000a`).
    ///
    /// Visible to the fuzz targets (`@_spi(Fuzzing)`), which compare it with
    /// ``parseThroughTape(_:)``.
    @_spi(Fuzzing)
    public func parseNotingText(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> (
        value: JSONValue, containsForbiddenText: Bool, containsLineBreak: Bool
    ) {
        let input = Array(bytes)
        let maximumDepth = maximumDepth
        // The reader works on the array's storage in place: no reference counting and no copy for
        // each string or number it reads. The pointer never leaves this call.
        return try input.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var reader = Reader(bytes: buffer, maximumDepth: maximumDepth)
            reader.skipWhitespace()
            let value = try reader.value(depth: 0)
            reader.skipWhitespace()
            guard reader.index == reader.bytes.count else {
                throw JSONParseError(offset: reader.index, reason: .trailingData)
            }
            return (value, reader.forbiddenText, reader.lineBreak)
        }
    }
}

extension JSONParser {
    /// Parses like ``parseNotingText(_:)`` into a ``JSONTape`` rather than a tree: what
    /// validation reads. The same bytes are accepted and refused with the same errors.
    func parseTapeNotingText(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> (
        tape: JSONTape, containsForbiddenText: Bool, containsLineBreak: Bool
    ) {
        let input = Array(bytes)
        let maximumDepth = maximumDepth
        return try input.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var reader = Reader(bytes: buffer, maximumDepth: maximumDepth)
            var tape = JSONTape(expectedBytes: buffer.count)
            reader.skipWhitespace()
            try reader.tapeValue(depth: 0, into: &tape)
            reader.skipWhitespace()
            guard reader.index == reader.bytes.count else {
                throw JSONParseError(offset: reader.index, reason: .trailingData)
            }
            return (tape, reader.forbiddenText, reader.lineBreak)
        }
    }

    /// Parses onto a ``JSONTape``, as validation does, and builds the tree from the tape: the tape
    /// reader seen from outside the module. The fuzz target FuzzJSON (Fuzz/, `@_spi(Fuzzing)`)
    /// checks on every input that it and ``parseNotingText(_:)`` accept the same bytes with the
    /// same value and flags, and refuse the rest with the same error. Production code calls
    /// ``parse(_:)``, which builds the tree directly.
    @_spi(Fuzzing)
    public func parseThroughTape(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> (
        value: JSONValue, containsForbiddenText: Bool, containsLineBreak: Bool
    ) {
        let parsed = try parseTapeNotingText(bytes)
        return (parsed.tape.value(at: JSONTape.root), parsed.containsForbiddenText, parsed.containsLineBreak)
    }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var index = 0
    /// Set when a string or member name read so far contains a code point the text rule forbids.
    var forbiddenText = false
    /// Set when a string read so far contains a LINE FEED or a CHARACTER TABULATION.
    var lineBreak = false
    /// The members of the objects being read, innermost last: an object pushes its members here
    /// and takes them off when it ends, so that reading an object allocates only its dictionary.
    var pendingMembers: [PendingMember] = []
    /// Where the names of the members of the objects being read onto a tape start, innermost
    /// last.
    var nameOffsets: [Int] = []

    /// A member read but not yet put in its object's dictionary.
    struct PendingMember {
        let name: String
        let value: JSONValue
        /// Where its name starts, for the duplicate-member error.
        let offset: Int
    }

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
        pendingMembers.reserveCapacity(32)
    }

    /// The bytes `range` of the input, as a buffer (no copy).
    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }

    func fail(_ reason: JSONParseError.Reason) -> JSONParseError {
        JSONParseError(offset: index, reason: reason)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func peek() throws(JSONParseError) -> UInt8 {
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        return bytes[index]
    }

    mutating func expect(_ literal: StaticString, value: JSONValue) throws(JSONParseError) -> JSONValue {
        let text = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in text {
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[index] == byte else { throw fail(.unexpectedByte(bytes[index])) }
            index += 1
        }
        return value
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", value: .bool(true))
        case UInt8(ascii: "f"): return try expect("false", value: .bool(false))
        case UInt8(ascii: "n"): return try expect("null", value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case let byte: throw fail(.unexpectedByte(byte))
        }
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail(.tooDeep(limit: maximumDepth)) }
        index += 1
        // Members are gathered first and put into a dictionary of the right size at the end:
        // growing it member by member rehashes it several times.
        let firstMember = pendingMembers.count
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw fail(.unexpectedByte(bytes[index])) }
            let nameOffset = index
            let name = try string()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw fail(.unexpectedByte(bytes[index])) }
            index += 1
            skipWhitespace()
            let memberValue = try value(depth: depth)
            pendingMembers.append(PendingMember(name: name, value: memberValue, offset: nameOffset))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                var dictionary = [String: JSONValue](minimumCapacity: pendingMembers.count - firstMember)
                for member in pendingMembers[firstMember...] {
                    guard dictionary.updateValue(member.value, forKey: member.name) == nil else {
                        throw JSONParseError(offset: member.offset, reason: .duplicateMember(member.name))
                    }
                }
                pendingMembers.removeSubrange(firstMember...)
                return .object(dictionary)
            case let byte: throw fail(.unexpectedByte(byte))
            }
        }
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail(.tooDeep(limit: maximumDepth)) }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            case let byte: throw fail(.unexpectedByte(byte))
            }
        }
    }

    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(bytes[index]) {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        } else {
            throw fail(.invalidNumber)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.invalidNumber) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.invalidNumber) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: slice(start..<index), as: UTF8.self)
        if isInteger, let value = Int64(text) {
            return .integer(value)
        }
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(offset: start, reason: .numberOutOfRange)
        }
        return .decimal(value)
    }

    /// Classes of a byte inside a JSON string, for the fast path of ``string()``.
    private static let stopsPlainRun: UInt8 = 1  // `"`, `\` or a control (U+0000–U+001F)
    private static let notASCII: UInt8 = 2  // 0x80–0xFF
    /// DELETE (0x7F) and the lead bytes C2 and E2: every code point the text rule forbids that
    /// can appear raw (unescaped) in a JSON string is one of these or starts with one (C1
    /// controls C2 80–C2 9F, U+2028–U+202E, U+2066–U+206F); the C0 controls cannot appear raw.
    private static let mayStartHazard: UInt8 = 4
    private static let byteClasses: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        var byteClass: UInt8 = 0
        if byte < 0x20 || byte == 0x22 || byte == 0x5C { byteClass |= stopsPlainRun }
        if byte >= 0x80 { byteClass |= notASCII }
        if byte == 0x7F || byte == 0xC2 || byte == 0xE2 { byteClass |= mayStartHazard }
        return byteClass
    }

    /// The index of the first byte at or after `start` that stops a plain run (`bytes.count` if
    /// none) and the union of the classes of the bytes before it: one table load and one OR per
    /// byte, without bounds checks, since every byte of every string goes through here.
    private static func plainRun(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, classes: UInt8) {
        byteClasses.withUnsafeBufferPointer { table in
            var end = start
            var seen: UInt8 = 0
            while end < buffer.count {
                let byteClass = table[Int(buffer[end])]
                if byteClass & stopsPlainRun != 0 { break }
                seen |= byteClass
                end += 1
            }
            return (end, seen)
        }
    }

    mutating func string() throws(JSONParseError) -> String {
        index += 1
        // Most strings have no escape: find the closing quote and validate the bytes in place.
        // ASCII needs no validation (and most member names and codes are ASCII). Only a string
        // with a byte that may start a forbidden code point is scanned for the text rule.
        let (end, seen) = Reader.plainRun(bytes, from: index)
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            let start = index
            index = end + 1
            if seen == 0 { return String(decoding: slice(start..<end), as: UTF8.self) }
            guard let text = String(validating: slice(start..<end), as: UTF8.self) else { throw fail(.invalidUTF8) }
            if seen & Reader.mayStartHazard != 0, !forbiddenText,
                DisplayText.containsHazard(utf8: slice(start..<end), allowingLineBreaks: true)
            {
                forbiddenText = true
            }
            return text
        }
        var buffer = Array(slice(index..<end))
        buffer.reserveCapacity(end - index + 64)
        index = end
        while true {
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw fail(.invalidUTF8)
                }
                // Escapes can write any code point (\u0000, \u202e): scan the decoded bytes.
                if !forbiddenText, DisplayText.containsHazard(utf8: buffer, allowingLineBreaks: true) {
                    forbiddenText = true
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail(.unexpectedEnd) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): buffer.append(0x22)
                case UInt8(ascii: "\\"): buffer.append(0x5C)
                case UInt8(ascii: "/"): buffer.append(0x2F)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"):
                    buffer.append(0x0A)
                    lineBreak = true
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"):
                    buffer.append(0x09)
                    lineBreak = true
                case UInt8(ascii: "u"):
                    let scalar = try unicodeEscape()
                    if DisplayText.isLineBreak(scalar) { lineBreak = true }
                    buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    index -= 1
                    throw fail(.invalidEscape)
                }
            case 0x00..<0x20:
                throw fail(.controlCharacterInString)
            default:
                // Copy the run up to the next quote, escape or control character at once (a
                // draft carried inside a control request is one long escaped string).
                var runEnd = index + 1
                while runEnd < bytes.count {
                    let next = bytes[runEnd]
                    if next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") || next < 0x20 { break }
                    runEnd += 1
                }
                buffer.append(contentsOf: slice(index..<runEnd))
                index = runEnd
            }
        }
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail(.unexpectedEnd) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail(.invalidUnicodeEscape)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    mutating func unicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let first = try hex4()
        if (0xD800...0xDBFF).contains(first) {
            guard index + 2 <= bytes.count,
                bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw fail(.invalidUnicodeEscape) }
            index += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw fail(.invalidUnicodeEscape) }
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(combined) else { throw fail(.invalidUnicodeEscape) }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else { throw fail(.invalidUnicodeEscape) }
        return scalar
    }

    // MARK: Reading into a tape

    /// Reads one value onto `tape`: the tree reader's grammar, checks and errors, without
    /// building a ``JSONValue``.
    mutating func tapeValue(depth: Int, into tape: inout JSONTape) throws(JSONParseError) {
        switch try peek() {
        case UInt8(ascii: "{"): try tapeObject(depth: depth + 1, into: &tape)
        case UInt8(ascii: "["): try tapeArray(depth: depth + 1, into: &tape)
        case UInt8(ascii: "\""): tape.append(string: try string())
        case UInt8(ascii: "t"):
            _ = try expect("true", value: .null)
            tape.append(.bool, scalar: 1)
        case UInt8(ascii: "f"):
            _ = try expect("false", value: .null)
            tape.append(.bool, scalar: 0)
        case UInt8(ascii: "n"):
            _ = try expect("null", value: .null)
            tape.append(.null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            switch try number() {
            case .integer(let value): tape.append(.integer, scalar: UInt64(bitPattern: value))
            case .decimal(let value): tape.append(.decimal, scalar: value.bitPattern)
            default: throw fail(.invalidNumber)
            }
        case let byte: throw fail(.unexpectedByte(byte))
        }
    }

    /// Objects with more members than this are checked for a repeated name with a set; smaller
    /// ones by comparing names, which allocates nothing.
    private static let membersComparedPairwise = 16

    mutating func tapeObject(depth: Int, into tape: inout JSONTape) throws(JSONParseError) {
        guard depth <= maximumDepth else { throw fail(.tooDeep(limit: maximumDepth)) }
        index += 1
        let object = tape.open(.object)
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            tape.close(object, count: 0)
            return
        }
        // Where each member's name starts, for the duplicate-member error, on one stack shared
        // by all objects (as `pendingMembers` for the tree).
        let firstName = nameOffsets.count
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw fail(.unexpectedByte(bytes[index])) }
            nameOffsets.append(index)
            tape.append(string: try string())
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw fail(.unexpectedByte(bytes[index])) }
            index += 1
            skipWhitespace()
            try tapeValue(depth: depth, into: &tape)
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                tape.close(object, count: nameOffsets.count - firstName)
                // Checked when the object ends, as the tree reader does, so that the same
                // document gives the same error: the first name that repeats an earlier one.
                if let repeated = tape.firstRepeatedName(inObject: object, comparingPairwiseUpTo: Self.membersComparedPairwise) {
                    throw JSONParseError(
                        offset: nameOffsets[firstName + repeated.position], reason: .duplicateMember(repeated.name))
                }
                nameOffsets.removeSubrange(firstName...)
                return
            case let byte: throw fail(.unexpectedByte(byte))
            }
        }
    }

    mutating func tapeArray(depth: Int, into tape: inout JSONTape) throws(JSONParseError) {
        guard depth <= maximumDepth else { throw fail(.tooDeep(limit: maximumDepth)) }
        index += 1
        let array = tape.open(.array)
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            tape.close(array, count: 0)
            return
        }
        var count = 0
        while true {
            skipWhitespace()
            try tapeValue(depth: depth, into: &tape)
            count += 1
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                tape.close(array, count: count)
                return
            case let byte: throw fail(.unexpectedByte(byte))
            }
        }
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
