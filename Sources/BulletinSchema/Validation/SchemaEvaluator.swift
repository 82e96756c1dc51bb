import Foundation

/// Runs compiled schema nodes over a parsed value and collects every failure (not only the first),
/// so an officer can fix a bulletin in one pass.
struct SchemaEvaluator: Sendable {
    let nodes: [SchemaNode]

    /// In-place applicators are acyclic (checked at load) and values are at most 64 deep, so this
    /// bound is only a second line of defence.
    private static let maximumEvaluationDepth = 512

    func evaluate(_ value: JSONValue, against index: Int, at pointer: JSONPointer) -> [ValidationFailure] {
        var failures: [ValidationFailure] = []
        var path = pointer.tokens
        evaluate(value, index, &path, labelledBy: nodes[index].labels == nil ? nil : index, depth: 0, into: &failures)
        return failures
    }

    /// Evaluates `value` at `path` (the pointer's tokens, extended and restored in place, so that
    /// a valid bulletin costs no pointer allocations) against node `index`; `labelledBy` is the
    /// nearest node above with labels, named by failures that have none closer.
    private func evaluate(
        _ value: JSONValue, _ index: Int, _ path: inout [String], labelledBy labelNode: Int?, depth: Int,
        into failures: inout [ValidationFailure]
    ) {
        let node = nodes[index]
        let labelNode = node.labels == nil ? labelNode : index
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

        if let reference = node.reference {
            evaluate(value, reference, &path, labelledBy: labelNode, depth: depth + 1, into: &failures)
        }
        for sub in node.allOf {
            evaluate(value, sub, &path, labelledBy: labelNode, depth: depth + 1, into: &failures)
        }
        if !node.oneOf.isEmpty {
            var matched = 0
            var closest: [ValidationFailure]?
            for sub in node.oneOf {
                var branch: [ValidationFailure] = []
                evaluate(value, sub, &path, labelledBy: labelNode, depth: depth + 1, into: &branch)
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

        let actual = value.schemaType
        if let types = node.types, !types.contains(where: { $0.admits(actual) }) {
            fail("type", .wrongType(expected: types, found: actual))
            return
        }
        if let enumeration = node.enumeration, node.enumerationSet?.contains(value) == false {
            fail("enum", .notInEnumeration(allowed: enumeration.map(\.description), found: value.abbreviated()))
        }
        if let constant = node.constant, constant != value {
            fail("const", .notConstant(expected: constant.description, found: value.abbreviated()))
        }
        if let check = node.check {
            for finding in check.findings(for: value) {
                fail("x-check", .checkFailed(check: check, problem: finding.problem),
                     at: finding.element.map { JSONPointer(tokens: path + [String($0)]) })
            }
        }

        switch value {
        case .string(let text):
            evaluateString(text, node) { fail($0, $1) }
        case .integer, .decimal:
            if let number = value.numberValue {
                if let minimum = node.minimum, number < minimum {
                    fail("minimum", .belowMinimum(minimum: minimum, found: value.description))
                }
                if let maximum = node.maximum, number > maximum {
                    fail("maximum", .aboveMaximum(maximum: maximum, found: value.description))
                }
            }
        case .array(let elements):
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
                        fail("uniqueItems", .duplicateItems(first: earlier, second: position), at: JSONPointer(tokens: path + [String(position)]))
                        break
                    }
                    seen[element] = position
                }
            }
            if let items = node.items {
                for (position, element) in elements.enumerated() {
                    path.append(String(position))
                    evaluate(element, items, &path, labelledBy: nil, depth: depth + 1, into: &failures)
                    path.removeLast()
                }
            }
        case .object(let members):
            if let minimum = node.minProperties, members.count < minimum {
                fail("minProperties", .tooFewMembers(minimum: minimum, found: members.count))
            }
            for name in node.required where members[name] == nil {
                failures.append(
                    ValidationFailure(
                        pointer: JSONPointer(tokens: path + [name]), keyword: "required", reason: .missingMember(name: name),
                        field: node.properties[name].flatMap { nodes[$0].labels }, schemaLocation: node.location))
            }
            // Members in any order: the catalog sorts the failures by pointer, and no two members
            // can fail at the same pointer.
            for (name, member) in members {
                if let property = node.properties[name] {
                    path.append(name)
                    evaluate(member, property, &path, labelledBy: nil, depth: depth + 1, into: &failures)
                    path.removeLast()
                } else if node.closed {
                    failures.append(
                        ValidationFailure(
                            pointer: JSONPointer(tokens: path + [name]), keyword: "additionalProperties",
                            reason: .unknownMember(name: name), field: nil, schemaLocation: node.location))
                }
            }
        case .null, .bool:
            break
        }
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
