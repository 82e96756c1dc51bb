import BulletinSchema
import Testing

@Suite("x-check: ICAO Doc 9303 MRZ, VIN, IMO")
struct CheckDigitTests {
    // ICAO Doc 9303 part 4, specimen passport of Anna Maria Eriksson, Utopia.
    static let td3 = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]
    // ICAO Doc 9303 part 5, specimen identity card (TD1).
    static let td1 = [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ]
    // ICAO Doc 9303 part 6, specimen TD2 document.
    static let td2 = [
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "D231458907UTO7408122F1204159<<<<<<<6",
    ]
    // ICAO Doc 9303 part 7, specimen MRV-A visa: no composite digit, personal data unchecked.
    static let visa = [
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
    ]

    static func replacing(_ lines: [String], line: Int, position: Int, with character: Character) -> [String] {
        var result = lines
        var characters = Array(result[line])
        characters[position - 1] = character
        result[line] = String(characters)
        return result
    }

    @Test("the check digit of the specimen's fields")
    func checkDigits() {
        #expect(MachineReadableZone.checkDigit(of: "L898902C3") == 6)
        #expect(MachineReadableZone.checkDigit(of: "740812") == 2)
        #expect(MachineReadableZone.checkDigit(of: "120415") == 9)
        #expect(MachineReadableZone.checkDigit(of: "ZE184226B<<<<<") == 1)
        #expect(MachineReadableZone.checkDigit(of: "D23145890") == 7)
        #expect(MachineReadableZone.checkDigit(of: "l898") == nil)
    }

    @Test("the ICAO specimens are accepted", arguments: [td3, td1, td2, visa])
    func specimensPass(_ lines: [String]) {
        #expect(MachineReadableZone.problems(lines: lines).isEmpty)
    }

    @Test(
        "a corrupted TD3 check digit is refused and named",
        arguments: [
            (10, MRZField.documentNumber), (20, .birthDate), (28, .expiryDate), (43, .personalNumber), (44, .composite),
        ])
    func corruptedTD3(position: Int, field: MRZField) throws {
        let lines = Self.replacing(Self.td3, line: 1, position: position, with: "3")
        let problems = MachineReadableZone.problems(lines: lines)
        let first = try #require(problems.first)
        #expect(first.line == 1)
        guard case let .mrzCheckDigit(found, at, digit, computed) = first.problem else {
            Issue.record("unexpected \(first.problem)")
            return
        }
        #expect(found == field && at == position && digit == "3" && computed != 3)
    }

    @Test("a corrupted TD1 document number is refused, and so is the composite digit it feeds")
    func corruptedTD1() {
        let lines = Self.replacing(Self.td1, line: 0, position: 15, with: "8")
        let fields = MachineReadableZone.problems(lines: lines).map(\.problem)
        #expect(fields.contains(.mrzCheckDigit(field: .documentNumber, position: 15, found: "8", computed: 7)))
        #expect(fields.contains { if case .mrzCheckDigit(.composite, _, _, _) = $0 { return true } else { return false } })
    }

    @Test("a transcription error in the data (not the digit) is caught")
    func corruptedData() {
        let lines = Self.replacing(Self.td3, line: 1, position: 14, with: "8")  // birth year 74 → 84
        let birth = MachineReadableZone.problems(lines: lines).first {
            if case .mrzCheckDigit(.birthDate, 20, "2", _) = $0.problem { return true } else { return false }
        }
        #expect(birth != nil)
    }

    @Test("wrong shapes and characters are refused")
    func wrongShape() {
        #expect(MachineReadableZone.problems(lines: [Self.td3[0]]).first?.problem == .mrzShape(lineLengths: [44]))
        #expect(MachineReadableZone.problems(lines: [Self.td3[0], String(Self.td3[1].dropLast())]).first?.problem == .mrzShape(lineLengths: [44, 43]))
        let lower = Self.replacing(Self.td3, line: 0, position: 6, with: "e")
        #expect(MachineReadableZone.problems(lines: lower).first?.problem == .mrzCharacter(position: 6))
    }

    @Test("a TD1 document number longer than nine characters continues in the optional data")
    func longDocumentNumber() {
        // Doc 9303 part 5 example: number D23145890734 — '<' in position 15, then 734 and its check digit 9.
        let line1 = "I<UTOD23145890<7349<<<<<<<<<<<"
        let line2 = "7408122F1204159UTO<<<<<<<<<<<"
        let composite = MachineReadableZone.checkDigit(of: String(line1.dropFirst(5)) + "7408122" + "1204159" + "<<<<<<<<<<<") ?? 0
        let lines = [line1, line2 + String(composite), "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
        #expect(MachineReadableZone.checkDigit(of: "D23145890734") == 9)
        #expect(MachineReadableZone.problems(lines: lines).isEmpty)
        let wrong = Self.replacing(lines, line: 0, position: 19, with: "5")
        #expect(MachineReadableZone.problems(lines: wrong).first?.problem == .mrzCheckDigit(field: .documentNumber, position: 19, found: "5", computed: 9))
    }

    @Test("VIN check digit (ISO 3779 / 49 CFR 565)")
    func vin() {
        #expect(VehicleIdentificationNumber.checkDigit(of: "1M8GDM9AXKP042788") == "X")
        #expect(VehicleIdentificationNumber.checkDigit(of: "2T3BFREV5HW584712") == "5")
        #expect(VehicleIdentificationNumber.requiresCheckDigit("1M8GDM9AXKP042788"))
        #expect(VehicleIdentificationNumber.requiresCheckDigit("LSVAU2180N2183294"))
        #expect(!VehicleIdentificationNumber.requiresCheckDigit("WVWZZZ1JZXW000001"))
        #expect(VehicleIdentificationNumber.checkDigit(of: "1M8GDM9AXKP04278") == nil)
        #expect(VehicleIdentificationNumber.checkDigit(of: "1M8GDM9AXKP0427O8") == nil)
    }

    @Test("IMO check digit")
    func imo() {
        #expect(IMONumber.checkDigit(of: [9, 0, 7, 4, 7, 2]) == 9)
        #expect(IMONumber.checkDigit(of: [8, 8, 1, 4, 2, 7]) == 5)
    }

    @Test("writing systems")
    func scripts() {
        #expect(WritingSystem.arabic.contains("ك"))
        #expect(!WritingSystem.arabic.contains("K"))
        #expect(WritingSystem.latin.contains("é"))
        #expect(!WritingSystem.latin.contains("٣"))
    }
}
