import Glibc

/// The fuzzer's bytes, read front to back as the values a target needs. Reading past the end
/// gives zeros and empty arrays, so every input is usable and a target never has to bail out.
public struct FuzzInput {
    public let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var isAtEnd: Bool { offset >= bytes.count }
    public var remainingCount: Int { max(bytes.count - offset, 0) }

    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func bool() -> Bool { byte() & 1 == 1 }

    /// Big-endian, like the wire.
    public mutating func uint64() -> UInt64 {
        (0..<8).reduce(UInt64(0)) { value, _ in value << 8 | UInt64(byte()) }
    }

    public mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    /// Up to `count` bytes (fewer at the end).
    public mutating func bytes(_ count: Int) -> [UInt8] {
        let end = min(offset + max(count, 0), bytes.count)
        defer { offset = end }
        return offset < end ? Array(bytes[offset..<end]) : []
    }

    /// A `u16`-length-prefixed chunk.
    public mutating func chunk() -> [UInt8] { bytes(Int(uint16())) }

    /// Everything left.
    public mutating func rest() -> [UInt8] { bytes(remainingCount) }
}

/// The entry point's arguments as an array (for the targets that take the bytes whole).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
}

/// A broken invariant: a message on stderr, then a trap, which libFuzzer records as a crash with
/// the input. Only for properties the docs promise (canonical encodings, equal readers).
public func fuzzRequire(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #file,
    line: UInt = #line
) {
    if !condition() {
        FileHandleStderr.write("fuzz invariant broken at \(file):\(line): \(message())\n")
        fatalError("fuzz invariant broken: \(message())", file: file, line: line)
    }
}

/// Whether the known, reported finding `id` is to be tolerated in this run (`FUZZ_ALLOW=id,id…`),
/// so a long run can go on past a finding that is reported but not fixed yet. `make test` never
/// sets it: there, every finding fails until it is fixed (docs/FUZZING.md, "Findings").
public func fuzzAllows(_ id: String) -> Bool {
    allowedFindings.contains(id)
}

private let allowedFindings: Set<String> = Set(
    (getenv("FUZZ_ALLOW").map { String(cString: $0) } ?? "").split(separator: ",").map(String.init))

enum FileHandleStderr {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            _ = Glibc.write(2, buffer.baseAddress, buffer.count)
        }
    }
}
