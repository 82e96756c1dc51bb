import Testing
import WebAuthn

/// The CBOR reader on the subset it accepts and on every shape it must refuse.
@Suite("CTAP2 CBOR reader")
struct CBORReaderTests {
    let reader = CBORReader()

    @Test("reads integers, strings, arrays, maps and booleans")
    func accepted() throws {
        #expect(try reader.read([0x00]) == .integer(0))
        #expect(try reader.read([0x17]) == .integer(23))
        #expect(try reader.read([0x18, 0x18]) == .integer(24))
        #expect(try reader.read([0x19, 0x01, 0x00]) == .integer(256))
        #expect(try reader.read([0x20]) == .integer(-1))
        #expect(try reader.read([0x38, 0x63]) == .integer(-100))
        #expect(try reader.read([0x1b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) == .integer(Int64.max))
        #expect(try reader.read([0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) == .integer(Int64.min))
        #expect(try reader.read([0x43, 1, 2, 3]) == .bytes([1, 2, 3]))
        #expect(try reader.read([0x62, 0xc3, 0xa9]) == .text("é"))
        #expect(try reader.read([0x82, 0xf5, 0xf4]) == .array([.boolean(true), .boolean(false)]))
        let map = try reader.read(TestCBOR.map([(TestCBOR.text("a"), TestCBOR.int(1)), (TestCBOR.int(-2), TestCBOR.bytes([9]))]))
        #expect(map[.text("a")] == .integer(1))
        #expect(map[.integer(-2)] == .bytes([9]))
        let (value, end) = try reader.readPrefix([0x01, 0x02])
        #expect(value == .integer(1) && end == 1)
    }

    static let refused: [(String, [UInt8], CBORError)] = [
        ("empty", [], .truncated(offset: 0)),
        ("truncated integer", [0x19, 0x01], .truncated(offset: 2)),
        ("truncated byte string", [0x45, 1, 2], .truncated(offset: 1)),
        ("truncated array", [0x82, 0x01], .truncated(offset: 1)),
        ("array longer than the input", [0x9b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], .truncated(offset: 9)),
        ("map longer than the input", [0xba, 0xff, 0xff, 0xff, 0xff], .truncated(offset: 5)),
        ("byte string longer than the input", [0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], .truncated(offset: 9)),
        ("indefinite array", [0x9f, 0x01, 0xff], .indefiniteLength(offset: 0)),
        ("indefinite map", [0xbf, 0xff], .indefiniteLength(offset: 0)),
        ("indefinite byte string", [0x5f, 0x41, 0x00, 0xff], .indefiniteLength(offset: 0)),
        ("break alone", [0xff], .indefiniteLength(offset: 0)),
        ("tag", [0xc0, 0x60], .unsupported(what: "tag", offset: 0)),
        ("half float", [0xf9, 0x3c, 0x00], .unsupported(what: "floating-point number", offset: 0)),
        ("double", [0xfb, 0, 0, 0, 0, 0, 0, 0, 0], .unsupported(what: "floating-point number", offset: 0)),
        ("null", [0xf6], .unsupported(what: "null", offset: 0)),
        ("undefined", [0xf7], .unsupported(what: "undefined", offset: 0)),
        ("simple value", [0xe0], .unsupported(what: "simple value", offset: 0)),
        ("reserved additional information", [0x1c], .reservedAdditionalInformation(offset: 0)),
        ("non-shortest integer", [0x18, 0x05], .nonCanonicalEncoding(offset: 0)),
        ("non-shortest length", [0x59, 0x00, 0x01, 0xaa], .nonCanonicalEncoding(offset: 0)),
        ("unsigned above Int64", [0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0], .integerOutOfRange(offset: 0)),
        ("negative below Int64", [0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], .integerOutOfRange(offset: 0)),
        ("invalid UTF-8", [0x62, 0xc3, 0x28], .invalidUTF8(offset: 0)),
        ("duplicate map key", [0xa2, 0x01, 0x02, 0x01, 0x03], .duplicateMapKey(offset: 3)),
        ("trailing bytes", [0x01, 0x02], .trailingBytes(offset: 1)),
        ("nesting too deep", Array(repeating: 0x81, count: 9) + [0x01], .tooDeep(limit: 8)),
        ("too many items", [0x99, 0x02, 0x00] + Array(repeating: 0x01, count: 512), .tooManyItems(limit: 512)),
        ("too large", [0x5a, 0x00, 0x00, 0x40, 0x01] + Array(repeating: 0, count: 16_385), .tooLarge(byteCount: 16_390, limit: 16_384)),
    ]

    @Test("refuses every shape outside the subset, saying which", arguments: refused)
    func refusedShapes(name: String, bytes: [UInt8], expected: CBORError) {
        #expect(throws: expected, "\(name)") { try reader.read(bytes) }
    }

    @Test("never traps: 20,000 pseudo-random inputs and every truncation end in a value or an error")
    func neverTraps() {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var values = 0
        for _ in 0..<20_000 {
            let length = Int(next() % 40)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: next()) }
            if (try? reader.read(bytes)) != nil { values += 1 }
        }
        // A figure, not a bound: some random inputs are valid items.
        #expect(values >= 0)
        let valid = TestCBOR.map([
            (TestCBOR.text("fmt"), TestCBOR.text("packed")),
            (TestCBOR.text("attStmt"), TestCBOR.map([(TestCBOR.text("x5c"), TestCBOR.array([TestCBOR.bytes([1, 2, 3])]))])),
            (TestCBOR.text("authData"), TestCBOR.bytes(Array(repeating: 5, count: 300))),
        ])
        #expect(throws: Never.self) { try reader.read(valid) }
        for length in 0..<valid.count {
            #expect(throws: CBORError.self) { try reader.read(Array(valid.prefix(length))) }
        }
    }
}
