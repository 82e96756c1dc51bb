import Foundation

/// Runs compiled schema nodes over a parsed document (a ``JSONTape``) and collects every failure
/// (not only the first), so an officer can fix a bulletin in one pass.
struct SchemaEvaluator: Sendable {
    /// The catalog's nodes, as the compiler made them (labels, display, versions).
    let nodes: [SchemaNode]
    /// The same nodes as the evaluator reads them: constants, which need no run-time
    /// exclusivity check (``EvaluatedNode``).
    private let evaluated: [EvaluatedNode]

    init(nodes: [SchemaNode]) {
        self.nodes = nodes
        evaluated = nodes.map(EvaluatedNode.init)
    }

    /// In-place applicators are acyclic (checked at load) and values are at most 64 deep, so this
    /// bound is only a second line of defence.
    private static let maximumEvaluationDepth = 512

    /// Every failure of the value at `value` of `tape` (found at `pointer`) against node `index`. `checkingLineBreaks`:
    /// whether single-line fields must be searched for LF and TAB — false when the parser saw
    /// none in the whole document, which spares a valid bulletin the search. `declared`: the
    /// version the bulletin declares; members marked `x-since` a later version are refused
    /// (`nil` checks none: the version itself is malformed and reported as such).
    func evaluate(
        _ value: Int, of tape: JSONTape, against index: Int, at pointer: JSONPointer, checkingLineBreaks: Bool = true,
        declared: SchemaVersion? = nil
    ) -> [ValidationFailure] {
        var failures: [ValidationFailure] = []
        var path = pointer.tokens
        let context = Context(tape: tape, lineBreaks: checkingLineBreaks, declared: declared)
        evaluate(
            value, index, &path, labelledBy: evaluated[index].hasLabels ? index : nil, entering: true, context,
            depth: 0, into: &failures)
        return failures
    }

    /// What holds for the whole document: the document, whether it has line breaks to look for,
    /// and the version it declares.
    private struct Context {
        let tape: JSONTape
        let lineBreaks: Bool
        let declared: SchemaVersion?
    }

