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
        evaluate(value, index, pointer, label: nodes[index].labels, depth: 0, into: &failures)
        return failures
    }

    private func evaluate(
        _ value: JSONValue, _ index: Int, _ pointer: JSONPointer, label: LocalizedText?, depth: Int,
        into failures: inout [ValidationFailure]
    ) {
        let node = nodes[index]
        let label = node.labels ?? label
        func fail(_ keyword: String, _ reason: ValidationReason, at place: JSONPointer? = nil, field: LocalizedText? = nil) {
            failures.append(
                ValidationFailure(
                    pointer: place ?? pointer, keyword: keyword, reason: reason, field: field ?? label,
                    schemaLocation: node.location))
        }
        guard depth < SchemaEvaluator.maximumEvaluationDepth else {
            fail("$ref", .malformedJSON(detail: "schema evaluation nested too deeply"))
            return
        }

        if let reference = node.reference {
            evaluate(value, reference, pointer, label: label, depth: depth + 1, into: &failures)
        }
        for sub in node.allOf {
            evaluate(value, sub, pointer, label: label, depth: depth + 1, into: &failures)
        }
        if !node.oneOf.isEmpty {
            var matched = 0
            var closest: [ValidationFailure]?
            for sub in node.oneOf {
                var branch: [ValidationFailure] = []
                evaluate(value, sub, pointer, label: label, depth: depth + 1, into: &branch)
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
                     at: finding.element.map { pointer.appending($0) })
            }
        }

        switch value {
        case .string(let text):
            evaluateString(text, node, fail)
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
                        fail("uniqueItems", .duplicateItems(first: earlier, second: position), at: pointer.appending(position))
                        break
                    }
                    seen[element] = position
                }
            }
            if let items = node.items {
                for (position, element) in elements.enumerated() {
                    evaluate(element, items, pointer.appending(position), label: nil, depth: depth + 1, into: &failures)
                }
            }
        case .object(let members):
            if let minimum = node.minProperties, members.count < minimum {
                fail("minProperties", .tooFewMembers(minimum: minimum, found: members.count))
            }
            for name in node.required where members[name] == nil {
                failures.append(
                    ValidationFailure(
                        pointer: pointer.appending(name), keyword: "required", reason: .missingMember(name: name),
                        field: node.properties[name].flatMap { nodes[$0].labels }, schemaLocation: node.location))
            }
            for name in members.keys.sorted() {
                guard let member = members[name] else { continue }
                if let property = node.properties[name] {
                    evaluate(member, property, pointer.appending(name), label: nil, depth: depth + 1, into: &failures)
                } else if node.closed {
                    failures.append(
                        ValidationFailure(
                            pointer: pointer.appending(name), keyword: "additionalProperties",
                            reason: .unknownMember(name: name), field: nil, schemaLocation: node.location))
                }
            }
        case .null, .bool:
            break
        }
    }

    private func evaluateString(_ text: String, _ node: SchemaNode, _ fail: (String, ValidationReason, JSONPointer?, LocalizedText?) -> Void) {
        if node.minLength != nil || node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum {
                fail("minLength", .tooShort(minimum: minimum, found: length), nil, nil)
            }
            if let maximum = node.maxLength, length > maximum {
                fail("maxLength", .tooLong(maximum: maximum, found: length), nil, nil)
            }
        }
        if let pattern = node.pattern, let source = node.patternSource {
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            if pattern.firstMatch(in: text, options: [], range: range) == nil {
                fail("pattern", .patternMismatch(pattern: source, found: JSONValue.string(text).abbreviated()), nil, nil)
            }
        }
        if let format = node.format, !format.matches(text) {
            fail("format", .invalidFormat(format: format, found: JSONValue.string(text).abbreviated()), nil, nil)
        }
    }
}
