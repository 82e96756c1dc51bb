/// The code points that can make bulletin text *display* differently from what it says, and how
/// to show received text safely.
///
/// A sender who controls a title or a summary must not be able to make an officer read something
/// other than what was sent: a RIGHT-TO-LEFT OVERRIDE reverses what follows it, a CARRIAGE RETURN
/// or an ESCAPE sequence rewrites the terminal line, a LINE FEED in a one-line listing fakes a row
/// that looks like another bulletin. So these code points are **refused** in every string of a
/// bulletin (``SchemaCatalog`` applies the rule, keyword `x-text`), and **neutralised** wherever
/// received text is shown to a person (``neutralised(_:keepingLineBreaks:)``), because an older or
/// hostile node may still send them.
///
/// Forbidden everywhere (``isForbidden(_:)``):
/// - C0 controls U+0000–U+001F except LINE FEED and CHARACTER TABULATION, DELETE U+007F, C1
///   controls U+0080–U+009F (NEXT LINE U+0085 among them);
/// - LINE SEPARATOR U+2028 and PARAGRAPH SEPARATOR U+2029;
/// - the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069;
/// - the deprecated format characters U+206A–U+206F (symmetric swapping, Arabic form shaping,
///   national digit shapes), which have no legitimate use and change how Arabic text and digits look.
///
/// Allowed: the implicit directional marks LEFT-TO-RIGHT MARK U+200E, RIGHT-TO-LEFT MARK U+200F
/// and ARABIC LETTER MARK U+061C, which mixed Arabic and Latin text needs and which cannot reorder
/// a run of text; ZERO WIDTH JOINER/NON-JOINER (Arabic and Persian spelling).
///
/// LINE FEED and CHARACTER TABULATION are allowed only in multi-line fields (`"x-text": "multiline"`
/// in the schema: the summary and long narrative fields) — see ``isLineBreak(_:)``.
public enum DisplayText {
    /// Whether `scalar` is refused in any bulletin text (see the type's documentation for the list).
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x206A...0x206F: return true
        default: return false
        }
    }

    /// Whether `scalar` is one of the two layout controls a multi-line field may contain (LINE FEED,
    /// CHARACTER TABULATION) and a single-line field may not.
    public static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x0A || scalar.value == 0x09
    }

    /// Whether `text` contains a code point that ``isForbidden(_:)``, or (unless
    /// `allowingLineBreaks`) one that ``isLineBreak(_:)``.
    ///
    /// One pass over the UTF-8 bytes, without decoding: every forbidden code point is either a
    /// single byte below 0x20 or 0x7F, `C2 80`–`C2 9F` (C1), or `E2 80 A8`–`E2 80 AE` and
    /// `E2 81 A6`–`E2 81 AF`; a Swift string is always valid UTF-8, so a lead byte is always
    /// followed by its continuation bytes.
    public static func containsHazard(_ text: String, allowingLineBreaks: Bool) -> Bool {
        containsHazard(utf8: text.utf8, allowingLineBreaks: allowingLineBreaks)
    }

    /// ``containsHazard(_:allowingLineBreaks:)`` over bytes that are valid UTF-8 (the JSON parser
    /// calls it on a string's bytes in its input, once they are validated, without making a
    /// `String` view to walk).
    static func containsHazard(utf8 bytes: some Sequence<UInt8>, allowingLineBreaks: Bool) -> Bool {
        // 0: any byte; 1: after C2; 2: after E2; 3: after E2 80; 4: after E2 81.
        var state = 0
        for byte in bytes {
            switch state {
            case 1:
                if byte <= 0x9F { return true }
                state = 0
                continue
            case 2:
                state = byte == 0x80 ? 3 : byte == 0x81 ? 4 : 0
                continue
            case 3:
                if (0xA8...0xAE).contains(byte) { return true }
                state = 0
                continue
            case 4:
                if (0xA6...0xAF).contains(byte) { return true }
                state = 0
                continue
            default:
                break
            }
            if byte < 0x20 {
                if byte == 0x0A || byte == 0x09 {
                    if !allowingLineBreaks { return true }
                } else {
                    return true
                }
            } else if byte == 0x7F {
                return true
            } else if byte == 0xC2 {
                state = 1
            } else if byte == 0xE2 {
                state = 2
            }
        }
        return false
    }

    /// The first code point of `text` that is forbidden (or a line break, unless
    /// `allowingLineBreaks`), with its 1-based position in code points; `nil` when there is none.
    public static func firstHazard(in text: String, allowingLineBreaks: Bool) -> (scalar: Unicode.Scalar, position: Int)? {
        guard containsHazard(text, allowingLineBreaks: allowingLineBreaks) else { return nil }
        for (offset, scalar) in text.unicodeScalars.enumerated()
        where isForbidden(scalar) || (!allowingLineBreaks && isLineBreak(scalar)) {
            return (scalar, offset + 1)
        }
        return nil
    }

    /// `text` made safe to print for a person: every forbidden code point (and, unless
    /// `keepingLineBreaks`, every LINE FEED and CHARACTER TABULATION) is replaced by a visible
    /// escape `\u{XXXX}` (hexadecimal, upper case, at least four digits), e.g. `\u{202E}`, so the
    /// reader sees that something was there and what it was, and nothing reorders or rewrites
    /// the output. Text without such code points is returned as is (no copy).
    ///
    /// Use it for every human-readable display of received bulletin text (titles, summaries,
    /// ids, any string field). JSON output needs no neutralising: it is exact, and JSON escaping
    /// already makes controls visible.
    public static func neutralised(_ text: String, keepingLineBreaks: Bool = false) -> String {
        guard containsHazard(text, allowingLineBreaks: keepingLineBreaks) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isForbidden(scalar) || (!keepingLineBreaks && isLineBreak(scalar)) {
                out.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `U+XXXX`, the usual way to name a code point in a message.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        "U+" + hex(scalar.value)
    }

    /// The Unicode name of `scalar` (its control-code alias for a C0 control or DELETE, e.g.
    /// `NULL`, `CARRIAGE RETURN`), or `nil` for a C1 control, which has none in common use.
    public static func name(of scalar: Unicode.Scalar) -> String? {
        if scalar.value < 0x20 { return controlNames[Int(scalar.value)] }
        if scalar.value == 0x7F { return "DELETE" }
        if scalar.value == 0x85 { return "NEXT LINE" }
        return scalar.properties.name
    }

    /// `U+202E RIGHT-TO-LEFT OVERRIDE`, or `U+0090 (control)` when the code point has no name.
    public static func described(_ scalar: Unicode.Scalar) -> String {
        codePoint(scalar) + " " + (name(of: scalar) ?? "(control)")
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + hex(scalar.value) + "}"
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// Aliases of the C0 controls (Unicode NameAliases.txt, type "control").
    private static let controlNames = [
        "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
        "ACKNOWLEDGE", "ALERT", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
        "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE",
        "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE",
        "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
        "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
        "INFORMATION SEPARATOR ONE",
    ]
}