    /// Evaluates the value at `value` of the tape, at `path` (the pointer's tokens, extended and restored in place, so that
    /// a valid bulletin costs no pointer allocations) against node `index`; `labelledBy` is the
    /// nearest node above with labels, named by failures that have none closer. `entering` is true
    /// when the value is reached through `properties` or `items` (or is the root), false for the
    /// in-place applicators (`$ref`, `allOf`, `oneOf`), so that once-per-value rules run once;
    /// `lineBreaks` is false when the document has no LF or TAB at all.
    private func evaluate(
        _ value: Int, _ index: Int, _ path: inout [String], labelledBy labelNode: Int?, entering: Bool,
        _ context: Context, depth: Int,
        into failures: inout [ValidationFailure]
    ) {
        // Not retained: `evaluated` is a constant of this evaluator, which lives through the call,
        // and counting a reference per value visited was a tenth of a validation.
        unowned(unsafe) let node = evaluated[index]
        let keywords = node.keywords
        let tape = context.tape
        let labelNode = node.hasLabels ? index : labelNode
        func fail(_ keyword: String, _ reason: ValidationReason, at place: JSONPointer? = nil) {
            failures.append(
                ValidationFailure(
                    pointer: place ?? JSONPointer(tokens: path), keyword: keyword, reason: reason,
                    field: labelNode.flatMap { evaluated[$0].labels }, schemaLocation: node.location))
        }
        guard depth < SchemaEvaluator.maximumEvaluationDepth else {
            fail("$ref", .malformedJSON(detail: "schema evaluation nested too deeply"))
            return
        }

        // Line feeds and tabs only where the field (or what it refers to) says "x-text": "multiline".
        // The code points refused in every text are checked by `TextRule` over the whole document,
        // member names included, so that no schema can forget them; this is the part that depends
        // on the field.
        // What a later version added (`x-since`), in a bulletin declaring an earlier one: refused
        // at the member, whose name ends the path, and nothing below it is checked.
        // Each keyword is read only when `keywords` says the node has it: reading one copies it.
        if entering, keywords.contains(.since), let since = node.since, let declared = context.declared,
            declared < since
        {
            fail(
                "x-since",
                .addedInLaterVersion(
                    member: path.last ?? "", since: "\(since.major).\(since.minor)", declared: declared.description))
            return
        }
        if entering, context.lineBreaks, let text = tape.string(at: value), !node.allowsLineBreaks,
            let (scalar, position) = TextRule.firstLineBreak(in: text)
        {
            fail("x-text", .lineBreakInSingleLineText(codePoint: scalar.value, position: position))
        }
        if let reference = node.reference {
            evaluate(
                value, reference, &path, labelledBy: labelNode, entering: false, context, depth: depth + 1,
                into: &failures)
        }
        if keywords.contains(.allOf) {
            for sub in node.allOf {
                evaluate(
                    value, sub, &path, labelledBy: labelNode, entering: false, context, depth: depth + 1,
                    into: &failures)
            }
        }
        if keywords.contains(.oneOf) {
            var matched = 0
            var closest: [ValidationFailure]?
            for sub in node.oneOf {
                var branch: [ValidationFailure] = []
                evaluate(
                    value, sub, &path, labelledBy: labelNode, entering: false, context, depth: depth + 1, into: &branch)
                if branch.isEmpty {
                    matched += 1
                } else if closest == nil || branch.count < (closest?.count ?? 0) {
                    closest = branch
                }
            }
            if matched != 1 {
                fail("oneOf", .oneOfMismatch(alternatives: node.oneOf.count, matched: matched))
                if matched == 0, let closest { failures += closest }
            }
        }

        if keywords.contains(.types) {
            let actual = tape.schemaType(at: value)
            if node.admittedTypes & actual.bit == 0 {
                fail("type", .wrongType(expected: node.types ?? [], found: actual))
                return
            }
        }
        // The keywords below compare whole values: they read the value as a `JSONValue`, built
        // once and only for a node that has one of them (for a string, the string itself).
        let whole = keywords.isDisjoint(with: Self.wholeValueKeywords) ? nil : tape.value(at: value)
        if keywords.contains(.enumeration), let whole, node.enumerationSet?.contains(whole) == false {
            fail(
                "enum",
                .notInEnumeration(allowed: (node.enumeration ?? []).map(\.description), found: whole.abbreviated()))
        } else if keywords.contains(.valueSince), let whole, let since = node.valueSince[whole],
            let declared = context.declared,
            declared < since
        {
            fail(
                "x-since",
                .addedInLaterVersion(
                    member: SchemaCompiler.valueKey(whole), since: "\(since.major).\(since.minor)",
                    declared: declared.description))
        }
        if keywords.contains(.constant), let whole, let constant = node.constant, constant != whole {
            fail("const", .notConstant(expected: constant.description, found: whole.abbreviated()))
        }
        if keywords.contains(.check), let whole, let check = node.check {
            for finding in check.findings(for: whole) {
                fail(
                    "x-check", .checkFailed(check: check, problem: finding.problem),
                    at: finding.path.isEmpty ? nil : JSONPointer(tokens: path + finding.path))
            }
        }

        switch tape.kind(at: value) {
        case .string:
            if keywords.contains(.stringRules), let text = tape.string(at: value) {
                evaluateString(text, node) { fail($0, $1) }
            }
        case .integer, .decimal:
            if keywords.contains(.numberRules), let number = tape.number(at: value) {
                if let minimum = node.minimum, number < minimum {
                    fail("minimum", .belowMinimum(minimum: minimum, found: tape.value(at: value).description))
                }
                if let maximum = node.maximum, number > maximum {
                    fail("maximum", .aboveMaximum(maximum: maximum, found: tape.value(at: value).description))
                }
            }
        case .array:
            guard keywords.contains(.arrayRules) else { break }
            let count = tape.count(at: value)
            if let minimum = node.minItems, count < minimum {
                fail("minItems", .tooFewItems(minimum: minimum, found: count))
            }
            if let maximum = node.maxItems, count > maximum {
                fail("maxItems", .tooManyItems(maximum: maximum, found: count))
            }
            if node.uniqueItems {
                var seen: [JSONValue: Int] = [:]
                var element = value + 1
                for position in 0..<count {
                    let item = tape.value(at: element)
                    if let earlier = seen[item] {
                        fail(
                            "uniqueItems", .duplicateItems(first: earlier, second: position),
                            at: JSONPointer(tokens: path + [String(position)]))
                        break
                    }
                    seen[item] = position
                    element = tape.next(after: element)
                }
            }
            if let items = node.items {
                var element = value + 1
                for position in 0..<count {
                    path.append(String(position))
                    evaluate(
                        element, items, &path, labelledBy: nil, entering: true, context, depth: depth + 1,
                        into: &failures)
                    path.removeLast()
                    element = tape.next(after: element)
                }
            }
        case .object:
            if keywords.contains(.objectRules) {
                evaluateMembers(value, node, labelledBy: labelNode, &path, context, depth: depth, into: &failures)
            }
            if keywords.contains(.ordered) {
                for (lesser, greater) in node.ordered {
                    guard let lowIndex = tape.member(lesser, of: value), let highIndex = tape.member(greater, of: value)
                    else { continue }
                    let low = tape.value(at: lowIndex)
                    let high = tape.value(at: highIndex)
                    guard let inOrder = Self.isOrdered(low, high) else { continue }
                    if !inOrder.holds {
                        failures.append(
                            ValidationFailure(
                                pointer: JSONPointer(tokens: path + [lesser]), keyword: "x-ordered",
                                reason: .outOfOrder(
                                    bound: greater, boundValue: high.abbreviated(), found: low.abbreviated(),
                                    isTime: inOrder.isTime),
                                field: node.properties[lesser].flatMap { evaluated[$0].labels },
                                schemaLocation: node.location))
                    }
                }
            }
            if keywords.contains(.distinct) {
                for (member, other) in node.distinct {
                    guard let memberIndex = tape.member(member, of: value),
                        let otherIndex = tape.member(other, of: value)
                    else { continue }
                    let found = tape.value(at: memberIndex)
                    guard found == tape.value(at: otherIndex) else { continue }
                    failures.append(
                        ValidationFailure(
                            pointer: JSONPointer(tokens: path + [member]), keyword: "x-distinct",
                            reason: .notDistinct(other: other, found: found.abbreviated()),
                            field: node.properties[member].flatMap { evaluated[$0].labels },
                            schemaLocation: node.location))
                }
            }
        case .null, .bool:
            break
        }
    }

