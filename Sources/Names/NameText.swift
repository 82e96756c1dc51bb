import Foundation

/// The writing system of one token of a name.
public enum NameScript: Sendable, Hashable {
    case arabic
    case latin
}

/// One word of a name after normalisation: its letters and its script.
public struct NameWord: Sendable, Hashable {
    /// The normalised letters (Latin: lowercase a–z; Arabic: base letters of U+0621–U+064A and the
    /// few letters of neighbouring orthographies, folded as ``NameText`` describes).
    public let letters: [Unicode.Scalar]
    public let script: NameScript

    /// The letters as a string.
    public var text: String { String(String.UnicodeScalarView(letters)) }
}

/// Normalisation of a person's name written in Arabic or Latin letters, before matching or indexing.
///
/// Arabic: harakat and other combining marks removed (after compatibility decomposition, which also
/// turns presentation forms into letters and splits hamza carriers), tatweel removed, alef forms
/// (أ إ آ ٱ) to ا, ؤ to و, ئ to ي, taa marbuta ة to ه, alef maqsura ى to ي, Persian and Maghrebi
/// letters to the nearest Arabic one (ک گ ڭ → ك, ی ے → ي, پ → ب, چ → ج, ژ → ز, ڤ → ف, ڨ → ق),
/// Arabic-Indic digits to 0–9. Latin: accents folded (ç → c, ß → ss, æ → ae, œ → oe, ø → o,
/// ł → l, đ/ð → d, þ → th, ı → i), lowercase, apostrophes and ʿayn/hamza signs removed inside a
/// word. Hyphens, other punctuation, symbols, emoji and letters of other scripts separate words;
/// a change of script inside a word separates it too. Input is bounded: see ``NameText/maximumScalars``.
public enum NameText {
    /// Only this many Unicode scalars of an input are read (a name is far shorter); the rest is ignored.
    public static let maximumScalars = 256
    /// At most this many words are kept (the first ones).
    public static let maximumWords = 8
    /// A longer word is cut to this many letters.
    public static let maximumWordLetters = 40

    /// The folded form used for search indexes: words separated by one space.
    public static func normalized(_ input: String) -> String {
        words(input, foldingForIndex: true).map(\.text).joined(separator: " ")
    }

    /// The words of `input`, normalised. With `foldingForIndex` false, ة and ى are kept apart from
    /// ه and ي (the matcher reads a final vowel from them); everything else is folded the same way.
    public static func words(_ input: String, foldingForIndex: Bool = true) -> [NameWord] {
        let bounded = String(String.UnicodeScalarView(input.unicodeScalars.prefix(maximumScalars)))
        // Compatibility decomposition: presentation forms → letters, أ → ا + hamza mark, é → e + ́.
        let decomposed = bounded.decomposedStringWithCompatibilityMapping.unicodeScalars
        var words: [NameWord] = []
        var current: [Unicode.Scalar] = []
        var currentScript: NameScript?
        func finish() {
            if let script = currentScript, !current.isEmpty, words.count < maximumWords {
                words.append(NameWord(letters: Array(current.prefix(maximumWordLetters)), script: script))
            }
            current.removeAll(keepingCapacity: true)
            currentScript = nil
        }
        func append(_ letters: [Unicode.Scalar], _ script: NameScript) {
            if currentScript != script { finish() }
            currentScript = script
            current.append(contentsOf: letters)
        }
        var previous: Unicode.Scalar?
        for (index, scalar) in decomposed.enumerated() {
            guard index < maximumScalars * 4 else { break }  // NFKD can expand one scalar into many
            defer { previous = scalar }
            let value = scalar.value
            // A cedilla under c makes it s (Hacène, Françoise); other combining marks go.
            if value == 0x0327, previous == "c", currentScript == .latin, !current.isEmpty {
                current[current.count - 1] = "s"
                continue
            }
            if isMark(scalar) || value == 0x0640 { continue }
            if value == 0x0027 || value == 0x2019 || value == 0x2018 || value == 0x02BC || value == 0x02BF
                || value == 0x02BE
                || value == 0x0060 || value == 0x00B4 || value == 0x02BB
            {
                continue  // apostrophes, ʿayn and hamza signs inside a word
            }
            if let arabic = arabicLetter(value, foldingForIndex: foldingForIndex) {
                append([arabic], .arabic)
            } else if let latin = latinLetters(scalar) {
                append(latin, .latin)
            } else if let digit = digit(value) {
                // Digits belong to no script; they stay with the word they touch.
                append([digit], currentScript ?? .latin)
            } else {
                finish()
            }
        }
        finish()
        return words
    }

