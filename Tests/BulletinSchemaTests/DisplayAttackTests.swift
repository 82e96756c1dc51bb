import BulletinSchema
import Foundation
import Testing

/// Issue 13, defect 5: controls, separators and bidirectional overrides in bulletin text are
/// refused by the validator (keyword `x-text`), in every string of every incident type, and
/// neutralised by `DisplayText` wherever received text is shown.
@Suite("display attacks in text (x-text, DisplayText)")
struct DisplayAttackTests {
    static func example(_ name: String) throws -> [String: JSONValue] {
        try BulletinTests.example(name)
    }

    static func bytes(_ members: [String: JSONValue]) -> Data {
        BulletinTests.bytes(members)
    }

    /// Every string leaf of `value` with its pointer tokens.
    static func stringLeaves(_ value: JSONValue, _ path: [String] = []) -> [[String]] {
        switch value {
        case .string: return [path]
        case .array(let elements): return elements.enumerated().flatMap { stringLeaves($0.element, path + [String($0.offset)]) }
        case .object(let members): return members.flatMap { stringLeaves($0.value, path + [$0.key]) }
        default: return []
        }
    }

    /// `value` with the string at `path` passed through `change`.
    static func replacing(_ value: JSONValue, at path: ArraySlice<String>, _ change: (String) -> String) -> JSONValue {
        guard let head = path.first else {
            if case .string(let text) = value { return .string(change(text)) }
            return value
        }
        switch value {
        case .array(var elements):
            if let index = Int(head), elements.indices.contains(index) {
                elements[index] = replacing(elements[index], at: path.dropFirst(), change)
            }
            return .array(elements)
        case .object(var members):
            if let member = members[head] { members[head] = replacing(member, at: path.dropFirst(), change) }
            return .object(members)
        default:
            return value
        }
    }

    /// Fields that may span lines (`"x-text": "multiline"`): summaries and long narratives.
    static func isMultiline(_ path: [String]) -> Bool {
        let pointer = "/" + path.joined(separator: "/")
        return path.count == 2 && path[0] == "summary"
            || pointer.hasSuffix("/concealment") || pointer.hasSuffix("/route/description")
            || pointer.hasSuffix("/recruitmentMethod") || pointer.hasSuffix("/physicalDescription")
            || (pointer.hasPrefix("/details/objects/") && pointer.hasSuffix("/description"))
    }

