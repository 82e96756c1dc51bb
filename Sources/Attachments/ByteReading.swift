/// Bounded reads of a file's bytes: every read names an offset and gives nil when the value does
/// not fit in the file, so a length or offset from the file never reaches an index unchecked.
extension Array where Element == UInt8 {
    /// Whether `pattern` is at `offset`, wholly inside the array.
    func matches(_ pattern: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, pattern.count <= count - offset else { return false }
        for (index, byte) in pattern.enumerated() where self[offset + index] != byte { return false }
        return true
    }

    /// The byte at `offset`, or nil outside the array.
    func byte(at offset: Int) -> UInt8? {
        offset >= 0 && offset < count ? self[offset] : nil
    }

    /// A big-endian unsigned 16-bit value at `offset`.
    func uint16BigEndian(at offset: Int) -> Int? {
        guard offset >= 0, count - offset >= 2 else { return nil }
        return Int(self[offset]) << 8 | Int(self[offset + 1])
    }

    /// A little-endian unsigned 16-bit value at `offset`.
    func uint16LittleEndian(at offset: Int) -> Int? {
        guard offset >= 0, count - offset >= 2 else { return nil }
        return Int(self[offset + 1]) << 8 | Int(self[offset])
    }

    /// A little-endian unsigned 24-bit value at `offset`.
    func uint24LittleEndian(at offset: Int) -> Int? {
        guard offset >= 0, count - offset >= 3 else { return nil }
        return Int(self[offset + 2]) << 16 | Int(self[offset + 1]) << 8 | Int(self[offset])
    }

    /// A big-endian unsigned 32-bit value at `offset`.
    func uint32BigEndian(at offset: Int) -> Int? {
        guard offset >= 0, count - offset >= 4 else { return nil }
        return (offset..<offset + 4).reduce(0) { $0 << 8 | Int(self[$1]) }
    }

    /// A little-endian unsigned 32-bit value at `offset`.
    func uint32LittleEndian(at offset: Int) -> Int? {
        guard offset >= 0, count - offset >= 4 else { return nil }
        return (offset..<offset + 4).reversed().reduce(0) { $0 << 8 | Int(self[$1]) }
    }

    /// Whether `length` bytes from `offset` lie inside the array (without computing a sum that could overflow).
    func hasBytes(_ length: Int, from offset: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= count && length <= count - offset
    }
}
