/// Reads protocol values from untrusted bytes, checking every bound: a short or malformed input
/// is a ``FormatError``, never an index out of range.
package struct ByteReader {
    private let bytes: [UInt8]
    /// Where the next read starts.
    package private(set) var offset: Int

    /// A reader at the start of `bytes`.
    package init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes not read yet.
    package var remaining: Int { bytes.count - offset }

    /// Takes the next `count` bytes as a slice of the input (no copy).
    package mutating func read(count: Int, field: String) throws(FormatError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw FormatError.truncated(field: field, needed: count, remaining: remaining)
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// Takes the next `count` bytes as a new array.
    package mutating func readArray(count: Int, field: String) throws(FormatError) -> [UInt8] {
        Array(try read(count: count, field: field))
    }

    package mutating func readUInt8(field: String) throws(FormatError) -> UInt8 {
        guard remaining >= 1 else { throw FormatError.truncated(field: field, needed: 1, remaining: remaining) }
        defer { offset += 1 }
        return bytes[offset]
    }

    package mutating func readUInt16(field: String) throws(FormatError) -> UInt16 {
        UInt16(truncatingIfNeeded: try readBigEndian(byteCount: 2, field: field))
    }

    package mutating func readUInt32(field: String) throws(FormatError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readBigEndian(byteCount: 4, field: field))
    }

    package mutating func readUInt64(field: String) throws(FormatError) -> UInt64 {
        try readBigEndian(byteCount: 8, field: field)
    }

    /// A `u16`-length-prefixed UTF-8 string; invalid UTF-8 is refused, not repaired.
    package mutating func readString(field: String) throws(FormatError) -> String {
        let length = Int(try readUInt16(field: "\(field) length"))
        let utf8 = try read(count: length, field: field)
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw FormatError.invalidField(field: field, reason: "not valid UTF-8")
        }
        return text
    }

    /// Reads a 4-byte tag and a 1-byte format version and checks them against a `what`'s.
    package mutating func readTag(_ tag: [UInt8], version: UInt8, what: String) throws(FormatError) {
        let found = try read(count: tag.count, field: "\(what) tag")
        guard found.elementsEqual(tag) else { throw FormatError.wrongTag(what: what) }
        let foundVersion = try readUInt8(field: "\(what) format version")
        guard foundVersion == version else {
            throw FormatError.unsupportedFormatVersion(what: what, version: foundVersion)
        }
    }

    /// Reads a 4-byte tag and a 1-byte format version that must be one of `versions`; returns it.
    package mutating func readTag(_ tag: [UInt8], versions: ClosedRange<UInt8>, what: String) throws(FormatError) -> UInt8 {
        let found = try read(count: tag.count, field: "\(what) tag")
        guard found.elementsEqual(tag) else { throw FormatError.wrongTag(what: what) }
        let foundVersion = try readUInt8(field: "\(what) format version")
        guard versions.contains(foundVersion) else {
            throw FormatError.unsupportedFormatVersion(what: what, version: foundVersion)
        }
        return foundVersion
    }

    /// Throws unless every byte was read: a canonical value has exactly one encoding, with nothing after it.
    package func expectEnd(of what: String) throws(FormatError) {
        guard remaining == 0 else { throw FormatError.trailingBytes(what: what, count: remaining) }
    }

    private mutating func readBigEndian(byteCount: Int, field: String) throws(FormatError) -> UInt64 {
        let slice = try read(count: byteCount, field: field)
        return slice.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
    }
}
