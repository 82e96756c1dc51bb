import BulletinSchema
import Testing

/// A filler `<` in a check digit's place is accepted only for an optional field left empty (issue
/// 22, bug 6: `<` accepted as the check digit of any field).
@Suite("MRZ: a filler as check digit")
struct MRZFillerDigitTests {
    /// Catches issue 22 bug 6: `MachineReadableZone.verify` skipping any field whose check digit is
    /// `<`, empty or not. A visa has no composite digit that would report the field anyway, so the
    /// document number's own finding is the only one; on a passport it must be that exact finding too.
    @Test("a '<' check digit of a filled document number is refused and named, on a visa and a passport")
    func fillerDigitOnFilledField() throws {
        let visa = CheckDigitTests.replacing(CheckDigitTests.visa, line: 1, position: 10, with: "<")
        let visaProblems = MachineReadableZone.problems(lines: visa)
        #expect(visaProblems.count == 1)
        let only = try #require(visaProblems.first)
        #expect(only.line == 1)
        #expect(only.problem == .mrzCheckDigit(field: .documentNumber, position: 10, found: "<", computed: 4))

        let passport = CheckDigitTests.replacing(CheckDigitTests.td3, line: 1, position: 10, with: "<")
        let passportProblems = MachineReadableZone.problems(lines: passport).map(\.problem)
        #expect(passportProblems.first == .mrzCheckDigit(field: .documentNumber, position: 10, found: "<", computed: 6))

        // Dates are never optional: a filler digit on a filled date is refused too.
        let birth = CheckDigitTests.replacing(CheckDigitTests.visa, line: 1, position: 20, with: "<")
        #expect(MachineReadableZone.problems(lines: birth).map(\.problem) == [.mrzCheckDigit(field: .birthDate, position: 20, found: "<", computed: 8)])
    }

    /// The other side of bug 6: an optional field left entirely empty may carry `<` as its check
    /// digit (Doc 9303), so a fix must not refuse the passport whose personal number is empty.
    @Test("an empty optional personal number with a '<' check digit passes")
    func fillerDigitOnEmptyField() throws {
        var line2 = Array(CheckDigitTests.td3[1])
        for index in 28..<43 { line2[index] = "<" }  // personal number (29–42) and its check digit (43) empty
        let data = String(line2[0..<10]) + String(line2[13..<20]) + String(line2[21..<43])
        let composite = try #require(MachineReadableZone.checkDigit(of: data))
        line2[43] = Character(String(composite))
        let lines = [CheckDigitTests.td3[0], String(line2)]
        #expect(MachineReadableZone.problems(lines: lines).isEmpty, "\(MachineReadableZone.problems(lines: lines))")
    }
}