    @Test("a title with U+202E RIGHT-TO-LEFT OVERRIDE is refused with its pointer, code point and position")
    func titleWithOverride() throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("document-fraud.json")
        // "…passport gnissap" shown reversed: the officer would read something that was not sent.
        members["title"] = .object(["fr": .string("Imposteur \u{202E}tropessap\u{202C} à Casablanca")])
        let failures = catalog.failures(in: Self.bytes(members))
        let failure = try #require(failures.first { $0.keyword == "x-text" })
        #expect(failures.count == 1, "\(failures.map(\.description))")
        #expect(failure.pointer.description == "/title/fr")
        #expect(failure.reason == .forbiddenCharacter(codePoint: 0x202E, position: 11))
        #expect(failure.message(in: .en).hasPrefix("U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in text (character 11)"))
        #expect(failure.message(in: .fr).hasPrefix("U+202E RIGHT-TO-LEFT OVERRIDE n'est pas admis dans un texte"))
        #expect(!failure.message(in: .ar).isEmpty)
        #expect(throws: BulletinRejection.self) { try catalog.validate(Self.bytes(members)) }
    }

    static let forbidden: [UInt32] = [
        0x00, 0x01, 0x07, 0x08, 0x0B, 0x0C, 0x0D, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9B, 0x9F, 0x2028, 0x2029,
        0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x206A, 0x206F,
    ]

    @Test("each forbidden code point, written as a JSON escape, is refused even in a multi-line summary", arguments: forbidden)
    func forbiddenCodePoint(_ codePoint: UInt32) throws {
        let catalog = try Repository.loadedCatalog()
        let members = try Self.example("migrant-smuggling.json")
        let placeholder = "PLACEHOLDER"
        var summary = try #require(members["summary"]?.objectValue)
        summary["en"] = .string("Truck stopped \(placeholder) near Salloum.")
        var changed = members
        changed["summary"] = .object(summary)
        // The raw bytes carry the escape itself (\u0000, \u202e), as a hostile sender would write it.
        let escape = String(format: "\\u%04x", codePoint)
        let text = String(decoding: Self.bytes(changed), as: UTF8.self).replacingOccurrences(of: placeholder, with: escape)
        let failures = catalog.failures(in: Data(text.utf8))
        #expect(failures.map(\.keyword) == ["x-text"], "\(escape): \(failures.map(\.description))")
        #expect(failures.first?.pointer.description == "/summary/en")
        #expect(failures.first?.reason == .forbiddenCharacter(codePoint: codePoint, position: 15))
        #expect(failures.first?.line(in: .en).contains("U+" + String(format: "%04X", codePoint)) == true)
    }

    @Test(
        "each forbidden code point that JSON lets appear raw (unescaped) is refused, in a title and a summary",
        arguments: forbidden.filter { $0 >= 0x20 })
    func forbiddenCodePointRaw(_ codePoint: UInt32) throws {
        let catalog = try Repository.loadedCatalog()
        let members = try Self.example("migrant-smuggling.json")
        let placeholder = "PLACEHOLDER"
        for field in ["title", "summary"] {
            var text = try #require(members[field]?.objectValue)
            text["en"] = .string("Truck \(placeholder) near Salloum")
            var changed = members
            changed[field] = .object(text)
            // The raw UTF-8 of the code point itself (DELETE is plain ASCII 0x7F), as the parser's
            // fast path for strings without escapes sees it.
            let raw = String(Character(try #require(Unicode.Scalar(codePoint))))
            let json = String(decoding: Self.bytes(changed), as: UTF8.self).replacingOccurrences(of: placeholder, with: raw)
            let failures = catalog.failures(in: Data(json.utf8))
            #expect(failures.map(\.keyword) == ["x-text"], "\(field) U+\(String(codePoint, radix: 16)): \(failures.map(\.description))")
            #expect(failures.first?.pointer.description == "/\(field)/en")
            #expect(failures.first?.reason == .forbiddenCharacter(codePoint: codePoint, position: 7))
        }
    }

    @Test("every string of every example refuses an appended U+202E (all text fields, every incident type)", arguments: ExampleTests.valid)
    func everyStringRefusesOverride(_ file: URL) throws {
        let catalog = try Repository.loadedCatalog()
        let document = try JSONParser().parse(try Data(contentsOf: file))
        let leaves = Self.stringLeaves(document)
        #expect(leaves.count >= 10)
        for path in leaves {
            let attacked = Self.replacing(document, at: path[...]) { $0 + "\u{2066}" }
            let failures = catalog.failures(in: Data(attacked.description.utf8))
            let pointer = "/" + path.joined(separator: "/")
            #expect(
                failures.contains { $0.keyword == "x-text" && $0.pointer.description == pointer },
                "\(file.lastPathComponent) \(pointer): \(failures.map(\.description))")
        }
    }

    @Test("a line feed is refused in single-line fields and allowed in summaries and narratives", arguments: ExampleTests.valid)
    func lineFeedOnlyInMultilineFields(_ file: URL) throws {
        let catalog = try Repository.loadedCatalog()
        let document = try JSONParser().parse(try Data(contentsOf: file))
        for path in Self.stringLeaves(document) {
            let attacked = Self.replacing(document, at: path[...]) { $0 + "\n\tMore." }
            let pointer = "/" + path.joined(separator: "/")
            let textFailures = catalog.failures(in: Data(attacked.description.utf8)).filter { $0.keyword == "x-text" }
            if Self.isMultiline(path) {
                #expect(textFailures.isEmpty, "\(file.lastPathComponent) \(pointer) is multi-line: \(textFailures.map(\.description))")
            } else {
                #expect(
                    textFailures.map(\.pointer.description) == [pointer],
                    "\(file.lastPathComponent) \(pointer) is single-line: \(textFailures.map(\.description))")
                let original = try #require(Self.value(document, path))
                #expect(textFailures.first?.reason == .lineBreakInSingleLineText(codePoint: 0x0A, position: original.unicodeScalars.count + 1))
            }
        }
    }

    static func value(_ document: JSONValue, _ path: [String]) -> String? {
        var current: JSONValue? = document
        for token in path {
            if let index = Int(token), let elements = current?.arrayValue { current = elements.indices.contains(index) ? elements[index] : nil } else { current = current?[token] }
        }
        return current?.stringValue
    }

    @Test("mixed Arabic and Latin text with LRM, RLM, ALM and ZWNJ is accepted")
    func directionalMarksAreAllowed() throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("document-fraud.json")
        members["title"] = .object([
            "ar": .string("منتحل صفة يحمل جواز سفر \u{200E}FRA 19AF23456\u{200E} بمطار محمد الخامس\u{061C}"),
            "fr": .string("Passeport \u{200F}جواز\u{200F} présenté à Mohammed V"),
            "en": .string("Impostor with passport No.\u{200C}19AF23456"),
        ])
        members["summary"] = .object([
            "ar": .string("قدّم مسافر متجه إلى باريس جواز سفر \u{200E}FRA\u{200E} أصليًا يعود لشخص آخر.\nأثبتت مقارنة الوجه انتحاله للصفة."),
            "fr": .string("Un voyageur à destination de Paris a présenté un passeport authentique d'un tiers.\n\t— confirmé par comparaison faciale."),
        ])
        let failures = catalog.failures(in: Self.bytes(members))
        #expect(failures.isEmpty, "\(failures.map(\.description))")
    }

    @Test("a member name with a bidi override is reported at its pointer, and the line printed is neutralised")
    func memberNameIsCheckedAndNeutralised() throws {
        let catalog = try Repository.loadedCatalog()
        var members = try Self.example("fuel-smuggling.json")
        members["note\u{202E}txt.exe"] = .string("x")
        let failures = catalog.failures(in: Self.bytes(members))
        #expect(failures.contains { $0.keyword == "x-text" && $0.pointer.tokens == ["note\u{202E}txt.exe"] })
        #expect(failures.contains { $0.keyword == "additionalProperties" })
        for failure in failures {
            for language in Language.allCases {
                #expect(!failure.line(in: language).unicodeScalars.contains { $0.value == 0x202E }, "\(failure.line(in: language))")
            }
        }
    }

    @Test("the text rule costs nothing on Arabic and French examples: they all still validate")
    func examplesStillValidate() throws {
        let catalog = try Repository.loadedCatalog()
        for file in ExampleTests.valid {
            let failures = catalog.failures(in: try Data(contentsOf: file))
            #expect(failures.isEmpty, "\(file.lastPathComponent): \(failures.map(\.description))")
        }
    }

    // MARK: - DisplayText

    @Test("neutralised makes every forbidden code point a visible escape", arguments: forbidden)
    func neutralisedEscapes(_ codePoint: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(codePoint))
        let text = "ab" + String(Character(scalar)) + "cd"
        let shown = DisplayText.neutralised(text)
        #expect(shown == "ab\\u{" + String(format: "%04X", codePoint) + "}cd")
        #expect(!shown.unicodeScalars.contains { DisplayText.isForbidden($0) })
        #expect(DisplayText.firstHazard(in: text, allowingLineBreaks: true)?.position == 3)
    }

    @Test("neutralised keeps clean text, Arabic and directional marks as they are, and line breaks only when asked")
    func neutralisedKeepsCleanText() {
        let arabic = "منتحل صفة \u{200F}FRA\u{200E} \u{061C}‌نص"
        #expect(DisplayText.neutralised(arabic) == arabic)
        #expect(DisplayText.neutralised("Saisie à Ras Jedir") == "Saisie à Ras Jedir")
        #expect(DisplayText.neutralised("line one\nline\ttwo") == "line one\\u{000A}line\\u{0009}two")
        #expect(DisplayText.neutralised("line one\nline\ttwo", keepingLineBreaks: true) == "line one\nline\ttwo")
        #expect(DisplayText.neutralised("a\r\nb", keepingLineBreaks: true) == "a\\u{000D}\nb")
        #expect(DisplayText.neutralised("\u{1B}[2J\u{202E}x") == "\\u{001B}[2J\\u{202E}x")
        #expect(DisplayText.described("\u{202E}") == "U+202E RIGHT-TO-LEFT OVERRIDE")
        #expect(DisplayText.described("\u{0}") == "U+0000 NULL")
        #expect(DisplayText.described("\u{85}") == "U+0085 NEXT LINE")
    }

    @Test("the byte scan agrees with the code point rule on every code point up to U+2FFF and some beyond")
    func byteScanAgreesWithRule() throws {
        for value in Array(UInt32(0)...0x2FFF) + [0xFEFF, 0xFFFD, 0x1F600, 0xE0001, 0x10FFFF] {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a" + String(Character(scalar)) + "é"
            let expected = DisplayText.isForbidden(scalar)
            #expect(DisplayText.containsHazard(text, allowingLineBreaks: true) == expected, "U+\(String(value, radix: 16))")
            #expect(
                DisplayText.containsHazard(text, allowingLineBreaks: false) == (expected || DisplayText.isLineBreak(scalar)),
                "U+\(String(value, radix: 16))")
        }
    }
}
