import Foundation
import Testing

@testable import Exchange

@Suite("Protocol values: state codes, bulletin ids, TLP, schema versions, times")
struct ValuesTests {
    @Test("state codes are two upper-case ASCII letters")
    func stateCodes() throws {
        #expect(try StateCode("MA").description == "MA")
        for bad in ["", "M", "ma", "MAR", "M1", "É1", "ÉS"] {
            #expect(throws: FormatError.self, "\(bad)") { try StateCode(bad) }
        }
        #expect(try StateCode("DZ") < StateCode("MA"))
        let json = try JSONEncoder().encode([try StateCode("TN")])
        #expect(String(decoding: json, as: UTF8.self) == #"["TN"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([StateCode].self, from: Data(#"["tn"]"#.utf8)) }
    }

    @Test("bulletin ids: ULID text (as in the bulletin JSON), UUID text, time-ordered generation")
    func bulletinIDs() throws {
        // The same 128 bits in both spellings (ULID computed independently with Python's int → base32).
        let uuid = "0193c4a8-7a00-7cc3-98c4-dc0c0c07398f"
        let ulid = "01JF2AGYG0FK1SHH6W1G60EECF"
        let id = try BulletinID(uuidString: uuid)
        #expect(id.uuidString == uuid)
        #expect(id.ulid == ulid)
        #expect(try BulletinID(ulid: ulid) == id)
        #expect(try BulletinID(bytes: [UInt8](repeating: 0, count: 16)).ulid == String(repeating: "0", count: 26))
        #expect(try BulletinID(bytes: [UInt8](repeating: 0xFF, count: 16)).ulid == "7" + String(repeating: "Z", count: 25))
        for bad in [ulid.lowercased(), "8" + ulid.dropFirst(), String(ulid.dropLast()), ulid + "0", "01JF2AGYG0FK1SHH6W1G60EECI", "01JF2AGYG0FK1SHH6W1G60EECU"] {
            #expect(throws: FormatError.self, "\(bad)") { try BulletinID(ulid: bad) }
        }
        for bad in [uuid.uppercased(), "0193c4a87a007cc398c4dc0c0c07398f", uuid + "0", "0193c4a8-7a00-7cc3-98c4_dc0c0c07398f"] {
            #expect(throws: FormatError.self, "\(bad)") { try BulletinID(uuidString: bad) }
        }
        // Any 128 bits: the text round-trips, sorts as the bytes do, and each character is the
        // 5 bits the definition gives (checked bit by bit, independently of the word arithmetic).
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var previous: BulletinID?
        for _ in 0..<500 {
            let random = try BulletinID(bytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let text = random.ulid
            #expect(try BulletinID(ulid: text) == random)
            let bits = [0, 0] + random.bytes.flatMap { byte in (0..<8).map { Int(byte >> (7 - $0)) & 1 } }
            let expected = (0..<26).map { character in alphabet[bits[(character * 5)..<(character * 5 + 5)].reduce(0) { $0 << 1 | $1 }] }
            #expect(Array(text) == expected)
            if let previous { #expect((previous < random) == (previous.ulid < text)) }
            previous = random
        }
        // The reference of the bulletin JSON, matching docs/SCHEMAS.md's pattern ^[A-Z]{2}-[0-7][0-9A-HJKMNP-TV-Z]{25}$.
        #expect(id.reference(origin: state("MA")) == "MA-" + ulid)
        let parsed = try BulletinID.parse(reference: "DZ-" + ulid)
        #expect(parsed.origin == state("DZ") && parsed.id == id)
        #expect(throws: FormatError.self) { try BulletinID.parse(reference: ulid) }
        #expect(throws: FormatError.self) { try BulletinID.parse(reference: "dz-" + ulid) }

        let time = Timestamp(millisecondsSinceEpoch: 1_740_000_000_000)
        let earlier = BulletinID.generate(at: time)
        let later = BulletinID.generate(at: time.adding(milliseconds: 1))
        #expect(earlier < later && earlier.ulid < later.ulid)
        #expect(earlier.timestamp == time)
        #expect(earlier.ulid.hasPrefix("01JMG19Y00"))
        #expect(earlier.uuidString.hasPrefix("01952014-f800-7"))
        #expect(earlier.bytes[8] & 0xC0 == 0x80)
        #expect(UUID(uuidString: earlier.uuidString) != nil)
        #expect(BulletinID.generate() != BulletinID.generate())
        let json = try JSONEncoder().encode([id])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(ulid)\"]")
        #expect(try JSONDecoder().decode([BulletinID].self, from: json) == [id])
    }

    @Test("TLP codes and labels")
    func tlp() throws {
        #expect(TLP.allCases.map(\.rawValue) == [0, 1, 2, 3, 4])
        #expect(TLP.allCases.map(\.label) == ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"])
        #expect(try TLP(label: "TLP:AMBER+STRICT") == .amberStrict)
        #expect(throws: FormatError.self) { try TLP(label: "amber") }
        #expect(TLP.red.description == "TLP:RED")
    }

    @Test("schema versions are major.minor")
    func schemaVersions() throws {
        #expect(try BodySchemaVersion("1.0") == BodySchemaVersion(major: 1, minor: 0))
        #expect(try BodySchemaVersion("2.255").minor == 255)
        for bad in ["1", "1.", ".1", "1.0.0", "01.0", "256.0", "a.b", "+1.0", "1.-0"] {
            #expect(throws: FormatError.self, "\(bad)") { try BodySchemaVersion(bad) }
        }
    }

    @Test("timestamps are Unix milliseconds and print in ISO 8601")
    func timestamps() {
        let time = Timestamp(millisecondsSinceEpoch: 1_740_830_400_123)
        #expect(time.description == "2025-03-01T12:00:00.123Z")
        #expect(Timestamp(time.date) == time)
        #expect(Timestamp(millisecondsSinceEpoch: .max).adding(milliseconds: 1).millisecondsSinceEpoch == .max)
    }

    @Test("rejection reason codes are stable and named")
    func reasons() {
        #expect(RejectionReason.known.map(\.rawValue) == [100, 101, 102, 103, 200, 201, 202, 203, 300, 301, 302, 303, 400, 410, 500, 600, 601, 602, 603, 604, 605])
        #expect(Set(RejectionReason.known.map(\.name)).count == RejectionReason.known.count)
        #expect(RejectionReason(rawValue: 0) == nil)
        #expect(RejectionReason(rawValue: 517)?.name == "code 517")
        #expect(RejectionReason.badSignature.description == "203 badSignature")
    }
}
