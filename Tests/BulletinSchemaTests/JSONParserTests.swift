import BulletinSchema
import Foundation
import Testing

@Suite("strict JSON parser")
struct JSONParserTests {
    let parser = JSONParser()

    @Test("integers, decimals and booleans stay distinct")
    func numbers() throws {
        #expect(try parser.parse(Array("12".utf8)) == .integer(12))
        #expect(try parser.parse(Array("-0".utf8)) == .integer(0))
        #expect(try parser.parse(Array("12.5".utf8)) == .decimal(12.5))
        #expect(try parser.parse(Array("1e3".utf8)).schemaType == .integer)
        #expect(try parser.parse(Array("1.5e1".utf8)) == .decimal(15))
        #expect(try parser.parse(Array("true".utf8)) == .bool(true))
        #expect(try parser.parse(Array("true".utf8)) != .integer(1))
        #expect(try parser.parse(Array("99999999999999999999".utf8)).schemaType == .integer)
    }

    @Test("strings: escapes, surrogate pairs, UTF-8")
    func strings() throws {
        #expect(try parser.parse(Array(#""a\"b\\c\/\n\u00e9\ud83d\ude00""#.utf8)) == .string("a\"b\\c/\né😀"))
        #expect(try parser.parse(Array("\"رأس جدير\"".utf8)) == .string("رأس جدير"))
    }

    @Test("any string JSONEncoder writes (escapes, Arabic, emoji, control characters) reads back the same")
    func stringsRoundTrip() throws {
        let pieces = ["a", "Oujda ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "é", "ـ", "رأس جدير", "😀", "{\"x\":1}", " "]
        var state: UInt64 = 0x5EED
        for _ in 0..<500 {
            var text = ""
            for _ in 0..<Int(state % 40) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let encoded = try JSONEncoder().encode([text])
            #expect(try parser.parse(Array(encoded)) == .array([.string(text)]), "\(text)")
        }
    }

    @Test("invalid UTF-8 is refused in plain and in escaped strings")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0x61, 0xFF, 0x62, 0x22], [0x22, 0x5C, 0x6E, 0xC3, 0x22], [0x22, 0xE2, 0x82, 0x22]] {
            #expect(throws: JSONParseError.self) { try parser.parse(bytes) }
        }
    }

    @Test("malformed input is refused with an offset", arguments: [
        "", "01", "1.", "-", "+1", "[1,]", "{\"a\":1,}", "{'a':1}", "\"\\x\"", "\"\\ud800\"", "\"a\nb\"", "nul", "[1] 2", "NaN", "1e999",
    ])
    func malformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try parser.parse(Array(text.utf8)) }
    }

    @Test("a member name given twice is refused")
    func duplicateMember() {
        #expect(throws: JSONParseError(offset: 9, reason: .duplicateMember("a"))) {
            try parser.parse(Array(#"{"a": 1, "a": 2}"#.utf8))
        }
    }

    @Test("nesting is bounded")
    func depth() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError.self) { try parser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parser.parse(Array(fine.utf8))
    }

    @Test("JSON pointers escape ~ and /")
    func pointers() {
        let pointer = JSONPointer.root.appending("a/b").appending("c~d").appending(3)
        #expect(pointer.description == "/a~1b/c~0d/3")
        #expect(JSONPointer(pointer.description) == pointer)
    }
}
