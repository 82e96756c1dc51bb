import Foundation
import Names

/// The kinds of identifier a bulletin can name and that correlation and watch-lists match exactly.
public enum IdentifierKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A travel or identity document: number with its issuing state.
    case document
    /// A vehicle identification number (ISO 3779, 17 characters).
    case vin
    /// A vessel's IMO number (7 digits).
    case imo
    /// A vessel's MMSI (9 digits).
    case mmsi
    /// A registration plate with its country.
    case plate
    /// A phone number (digits, international form when the bulletin gives it).
    case phone
    /// A handset's IMEI (15 digits).
    case imei
    /// An aircraft's registration mark.
    case aircraft
}

/// One identifier a bulletin names, normalised so that two spellings of it compare equal
/// (`"IMO 9074729"` and `"9074729"`; `"ab 123-456"` and `"AB123456"`).
///
/// Normalisation rules (``normalizedKey(kind:value:country:)``; docs/SEARCH.md):
/// - **document**: the number's letters and digits, uppercased (Arabic-Indic digits → 0–9; spaces,
///   hyphens and other signs dropped), 1–32 of them; with the issuing state first when given:
///   `"MAR:AB123456"`. The state is written as the bulletin writes it: ISO 3166-1 alpha-3 in schema
///   1.1's `issuingState`. ``number`` is the part without the state, for matching a number whose
///   state is not known.
/// - **plate**: the same, letters of any script kept (an Egyptian plate `ن ص ع 4721` is `نصع4721`,
///   Arabic letters folded as ``SearchFolding`` folds them), 1–32 of them; with the country first
///   when given: `"EG:نصع4721"` (ISO 3166-1 alpha-2, as `registrationCountry`).
/// - **vin**: 17 letters and digits, uppercased.
/// - **imo**: 7 digits after an optional `IMO` prefix, whose last is the IMO check digit.
/// - **mmsi**: 9 digits.
/// - **phone**: 6 to 15 digits, spaces and signs dropped; a leading `+` (or `00`) is kept as `+`:
///   `"+212661234567"`.
/// - **imei**: 15 digits (the Luhn check digit is not enforced: reports copy what the handset shows).
/// - **aircraft**: the registration's letters and digits, uppercased, without its hyphen
///   (`"5A-DKL"` → `"5ADKL"`), 2–8 of them.
public struct ObservableIdentifier: Sendable, Hashable, Codable {
    /// What it identifies.
    public let kind: IdentifierKind
    /// The normalised value, with its issuing state or country first where the kind has one
    /// (`"MAR:AB123456"`); the value an index stores and compares.
    public let key: String
    /// The value as the bulletin wrote it (for a person reading why two bulletins are linked).
    public let written: String

    /// An identifier from already-normalised parts (see the normalising constructors).
    public init(kind: IdentifierKind, key: String, written: String) {
        self.kind = kind
        self.key = key
        self.written = written
    }

    /// An identifier normalised from what a bulletin writes, or nil when `value` is not one of
    /// `kind` (see the type's rules). `country` is the issuing state (document) or the
    /// registration country (plate); ignored for the other kinds, and left out of the key when it
    /// is not 2 or 3 Latin letters.
    public init?(kind: IdentifierKind, value: String, country: String? = nil) {
        guard let key = Self.normalizedKey(kind: kind, value: value, country: country) else { return nil }
        self.init(kind: kind, key: key, written: String(value.unicodeScalars.prefix(Self.maximumWrittenLength)))
    }

    /// The longest ``written`` kept, in scalars.
    public static let maximumWrittenLength = 64
    /// The most letters and digits of a document number or plate.
    public static let maximumNumberLength = 32

    /// The number without its state or country (`"AB123456"` for `"MAR:AB123456"`); the key for
    /// the other kinds.
    public var number: String {
        guard let colon = key.firstIndex(of: ":") else { return key }
        return String(key[key.index(after: colon)...])
    }

    /// The state or country of a document or plate key, when it has one.
    public var country: String? {
        guard let colon = key.firstIndex(of: ":") else { return nil }
        return String(key[..<colon])
    }

