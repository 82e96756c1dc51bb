/// The text rule (keyword `x-text`): no bulletin string may contain a code point that
/// ``DisplayText/isForbidden(_:)`` — controls, line and paragraph separators, bidirectional
/// overrides and isolates — and only multi-line fields may contain line feeds and tabs.
///
/// Why a rule of the validator rather than a keyword each field declares: a per-field rule is one
/// forgotten field away from a display attack, and this one must hold for every string of every
/// incident type, present and future, and for member names too (they are echoed in messages).
/// So ``failures(in:)`` covers the whole parsed document, independently of the schemas; only the
/// permission for line breaks is a property of the field (`"x-text": "multiline"`), checked by
/// the evaluator where it knows the field (``firstLineBreak(in:)``).
///
/// Cost: the JSON parser notes, while it reads each string and member name, whether one contains
/// a forbidden code point (`JSONParser.parseTapeNotingText` for validation,
/// `JSONParser.parseNotingText` for a tree); a clean bulletin — nearly all of them —
/// costs no walk at all. Only then does ``failures(in:)`` walk the document to build the pointers.
enum TextRule {
    /// A failure for each string value or member name of `value` that contains a forbidden code
    /// point (the first one of each string), at its pointer below `pointer`.
    static func failures(in value: JSONValue, at pointer: JSONPointer = .root) -> [ValidationFailure] {
        guard containsForbidden(value) else { return [] }  // cheap; callers may know better
        var failures: [ValidationFailure] = []
        var path = pointer.tokens
        collect(value, &path, into: &failures)
        return failures
    }

    /// The first LINE FEED or CHARACTER TABULATION of `text` and its 1-based position in code points.
    static func firstLineBreak(in text: String) -> (scalar: Unicode.Scalar, position: Int)? {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x09 }) else { return nil }
        for (offset, scalar) in text.unicodeScalars.enumerated() where DisplayText.isLineBreak(scalar) {
            return (scalar, offset + 1)
        }
        return nil
    }

    private static func containsForbidden(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text):
            return DisplayText.containsHazard(text, allowingLineBreaks: true)
        case .array(let elements):
            return elements.contains(where: containsForbidden)
        case .object(let members):
            return members.contains { DisplayText.containsHazard($0.key, allowingLineBreaks: true) || containsForbidden($0.value) }
        case .null, .bool, .integer, .decimal:
            return false
        }
    }

    private static func collect(_ value: JSONValue, _ path: inout [String], into failures: inout [ValidationFailure]) {
        func check(_ text: String) {
            guard let (scalar, position) = DisplayText.firstHazard(in: text, allowingLineBreaks: true) else { return }
            failures.append(
                ValidationFailure(
                    pointer: JSONPointer(tokens: path), keyword: "x-text",
                    reason: .forbiddenCharacter(codePoint: scalar.value, position: position)))
        }
        switch value {
        case .string(let text):
            check(text)
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                path.append(String(index))
                collect(element, &path, into: &failures)
                path.removeLast()
            }
        case .object(let members):
            for (name, member) in members {
                path.append(name)
                check(name)
                collect(member, &path, into: &failures)
                path.removeLast()
            }
        case .null, .bool, .integer, .decimal:
            break
        }
    }
}
