/// CRC-32 as PNG (and zlib, gzip, Ethernet) computes it: the IEEE polynomial, reflected
/// (0xEDB88320), initial value and final XOR 0xFFFFFFFF; one table lookup a byte.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { (index: UInt32) -> UInt32 in
        var value = index
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    /// The CRC-32 of `bytes[range]` (the range must lie inside `bytes`).
    static func checksum(_ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for index in range {
            crc = table[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
