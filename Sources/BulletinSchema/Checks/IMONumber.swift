/// IMO ship identification numbers (SOLAS XI-1/3): six digits and a check digit, the last digit
/// of the sum of the first six weighted 7, 6, 5, 4, 3, 2.
public enum IMONumber {
    /// The check digit of the first six digits of `digits`, or `nil` unless it has at least six digits.
    public static func checkDigit(of digits: [Int]) -> Int? {
        guard digits.count >= 6 else { return nil }
        return zip(digits.prefix(6), [7, 6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 } % 10
    }

    static func findings(for text: String) -> [CheckFinding] {
        let number = text.hasPrefix("IMO ") ? String(text.dropFirst(4)) : text
        let digits = number.compactMap(\.wholeNumberValue)
        guard number.count == 7, digits.count == 7, number.allSatisfy(\.isASCII) else {
            return [CheckFinding(.imoFormat)]
        }
        guard let computed = checkDigit(of: digits), computed != digits[6] else { return [] }
        return [CheckFinding(.imoCheckDigit(found: digits[6], computed: computed))]
    }
}