    /// One scalar of already-decomposed text (NFKD) folded as a search index folds it, when it is
    /// a letter or digit this type knows: an Arabic letter with ة → ه and ى → ي (and the other
    /// folds of the type's description), a Latin letter lowercased without its accent (ß → ss,
    /// æ → ae, œ → oe…), a digit (Arabic-Indic digits → 0–9). `nil` for anything else (marks,
    /// punctuation, other scripts), which the caller decides about.
    public static func indexFolded(_ scalar: Unicode.Scalar) -> [Unicode.Scalar]? {
        let value = scalar.value
        if let arabic = arabicLetter(value, foldingForIndex: true) { return [arabic] }
        if let latin = latinLetters(scalar) { return latin }
        if let digit = digit(value) { return [digit] }
        return nil
    }

    static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    static func digit(_ value: UInt32) -> Unicode.Scalar? {
        switch value {
        case 0x30...0x39: return Unicode.Scalar(value)
        case 0x0660...0x0669: return Unicode.Scalar(value - 0x0660 + 0x30)
        case 0x06F0...0x06F9: return Unicode.Scalar(value - 0x06F0 + 0x30)
        default: return nil
        }
    }

    static func arabicLetter(_ value: UInt32, foldingForIndex: Bool) -> Unicode.Scalar? {
        let folded: UInt32
        switch value {
        case 0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673: folded = 0x0627  // alef forms
        case 0x0624: folded = 0x0648  // ؤ
        case 0x0626: folded = 0x064A  // ئ
        case 0x0629: folded = foldingForIndex ? 0x0647 : 0x0629  // ة
        case 0x0649: folded = foldingForIndex ? 0x064A : 0x0649  // ى
        case 0x06A9, 0x06AF, 0x06AD: folded = 0x0643  // ک گ ڭ
        case 0x06CC, 0x06D2, 0x06D3: folded = 0x064A  // ی ے
        case 0x06D5, 0x06C0, 0x06C1: folded = 0x0647  // ە ۀ ہ
        case 0x067E: folded = 0x0628  // پ
        case 0x0686: folded = 0x062C  // چ
        case 0x0698: folded = 0x0632  // ژ
        case 0x06A4: folded = 0x0641  // ڤ
        case 0x06A8, 0x06A7: folded = 0x0642  // ڨ
        case 0x0621...0x063A, 0x0641...0x064A: folded = value
        default: return nil
        }
        return Unicode.Scalar(folded)
    }

    static func latinLetters(_ scalar: Unicode.Scalar) -> [Unicode.Scalar]? {
        let value = scalar.value
        switch value {
        case 0x61...0x7A: return [scalar]
        case 0x41...0x5A: return [Unicode.Scalar(UInt8(value + 0x20))]
        case 0xDF: return ["s", "s"]
        case 0xE6, 0xC6: return ["a", "e"]
        case 0x153, 0x152: return ["o", "e"]
        case 0xF8, 0xD8: return ["o"]
        case 0x142, 0x141: return ["l"]
        case 0x111, 0x110, 0xF0, 0xD0: return ["d"]
        case 0xFE, 0xDE: return ["t", "h"]
        case 0x131: return ["i"]
        case 0x127, 0x126: return ["h"]
        default:
            // Fullwidth and other compatibility forms were decomposed already; anything else
            // alphabetic but not Latin is another script.
            return nil
        }
    }
}
