import BulletinSchema
import Foundation

/// The name a browser gave an uploaded file, made into the display name the node is sent — never
/// a path, a type or anything else. The node refuses a name that is empty, over 120 characters,
/// holds `/` or `\`, or whose extension does not agree with the content; what is left of the
/// browser's name here always passes the first three, so the node's refusal, if any, is about
/// the extension and says so.
enum UploadFileName {
    /// The node's and the schema's bound (`fileName`: 1–120 characters).
    static let maximumScalars = 120
    /// The name sent for a file whose browser name is nothing once neutralised.
    static let fallback = "file"

    /// `raw` reduced to a safe display name: the last component of a path (old browsers sent
    /// `C:\Users\…\photo.jpg`), every control, format and bidirectional character removed (a
    /// `U+202E` could show `gpj.exe` as `exe.jpg`), NFC, without leading or trailing dots and
    /// spaces, and at most ``maximumScalars`` scalars with its extension kept.
    static func neutralised(_ raw: String) -> String {
        let lastComponent = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for scalar in lastComponent.unicodeScalars where !isRemoved(scalar) {
            scalars.append(scalar)
        }
        var name = String(scalars).precomposedStringWithCanonicalMapping
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: ". ").union(.whitespaces))
        guard !name.isEmpty else { return fallback }
        return shortened(name)
    }

    /// Whether `scalar` is left out of a name: what bulletin text forbids (``DisplayText/isForbidden(_:)``),
    /// line breaks and tabs, and the invisible format characters (general category Cf: bidi
    /// marks, zero-width joiners, the BOM).
    static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        DisplayText.isForbidden(scalar) || DisplayText.isLineBreak(scalar)
            || scalar.properties.generalCategory == .format
            || scalar.properties.generalCategory == .control
    }

    /// `name` within ``maximumScalars``: the stem is cut, the extension (up to 10 scalars after
    /// the last dot) kept, since the node reads the type the name announces from it.
    private static func shortened(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        guard scalars.count > maximumScalars else { return name }
        var extensionScalars: [Unicode.Scalar] = []
        if let dot = scalars.lastIndex(of: "."), scalars.count - dot <= 11, dot > 0 {
            extensionScalars = Array(scalars[dot...])
        }
        var stem = Array(scalars.prefix(maximumScalars - extensionScalars.count))
        // A cut must not leave a combining mark without its base, nor a trailing dot or space.
        while let last = stem.last, last.properties.generalCategory == .nonspacingMark || last == "." || last == " " {
            stem.removeLast()
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: stem)
        out.append(contentsOf: extensionScalars)
        let result = String(out)
        return result.isEmpty ? fallback : result
    }
}
