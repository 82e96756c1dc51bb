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

    @Test("bulletin ids: canonical lower-case UUID strings, version 7 generation in time order")
    func bulletinIDs() throws {
        let text = "0193c4a8-7a00-7cc3-98c4-dc0c0c07398f"
        let id = try BulletinID(uuidString: text)
        #expect(id.uuidString == text)
        #expect(id.bytes.count == 16)
        for bad in [text.uppercased(), "0193c4a87a007cc398c4dc0c0c07398f", text + "0", "0193c4a8-7a00-7cc3-98c4_dc0c0c07398f", "g193c4a8-7a00-7cc3-98c4-dc0c0c07398f"] {
            #expect(throws: FormatError.self, "\(bad)") { try BulletinID(uuidString: bad) }
        }
        let earlier = BulletinID.generate(at: Timestamp(millisecondsSinceEpoch: 1_740_000_000_000))
        let later = BulletinID.generate(at: Timestamp(millisecondsSinceEpoch: 1_740_000_000_001))
        #expect(earlier < later)
        #expect(earlier.version == 7 && later.version == 7)
        #expect(earlier.bytes[8] & 0xC0 == 0x80)
        #expect(earlier.uuidString.hasPrefix("01952014-f800-7"))
        #expect(UUID(uuidString: earlier.uuidString) != nil)
        #expect(BulletinID.generate() != BulletinID.generate())
        let json = try JSONEncoder().encode([id])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(text)\"]")
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
        #expect(try SchemaVersion("1.0") == SchemaVersion(major: 1, minor: 0))
        #expect(try SchemaVersion("2.255").minor == 255)
        for bad in ["1", "1.", ".1", "1.0.0", "01.0", "256.0", "a.b", "+1.0", "1.-0"] {
            #expect(throws: FormatError.self, "\(bad)") { try SchemaVersion(bad) }
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
        #expect(RejectionReason.known.map(\.rawValue) == [100, 101, 102, 103, 200, 201, 202, 203, 300, 301, 302, 400])
        #expect(Set(RejectionReason.known.map(\.name)).count == RejectionReason.known.count)
        #expect(RejectionReason(rawValue: 0) == nil)
        #expect(RejectionReason(rawValue: 517)?.name == "code 517")
        #expect(RejectionReason.badSignature.description == "203 badSignature")
    }
}
