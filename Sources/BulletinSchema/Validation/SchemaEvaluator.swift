import Foundation

/// Runs compiled schema nodes over a parsed value and collects every failure (not only the first),
/// so an officer can fix a bulletin in one pass.
struct SchemaEvaluator: Sendable {
    let nodes: [SchemaNode]

    /// In-place applicators are acyclic (checked at load) and values are at most 64 deep, so this
    /// bound is only a second line of defence.
    private static let maximumEvaluationDepth = 512

    /// Every failure of `value` (found at `pointer`) against node `index`. `checkingLineBreaks`:
    /// whether single-line fields must be searched for LF and TAB — false when the parser saw
    /// none in the whole document, which spares a valid bulletin the search. `declared`: the
    /// version the bulletin declares; members marked `x-since` a later version are refused
    /// (`nil` checks none: the version itself is malformed and reported as such).
    func evaluate(
        _ value: JSONValue, against index: Int, at pointer: JSONPointer, checkingLineBreaks: Bool = true,
        declared: SchemaVersion? = nil
    ) -> [ValidationFailure] {
        var failures: [ValidationFailure] = []
        var path = pointer.tokens
        let context = Context(lineBreaks: checkingLineBreaks, declared: declared)
        evaluate(
            value, index, &path, labelledBy: nodes[index].labels == nil ? nil : index, entering: true, context,
            depth: 0, into: &failures)
        return failures
    }

    /// What holds for the whole document: whether it has line breaks to look for, and the
    /// version it declares.
    private struct Context {
        let lineBreaks: Bool
        let declared: SchemaVersion?
    }

