/// Check digits of the machine-readable zone of travel documents, after ICAO Doc 9303 parts 3–7:
/// each digit is the sum of the character values (`0–9` as is, `A–Z` as 10–35, `<` as 0)
/// weighted 7, 3, 1 repeating, modulo 10.
public enum MachineReadableZone {
    /// The check digit of `field` (characters `0–9`, `A–Z`, `<`); `nil` for any other character.
    public static func checkDigit<S: StringProtocol>(of field: S) -> Int? {
        let weights = [7, 3, 1]
        var sum = 0
        for (offset, byte) in field.utf8.enumerated() {
            guard let value = characterValue(byte) else { return nil }
            sum += value * weights[offset % 3]
        }
        return sum % 10
    }

    /// The problems of an MRZ given as its lines; empty when every check digit holds.
    public static func problems(lines: [String]) -> [(line: Int, problem: CheckProblem)] {
        findings(lines: lines).map { ($0.element ?? 0, $0.problem) }
    }

    static func characterValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(byte - UInt8(ascii: "A")) + 10
        case UInt8(ascii: "<"): return 0
        default: return nil
        }
    }

    static func findings(for value: JSONValue) -> [CheckFinding] {
        guard let elements = value.arrayValue else { return [CheckFinding(.notApplicable(expected: .array))] }
        var lines: [String] = []
        for element in elements {
            guard let line = element.stringValue else { return [CheckFinding(.notApplicable(expected: .array))] }
            lines.append(line)
        }
        return findings(lines: lines)
    }

    static func findings(lines: [String]) -> [CheckFinding] {
        let lengths = lines.map { $0.utf8.count }
        let shape: Shape
        switch lengths {
        case [30, 30, 30]: shape = .td1
        case [36, 36]: shape = .td2
        case [44, 44]: shape = .td3
        default:
            return [CheckFinding(.mrzShape(lineLengths: lines.map { $0.unicodeScalars.count }))]
        }
        let rows = lines.map { Array($0.utf8) }
        for (index, row) in rows.enumerated() {
            if let bad = row.firstIndex(where: { characterValue($0) == nil }) {
                return [CheckFinding(.mrzCharacter(position: bad + 1), element: index)]
            }
        }
        let isVisa = rows[0].first == UInt8(ascii: "V")
        switch shape {
        case .td1: return td1(rows)
        case .td2, .td3: return twoLine(rows, width: shape == .td3 ? 44 : 36, isVisa: isVisa)
        }
    }

    private enum Shape { case td1, td2, td3 }

    /// What the zone says about the document, for ``XCheck/mrzAgreement``: the issuing state
    /// (alpha-3, fillers removed, Germany's `D` as `DEU`) and the document number (fillers removed;
    /// a TD1 number longer than nine characters is read from its continuation in the optional data,
    /// Doc 9303 part 5, 4.2.4). `nil` when the lines have no known shape or a character outside
    /// `A–Z 0–9 <`; the `mrz` check reports that.
    static func documentFacts(lines: [String]) -> (issuingState: String, documentNumber: String)? {
        let rows = lines.map { Array($0.utf8) }
        let lengths = rows.map(\.count)
        guard lengths == [30, 30, 30] || lengths == [36, 36] || lengths == [44, 44],
            rows.allSatisfy({ $0.allSatisfy { characterValue($0) != nil } })
        else { return nil }
        let filler = UInt8(ascii: "<")
        func text(_ bytes: ArraySlice<UInt8>) -> String {
            String(decoding: bytes.filter { $0 != filler }, as: UTF8.self)
        }
        var state = text(rows[0][2..<5])
        if state == "D" { state = "DEU" }
        let number: String
        if rows.count == 3 {
            let line1 = rows[0]
            if line1[14] == filler, line1[15] != filler {
                let end = line1[15...].firstIndex(of: filler) ?? 30
                // The continuation ends with its check digit, which is not part of the number.
                number = text(line1[5..<14]) + text(line1[15..<max(15, end - 1)])
            } else {
                number = text(line1[5..<14])
            }
        } else {
            number = text(rows[1][0..<9])
        }
        return (state, number)
    }

    /// The disagreements between the zone (member `mrz`) of a document object and its members
    /// `issuingState` and `documentNumber`, each reported at the member that disagrees.
    static func agreementFindings(for document: JSONValue) -> [CheckFinding] {
        guard let lines = document["mrz"]?.arrayValue?.compactMap(\.stringValue),
            lines.count == document["mrz"]?.arrayValue?.count,
            let facts = documentFacts(lines: lines)
        else { return [] }
        var findings: [CheckFinding] = []
        if let stated = document["issuingState"]?.stringValue, stated != facts.issuingState {
            findings.append(CheckFinding(.mrzDisagrees(field: "issuingState", zone: facts.issuingState, stated: stated), member: "issuingState"))
        }
        if let stated = document["documentNumber"]?.stringValue, stated != facts.documentNumber {
            findings.append(CheckFinding(.mrzDisagrees(field: "documentNumber", zone: facts.documentNumber, stated: stated), member: "documentNumber"))
        }
        return findings
    }

    private struct Field {
        let line: Int
        let range: Range<Int>
        let check: Int
        let name: MRZField
    }

    private static func verify(_ rows: [[UInt8]], _ fields: [Field]) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        for field in fields {
            let row = rows[field.line]
            let data = row[field.range]
            let digit = row[field.check]
            guard let computed = checkDigit(of: String(decoding: data, as: UTF8.self)) else { continue }
            // Doc 9303: an optional field left entirely empty may carry a filler as its check digit.
            if digit == UInt8(ascii: "<"), data.allSatisfy({ $0 == UInt8(ascii: "<") }) { continue }
            if Int(digit) - Int(UInt8(ascii: "0")) != computed {
                findings.append(
                    CheckFinding(
                        .mrzCheckDigit(
                            field: field.name, position: field.check + 1,
                            found: String(decoding: [digit], as: UTF8.self), computed: computed),
                        element: field.line))
            }
        }
        return findings
    }

    private static func composite(_ rows: [[UInt8]], parts: [(line: Int, range: Range<Int>)], check: (line: Int, index: Int)) -> [CheckFinding] {
        var data: [UInt8] = []
        for part in parts { data += rows[part.line][part.range] }
        guard let computed = checkDigit(of: String(decoding: data, as: UTF8.self)) else { return [] }
        let digit = rows[check.line][check.index]
        guard Int(digit) - Int(UInt8(ascii: "0")) != computed else { return [] }
        return [
            CheckFinding(
                .mrzCheckDigit(
                    field: .composite, position: check.index + 1,
                    found: String(decoding: [digit], as: UTF8.self), computed: computed),
                element: check.line)
        ]
    }

    /// TD3 (passports, 2×44) and TD2 (2×36); visas (first character `V`) have no composite digit
    /// and no checked personal number.
    private static func twoLine(_ rows: [[UInt8]], width: Int, isVisa: Bool) -> [CheckFinding] {
        var fields = [
            Field(line: 1, range: 0..<9, check: 9, name: .documentNumber),
            Field(line: 1, range: 13..<19, check: 19, name: .birthDate),
            Field(line: 1, range: 21..<27, check: 27, name: .expiryDate),
        ]
        if isVisa { return verify(rows, fields) }
        if width == 44 {
            fields.append(Field(line: 1, range: 28..<42, check: 42, name: .personalNumber))
        }
        let last = width - 1
        return verify(rows, fields)
            + composite(rows, parts: [(1, 0..<10), (1, 13..<20), (1, 21..<last)], check: (1, last))
    }

    /// TD1 (identity cards, 3×30). A document number longer than nine characters continues in the
    /// optional data of line 1, with `<` in the check-digit position (Doc 9303 part 5, 4.2.4).
    private static func td1(_ rows: [[UInt8]]) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        let line1 = rows[0]
        if line1[14] == UInt8(ascii: "<"), line1[15] != UInt8(ascii: "<") {
            let end = line1[15...].firstIndex(of: UInt8(ascii: "<")) ?? 30
            let number = Array(line1[5..<14]) + Array(line1[15..<(end - 1)])
            let digit = line1[end - 1]
            if let computed = checkDigit(of: String(decoding: number, as: UTF8.self)),
                Int(digit) - Int(UInt8(ascii: "0")) != computed
            {
                findings.append(
                    CheckFinding(
                        .mrzCheckDigit(
                            field: .documentNumber, position: end,
                            found: String(decoding: [digit], as: UTF8.self), computed: computed),
                        element: 0))
            }
        } else {
            findings += verify(rows, [Field(line: 0, range: 5..<14, check: 14, name: .documentNumber)])
        }
        findings += verify(rows, [
            Field(line: 1, range: 0..<6, check: 6, name: .birthDate),
            Field(line: 1, range: 8..<14, check: 14, name: .expiryDate),
        ])
        findings += composite(rows, parts: [(0, 5..<30), (1, 0..<7), (1, 8..<15), (1, 18..<29)], check: (1, 29))
        return findings
    }
}
