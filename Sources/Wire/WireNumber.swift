/// The one encoding of a number on the wire: 8 bytes, big-endian, one ZeroMQ frame
/// (docs/PROTOCOL.md §16). Replay positions, heartbeat sequences and audit sizes all use it.
public enum WireNumber {
    /// `value` as 8 big-endian bytes.
    public static func encode(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }

    /// The value of an 8-byte big-endian frame, or `nil` for any other length.
    public static func decode<Bytes: Collection<UInt8>>(_ frame: Bytes) -> UInt64? {
        guard frame.count == 8 else { return nil }
        return frame.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