    /// The normalised key of `value` as an identifier of `kind` (see the type's rules), or nil
    /// when it is not one. The same function serves extraction, watch-list criteria and search
    /// filters, so that every side writes a key the same way.
    public static func normalizedKey(kind: IdentifierKind, value: String, country: String? = nil) -> String? {
        let bounded = String(value.unicodeScalars.prefix(256))
        switch kind {
        case .document:
            guard let number = alphanumerics(bounded, latinOnly: true), number.unicodeScalars.count <= maximumNumberLength else { return nil }
            return withCountry(number, country)
        case .plate:
            guard let number = alphanumerics(bounded, latinOnly: false), number.unicodeScalars.count <= maximumNumberLength else { return nil }
            return withCountry(number, country)
        case .vin:
            guard let vin = alphanumerics(bounded, latinOnly: true), vin.utf8.count == 17 else { return nil }
            return vin
        case .imo:
            var text = bounded.uppercased().trimmingSpaces
            if text.hasPrefix("IMO") { text = String(text.dropFirst(3)) }
            guard let digits = digitsOnly(text, allowingSeparators: true), digits.count == 7, imoCheckDigitIsValid(digits) else { return nil }
            return digits
        case .mmsi:
            guard let digits = digitsOnly(bounded, allowingSeparators: true), digits.count == 9 else { return nil }
            return digits
        case .imei:
            guard let digits = digitsOnly(bounded, allowingSeparators: true), digits.count == 15 else { return nil }
            return digits
        case .phone:
            return phoneKey(bounded)
        case .aircraft:
            guard let mark = alphanumerics(bounded, latinOnly: true), (2...8).contains(mark.utf8.count) else { return nil }
            return mark
        }
    }

    /// Whether the last of 7 digits is the IMO check digit: the first six weighted 7 to 2, summed,
    /// modulo 10.
    public static func imoCheckDigitIsValid(_ digits: String) -> Bool {
        let values = digits.unicodeScalars.compactMap { $0.properties.numericType == .decimal ? Int($0.value) - 0x30 : nil }
        guard values.count == 7, values.allSatisfy({ (0...9).contains($0) }) else { return false }
        var sum = 0
        for index in 0..<6 { sum += values[index] * (7 - index) }
        return sum % 10 == values[6]
    }

    /// The phone key of `text`: digits (Arabic-Indic folded) with a leading `+` kept (`00` read as
    /// `+`), 6–15 digits; nil when other letters are present or the count is outside.
    static func phoneKey(_ text: String) -> String? {
        let trimmed = text.trimmingSpaces
        var international = trimmed.hasPrefix("+") || trimmed.hasPrefix("\u{FF0B}")
        guard var digits = digitsOnly(international ? String(trimmed.unicodeScalars.dropFirst()) : trimmed, allowingSeparators: true)
        else { return nil }
        if !international, digits.hasPrefix("00"), digits.count > 8 {
            digits.removeFirst(2)
            international = true
        }
        guard (6...15).contains(digits.count) else { return nil }
        return international ? "+" + digits : digits
    }

    /// Letters and digits of `text` folded (Latin uppercased, Arabic folded for the index, digits
    /// to 0–9); nil when there are none, or when `latinOnly` and a letter of another script is
    /// present. Spaces, hyphens, dots, slashes and other signs are dropped.
    static func alphanumerics(_ text: String, latinOnly: Bool) -> String? {
        var result = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format: continue
            default: break
            }
            if let folded = NameText.indexFolded(scalar) {
                for letter in folded {
                    if letter.isASCII {
                        result.append(contentsOf: String(letter).uppercased().unicodeScalars)
                    } else if latinOnly {
                        return nil
                    } else {
                        result.append(letter)
                    }
                }
            } else if scalar.properties.isAlphabetic {
                if latinOnly { return nil }
                result.append(contentsOf: String(scalar).uppercased().unicodeScalars)
            }
        }
        return result.isEmpty ? nil : String(result)
    }

    /// The decimal digits of `text` (Arabic-Indic folded); nil when it holds a letter, or a sign
    /// other than space, hyphen, dot, slash and parentheses when `allowingSeparators`.
    static func digitsOnly(_ text: String, allowingSeparators: Bool) -> String? {
        var digits = ""
        for scalar in text.unicodeScalars {
            if let folded = NameText.indexFolded(scalar), folded.count == 1, let only = folded.first,
                only.value >= 0x30, only.value <= 0x39
            {
                digits.unicodeScalars.append(only)
            } else if allowingSeparators, " -./()\u{00A0}".unicodeScalars.contains(scalar) {
                continue
            } else {
                return nil
            }
        }
        return digits.isEmpty ? nil : digits
    }

    /// `number` with `country` first when `country` is 2 or 3 Latin letters.
    static func withCountry(_ number: String, _ country: String?) -> String {
        guard let code = countryCode(country) else { return number }
        return code + ":" + number
    }

    /// `text` as an uppercase country code when it is 2 or 3 ASCII letters (spaces trimmed).
    static func countryCode(_ text: String?) -> String? {
        guard let text else { return nil }
        let code = text.trimmingSpaces.uppercased()
        guard (2...3).contains(code.utf8.count), code.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return nil }
        return code
    }
}

extension String {
    /// Without leading and trailing white space (no Foundation needed).
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
