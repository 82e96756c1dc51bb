import Foundation
import Names

/// Folds text of the region's scripts into the form a search index stores and a query is read in,
/// so that the spellings a person types and the spellings a bulletin holds meet (issue 18, item 1).
///
/// The rules (docs/SEARCH.md, "What is read from a bulletin"):
/// - compatibility decomposition (NFKD) first: presentation forms become letters, أ splits into
///   ا and a hamza mark, é into e and an accent;
/// - every combining mark is removed (harakat, shadda, hamza marks, Latin accents), and tatweel;
/// - Arabic and Latin letters and digits are folded as ``NameText/indexFolded(_:)`` folds them:
///   alef forms → ا, ؤ → و, ئ → ي, ة → ه, ى → ي, Persian and Maghrebi letters to the nearest Arabic
///   one, Arabic-Indic digits → 0–9, Latin lowercased without accents (ç → c), ß → ss, æ → ae,
///   œ → oe;
/// - letters and digits of other scripts are kept, lowercased;
/// - ʿ ʾ ʼ ʻ (transliteration signs) are removed inside a word; every other character
///   (punctuation, apostrophes, symbols, emoji, spaces) separates words;
/// - words are separated by single spaces, without leading or trailing space.
///
/// Bounded: at most ``maximumScalars`` scalars of the text are read.
public enum SearchFolding {
    /// The most scalars of one text that are folded (the rest is not indexed).
    public static let maximumScalars = 65_536

    /// `text` folded (see the type's description), words separated by single spaces.
    public static func fold(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        fold(text, into: &output, maximumScalars: maximumScalars)
        return String(output)
    }

    /// Folds `text` and appends it to `output` (a space before it when `output` is not empty),
    /// reading at most `maximumScalars` scalars of `text`.
    static func fold(_ text: String, into output: inout String.UnicodeScalarView, maximumScalars: Int) {
        // A scalar is at least one UTF-8 byte: a text of at most `maximumScalars` bytes needs no
        // cut, and one of ASCII only is its own NFKD (most codes, numbers and Latin names).
        let bounded =
            text.utf8.count <= maximumScalars
            ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(max(0, maximumScalars))))
        let isASCII = bounded.utf8.allSatisfy { $0 < 0x80 }
        // NFKD can expand one scalar into several (ﷺ into 18): bounded again after it.
        let decomposed =
            isASCII ? bounded.unicodeScalars : bounded.decomposedStringWithCompatibilityMapping.unicodeScalars
        var pendingSpace = !output.isEmpty
        var wroteAny = false
        for (index, scalar) in decomposed.enumerated() {
            guard index < maximumScalars * 4 else { break }
            let value = scalar.value
            if value < 0x80 {
                // ASCII, as the rules below fold it, without their tables: letters lowercased,
                // digits kept, everything else separates words.
                let folded: Unicode.Scalar?
                switch value {
                case 0x61...0x7A, 0x30...0x39: folded = scalar
                case 0x41...0x5A: folded = Unicode.Scalar(UInt8(value + 0x20))
                default: folded = nil
                }
                guard let folded else {
                    if wroteAny { pendingSpace = true }
                    continue
                }
                if pendingSpace {
                    output.append(" ")
                    pendingSpace = false
                }
                output.append(folded)
                wroteAny = true
                continue
            }
            if value == 0x0640 || value == 0x02BE || value == 0x02BF || value == 0x02BC || value == 0x02BB {
                continue  // tatweel; ʾ ʿ ʼ ʻ inside a word
            }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format:
                continue
            default:
                break
            }
            let letters: [Unicode.Scalar]
            if let folded = NameText.indexFolded(scalar) {
                letters = folded
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                letters = Array(String(scalar).lowercased().unicodeScalars)
            } else {
                if wroteAny { pendingSpace = true }
                continue
            }
            if pendingSpace {
                output.append(" ")
                pendingSpace = false
            }
            output.append(contentsOf: letters)
            wroteAny = true
        }
    }
}
