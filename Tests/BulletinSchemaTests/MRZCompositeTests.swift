import BulletinSchema
import Testing

/// The TD1 composite check digit over every character it covers (found missing by `make mutate`).
@Suite("MRZ: the TD1 composite digit covers line 2's optional data to its end")
struct MRZCompositeTests {
    /// Catches mutation `xcheck-mrz-td1-composite-range`: the composite leaving out the last
    /// character of line 2's optional data (positions 19–29). The specimen has fillers there, so
    /// it cannot tell; an identity card with data in position 29 passes with the right digit and
    /// is refused, at the composite, with a wrong one.
    @Test("data in the last optional position of line 2 changes the composite digit")
    func lastOptionalCharacter() throws {
        var line2 = Array(CheckDigitTests.td1[1])
        line2[28] = "7"  // position 29 (a letter worth 10, 20 or 30 would not change the sum modulo 10)
        let line1 = CheckDigitTests.td1[0]
        let covered = String(Array(line1)[5..<30]) + String(line2[0..<7]) + String(line2[8..<15]) + String(line2[18..<29])
        let composite = try #require(MachineReadableZone.checkDigit(of: covered))
        line2[29] = Character(String(composite))
        let valid = [line1, String(line2), CheckDigitTests.td1[2]]
        #expect(MachineReadableZone.problems(lines: valid).isEmpty, "\(MachineReadableZone.problems(lines: valid))")

        let stale = CheckDigitTests.replacing(CheckDigitTests.td1, line: 1, position: 29, with: "7")  // old digit 6 kept
        let problems = MachineReadableZone.problems(lines: stale).map(\.problem)
        #expect(problems == [.mrzCheckDigit(field: .composite, position: 30, found: "6", computed: composite)])
    }
}
