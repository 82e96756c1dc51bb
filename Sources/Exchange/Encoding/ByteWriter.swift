/// Appends protocol values in their canonical binary encoding: integers big-endian, strings as
/// UTF-8 behind a `u16` length, lists behind a `u16` count (docs/PROTOCOL.md §2).
///
/// The writer never checks lengths: every value it writes was validated when it was constructed
/// (a node name is at most 64 bytes, a roster has at most 65 535 members), so the encoding of a
/// value that exists is always well-formed.
package struct ByteWriter {
    /// The bytes written so far.
    package private(set) var bytes: [UInt8]

    /// An empty writer with room for `capacity` bytes, so that known sizes allocate once.
    package init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package mutating func write(_ value: UInt8) {
        bytes.append(value)
    }

    package mutating func write(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    package mutating func write(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    package mutating func write(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    /// Raw bytes with no length prefix (fixed-size fields: keys, hashes, ids).
    package mutating func write<Bytes: Sequence>(raw: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// A string as a `u16` byte length followed by its UTF-8 bytes.
    package mutating func write(string: String) {
        let utf8 = Array(string.utf8)
        write(UInt16(truncatingIfNeeded: utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A `u16` count, for a list that the caller then writes element by element.
    package mutating func write(count: Int) {
        write(UInt16(truncatingIfNeeded: count))
    }
}