    /// The keywords that read a whole value rather than its kind, length or members.
    private static let wholeValueKeywords: EvaluatedNode.Keywords = [.enumeration, .valueSince, .constant, .check]

    /// `minProperties`, `required`, `properties` and `additionalProperties` of `node` over an
    /// object's members. One lookup per member finds its node and whether it is required; the
    /// required names are looked up one by one only when fewer of them were found than declared.
    private func evaluateMembers(
        _ object: Int, _ node: EvaluatedNode, labelledBy labelNode: Int?, _ path: inout [String],
        _ context: Context, depth: Int,
        into failures: inout [ValidationFailure]
    ) {
        let tape = context.tape
        let count = tape.count(at: object)
        if let minimum = node.minProperties, count < minimum {
            failures.append(
                ValidationFailure(
                    pointer: JSONPointer(tokens: path), keyword: "minProperties",
                    reason: .tooFewMembers(minimum: minimum, found: count),
                    field: labelNode.flatMap { evaluated[$0].labels }, schemaLocation: node.location))
        }
        // Members in document order: the catalog sorts the failures by pointer, and no two
        // members can fail at the same pointer.
        var requiredFound = 0
        var entry = object + 1
        for _ in 0..<count {
            let name = tape.name(at: entry)
            let member = entry + 1
            entry = tape.next(after: member)
            if let property = node.members[name] {
                if property.isRequired { requiredFound += 1 }
                path.append(name)
                evaluate(
                    member, property.node, &path, labelledBy: nil, entering: true, context, depth: depth + 1,
                    into: &failures)
                path.removeLast()
            } else if node.closed {
                failures.append(
                    ValidationFailure(
                        pointer: JSONPointer(tokens: path + [name]), keyword: "additionalProperties",
                        reason: .unknownMember(name: name), field: nil, schemaLocation: node.location))
            }
        }
        if requiredFound < node.required.count {
            for name in node.required where tape.member(name, of: object) == nil {
                failures.append(
                    ValidationFailure(
                        pointer: JSONPointer(tokens: path + [name]), keyword: "required",
                        reason: .missingMember(name: name),
                        field: node.properties[name].flatMap { evaluated[$0].labels }, schemaLocation: node.location))
            }
        }
    }

    /// Whether `low` ≤ `high` for `x-ordered`: two numbers by value, two `date-time` strings by the
    /// instant they denote (offsets applied); `nil` when they are not comparable (a wrong type or
    /// format is reported by the members' own schemas).
    private static func isOrdered(_ low: JSONValue, _ high: JSONValue) -> (holds: Bool, isTime: Bool)? {
        if let a = low.numberValue, let b = high.numberValue { return (a <= b, false) }
        if let a = low.stringValue, let b = high.stringValue, let holds = StringFormat.isNotLater(a, than: b) {
            return (holds, true)
        }
        return nil
    }

    private func evaluateString(_ text: String, _ node: EvaluatedNode, _ fail: (String, ValidationReason) -> Void) {
        // A string has between a quarter of its UTF-8 bytes and all of them as scalars: count
        // them only when that range does not already answer.
        let bytes = text.utf8.count
        if (node.minLength.map { bytes / 4 < $0 } ?? false) || (node.maxLength.map { bytes > $0 } ?? false) {
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum {
                fail("minLength", .tooShort(minimum: minimum, found: length))
            }
            if let maximum = node.maxLength, length > maximum {
                fail("maxLength", .tooLong(maximum: maximum, found: length))
            }
        }
        if let pattern = node.pattern, let source = node.patternSource {
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            if pattern.firstMatch(in: text, options: [], range: range) == nil {
                fail("pattern", .patternMismatch(pattern: source, found: JSONValue.string(text).abbreviated()))
            }
        }
        if let format = node.format, !format.matches(text) {
            fail("format", .invalidFormat(format: format, found: JSONValue.string(text).abbreviated()))
        }
    }
}
