/// Vehicle identification numbers after ISO 3779, with the position-9 check digit of
/// 49 CFR 565 (North America) which China's GB 16735 also requires.
public enum VehicleIdentificationNumber {
    /// The check digit (`0–9` or `X`) of a 17-character VIN, or `nil` if a character is not allowed.
    public static func checkDigit(of vin: String) -> Character? {
        let bytes = Array(vin.utf8)
        guard bytes.count == 17 else { return nil }
        let weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
        var sum = 0
        for (index, byte) in bytes.enumerated() {
            guard let value = transliteration(byte) else { return nil }
            sum += value * weights[index]
        }
        let remainder = sum % 11
        return remainder == 10 ? "X" : Character(String(remainder))
    }

    /// Whether the world manufacturer identifier (first character) belongs to a region whose VINs
    /// must carry a check digit: North America (`1`–`5`) and China (`L`).
    public static func requiresCheckDigit(_ vin: String) -> Bool {
        guard let first = vin.first else { return false }
        return ("1"..."5").contains(first) || first == "L"
    }

    static func transliteration(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "I"), UInt8(ascii: "O"), UInt8(ascii: "Q"): return nil
        case UInt8(ascii: "A")...UInt8(ascii: "H"): return Int(byte - UInt8(ascii: "A")) + 1
        case UInt8(ascii: "J")...UInt8(ascii: "R"): return Int(byte - UInt8(ascii: "J")) + 1
        case UInt8(ascii: "S")...UInt8(ascii: "Z"): return Int(byte - UInt8(ascii: "S")) + 2
        default: return nil
        }
    }

    static func findings(for vin: String) -> [CheckFinding] {
        let scalars = Array(vin.unicodeScalars)
        guard scalars.count == 17 else { return [CheckFinding(.vinLength(found: scalars.count))] }
        for (index, scalar) in scalars.enumerated() {
            guard scalar.isASCII, transliteration(UInt8(scalar.value)) != nil else {
                return [CheckFinding(.vinCharacter(position: index + 1, found: String(scalar)))]
            }
        }
        guard requiresCheckDigit(vin), let computed = checkDigit(of: vin) else { return [] }
        let found = Character(scalars[8])
        guard found != computed else { return [] }
        return [CheckFinding(.vinCheckDigit(found: String(found), computed: String(computed)))]
    }
}