    /// Evaluates `value` at `path` (the pointer's tokens, extended and restored in place, so that
    /// a valid bulletin costs no pointer allocations) against node `index`; `labelledBy` is the
    /// nearest node above with labels, named by failures that have none closer. `entering` is true
    /// when the value is reached through `properties` or `items` (or is the root), false for the
    /// in-place applicators (`$ref`, `allOf`, `oneOf`), so that once-per-value rules run once;
    /// `lineBreaks` is false when the document has no LF or TAB at all.
    private func evaluate(
        _ value: JSONValue, _ index: Int, _ path: inout [String], labelledBy labelNode: Int?, entering: Bool,
        _ context: Context, depth: Int,
        into failures: inout [ValidationFailure]
    ) {
        // Not retained: `nodes` is a constant of this evaluator, which lives through the call, and
        // counting a reference per value visited was a tenth of a validation.
        unowned(unsafe) let node = nodes[index]
        let keywords = node.keywords
        let labelNode = node.hasLabels ? index : labelNode
        func fail(_ keyword: String, _ reason: ValidationReason, at place: JSONPointer? = nil) {
            failures.append(
                ValidationFailure(
                    pointer: place ?? JSONPointer(tokens: path), keyword: keyword, reason: reason,
                    field: labelNode.flatMap { nodes[$0].labels }, schemaLocation: node.location))
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
        if entering, context.lineBreaks, case .string(let text) = value, !node.allowsLineBreaks,
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
            let actual = value.schemaType
            if node.admittedTypes & actual.bit == 0 {
                fail("type", .wrongType(expected: node.types ?? [], found: actual))
                return
            }
        }
        if keywords.contains(.enumeration), node.enumerationSet?.contains(value) == false {
            fail(
                "enum",
                .notInEnumeration(allowed: (node.enumeration ?? []).map(\.description), found: value.abbreviated()))
        } else if keywords.contains(.valueSince), let since = node.valueSince[value], let declared = context.declared,
            declared < since
        {
            fail(
                "x-since",
                .addedInLaterVersion(
                    member: SchemaCompiler.valueKey(value), since: "\(since.major).\(since.minor)",
                    declared: declared.description))
        }
        if keywords.contains(.constant), let constant = node.constant, constant != value {
            fail("const", .notConstant(expected: constant.description, found: value.abbreviated()))
        }
        if keywords.contains(.check), let check = node.check {
            for finding in check.findings(for: value) {
                fail(
                    "x-check", .checkFailed(check: check, problem: finding.problem),
                    at: finding.path.isEmpty ? nil : JSONPointer(tokens: path + finding.path))
            }
        }

        switch value {
        case .string(let text):
            if keywords.contains(.stringRules) { evaluateString(text, node) { fail($0, $1) } }
        case .integer, .decimal:
            if keywords.contains(.numberRules), let number = value.numberValue {
                if let minimum = node.minimum, number < minimum {
                    fail("minimum", .belowMinimum(minimum: minimum, found: value.description))
                }
                if let maximum = node.maximum, number > maximum {
                    fail("maximum", .aboveMaximum(maximum: maximum, found: value.description))
                }
            }
        case .array(let elements):
            guard keywords.contains(.arrayRules) else { break }
            if let minimum = node.minItems, elements.count < minimum {
                fail("minItems", .tooFewItems(minimum: minimum, found: elements.count))
            }
            if let maximum = node.maxItems, elements.count > maximum {
                fail("maxItems", .tooManyItems(maximum: maximum, found: elements.count))
            }
            if node.uniqueItems {
                var seen: [JSONValue: Int] = [:]
                for (position, element) in elements.enumerated() {
                    if let earlier = seen[element] {
                        fail(
                            "uniqueItems", .duplicateItems(first: earlier, second: position),
                            at: JSONPointer(tokens: path + [String(position)]))
                        break
                    }
                    seen[element] = position
                }
            }
            if let items = node.items {
                for (position, element) in elements.enumerated() {
                    path.append(String(position))
                    evaluate(
                        element, items, &path, labelledBy: nil, entering: true, context, depth: depth + 1,
                        into: &failures)
                    path.removeLast()
                }
            }
        case .object(let members):
            if keywords.contains(.objectRules) {
                evaluateMembers(members, node, labelledBy: labelNode, &path, context, depth: depth, into: &failures)
            }
            if keywords.contains(.ordered) {
                for (lesser, greater) in node.ordered {
                    guard let low = members[lesser], let high = members[greater],
                        let inOrder = Self.isOrdered(low, high)
                    else { continue }
                    if !inOrder.holds {
                        failures.append(
                            ValidationFailure(
                                pointer: JSONPointer(tokens: path + [lesser]), keyword: "x-ordered",
                                reason: .outOfOrder(
                                    bound: greater, boundValue: high.abbreviated(), found: low.abbreviated(),
                                    isTime: inOrder.isTime),
                                field: node.properties[lesser].flatMap { nodes[$0].labels },
                                schemaLocation: node.location))
                    }
                }
            }
            if keywords.contains(.distinct) {
                for (member, other) in node.distinct {
                    guard let value = members[member], value == members[other] else { continue }
                    failures.append(
                        ValidationFailure(
                            pointer: JSONPointer(tokens: path + [member]), keyword: "x-distinct",
                            reason: .notDistinct(other: other, found: value.abbreviated()),
                            field: node.properties[member].flatMap { nodes[$0].labels }, schemaLocation: node.location))
                }
            }
        case .null, .bool:
            break
        }
    }

    /// `minProperties`, `required`, `properties` and `additionalProperties` of `node` over an
    /// object's members. One lookup per member finds its node and whether it is required; the
    /// required names are looked up one by one only when fewer of them were found than declared.
    private func evaluateMembers(
        _ members: [String: JSONValue], _ node: SchemaNode, labelledBy labelNode: Int?, _ path: inout [String],
        _ context: Context, depth: Int,
        into failures: inout [ValidationFailure]
    ) {
        if let minimum = node.minProperties, members.count < minimum {
            failures.append(
                ValidationFailure(
                    pointer: JSONPointer(tokens: path), keyword: "minProperties",
                    reason: .tooFewMembers(minimum: minimum, found: members.count),
                    field: labelNode.flatMap { nodes[$0].labels }, schemaLocation: node.location))
        }
        // Members in any order: the catalog sorts the failures by pointer, and no two members
        // can fail at the same pointer.
        var requiredFound = 0
        for (name, member) in members {
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
            for name in node.required where members[name] == nil {
                failures.append(
                    ValidationFailure(
                        pointer: JSONPointer(tokens: path + [name]), keyword: "required",
                        reason: .missingMember(name: name),
                        field: node.properties[name].flatMap { nodes[$0].labels }, schemaLocation: node.location))
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

    private func evaluateString(_ text: String, _ node: SchemaNode, _ fail: (String, ValidationReason) -> Void) {
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
