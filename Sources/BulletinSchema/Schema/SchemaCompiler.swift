import Foundation

/// Turns parsed schema files into the flat node table the evaluator runs on. Every keyword is
/// checked here, once, so that evaluation never meets a surprise: an unknown keyword, a malformed
/// value, an unresolved `$ref` or a reference cycle stops the load with the file and pointer.
struct SchemaCompiler {
    /// Whether every `enum` must carry `x-enum-labels`: from schema version 1.1, which labelled
    /// them all. Files of 1.0 (still deployed, and loaded by tests of a mixed region) have none.
    let requiresValueLabels: Bool
    private(set) var nodes: [SchemaNode] = []
    /// `absolute URI#pointer` → node, for every schema object compiled.
    private var locations: [String: Int] = [:]
    private var pending: [PendingReference] = []
    /// Members given only by `$ref`, whose labels come from the schema they refer to: checked by
    /// ``finish()`` once references are resolved.
    private var inheritedLabels: [(node: Int, file: String, pointer: JSONPointer)] = []

    init(requiresValueLabels: Bool) {
        self.requiresValueLabels = requiresValueLabels
    }

    private struct PendingReference {
        let node: Int
        let reference: String
        let base: String
        let file: String
        let pointer: JSONPointer
    }

    /// Compiles one file whose `$id` is `id`; returns the node of its root.
    mutating func compile(document: JSONValue, file: String, id: String) throws(SchemaLoadError) -> Int {
        try compile(document, file: file, base: id, pointer: .root)
    }

    /// Resolves every `$ref` once all files are compiled, then refuses reference cycles.
    mutating func finish() throws(SchemaLoadError) {
        for reference in pending {
            let target = SchemaCompiler.resolve(reference.reference, against: reference.base)
            guard let index = locations[target] else {
                throw .unresolvedReference(
                    file: reference.file, pointer: reference.pointer.description, reference: reference.reference)
            }
            nodes[reference.node].reference = index
        }
        pending = []
        try refuseCycles()
        try requireInheritedLabels()
        resolveLineBreaks()
    }

    /// A member given only by `$ref` takes the labels and descriptions of what it refers to; that
    /// target (or one it refers to in turn) must carry them, so no field is ever shown unlabelled.
    private mutating func requireInheritedLabels() throws(SchemaLoadError) {
        for member in inheritedLabels {
            var index = member.node
            var labelled = false
            for _ in 0..<nodes.count {
                if nodes[index].labels != nil, nodes[index].descriptions != nil {
                    labelled = true
                    break
                }
                guard let next = nodes[index].reference else { break }
                index = next
            }
            guard labelled else {
                throw .missingTranslations(file: member.file, pointer: member.pointer.description, keyword: "x-labels/x-descriptions")
            }
        }
        inheritedLabels = []
    }

    /// Sets `allowsLineBreaks` on every node that says `"x-text": "multiline"` itself or through
    /// the nodes it applies in place by `$ref` or `allOf` (not `oneOf`: one alternative cannot
    /// grant what the others do not). Runs after `refuseCycles`, so the walk terminates.
    private func resolveLineBreaks() {
        func allows(_ index: Int, _ depth: Int) -> Bool {
            let node = nodes[index]
            if node.declaresMultiline { return true }
            guard depth < nodes.count else { return false }
            return (node.reference.map { [$0] } ?? []).contains { allows($0, depth + 1) }
                || node.allOf.contains { allows($0, depth + 1) }
        }
        for index in nodes.indices {
            nodes[index].allowsLineBreaks = allows(index, 0)
        }
    }

    /// `source` with every `$` anchor rewritten as `\z`, so that it matches only at the very end
    /// of the string.
    ///
    /// JSON Schema patterns are ECMA-262 regular expressions, where `$` (without the multiline
    /// flag) is the end of the input. ICU, behind `NSRegularExpression`, also lets `$` match
    /// *before a final line terminator* (`\n`, `\r\n`, VT, FF, U+0085, U+2028, U+2029), so
    /// `^[A-Z]{2}-…$` accepted an id with a trailing line feed, and two ids that print alike would
    /// not compare equal. Rewriting at compile time fixes every pattern of every file at once.
    /// `$` escaped (`\$`), inside a character class (`[$]`) or inside `\Q…\E` is a literal and
    /// is left alone.
    static func endAnchoredAtEndOfInput(_ source: String) -> String {
        var out = ""
        var classDepth = 0
        var quoting = false
        var iterator = source.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if quoting {
                out.unicodeScalars.append(scalar)
                if scalar == "\\", let next = iterator.next() {
                    out.unicodeScalars.append(next)
                    if next == "E" { quoting = false }
                }
                continue
            }
            switch scalar {
            case "\\":
                out.unicodeScalars.append(scalar)
                if let next = iterator.next() {
                    out.unicodeScalars.append(next)
                    if next == "Q" { quoting = true }
                }
            case "[":
                classDepth += 1
                out.unicodeScalars.append(scalar)
            case "]" where classDepth > 0:
                classDepth -= 1
                out.unicodeScalars.append(scalar)
            case "$" where classDepth == 0:
                out += "\\z"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The node compiled at `uri` (`absolute URI#pointer`), if any.
    func node(at uri: String) -> Int? {
        locations[uri]
    }

    // MARK: - Compilation

    private mutating func compile(_ value: JSONValue, file: String, base: String, pointer: JSONPointer) throws(SchemaLoadError) -> Int {
        guard let members = value.objectValue else {
            throw .invalidKeywordValue(
                file: file, pointer: pointer.description, keyword: pointer.tokens.last ?? "(root)",
                expected: "a schema object (boolean schemas are not supported)")
        }
        let index = nodes.count
        nodes.append(SchemaNode(location: "\(file)#\(pointer)"))
        locations[base + "#" + pointer.description] = index
        let node = SchemaNode(location: "\(file)#\(pointer)")

        func invalid(_ keyword: String, _ expected: String) -> SchemaLoadError {
            .invalidKeywordValue(file: file, pointer: pointer.appending(keyword).description, keyword: keyword, expected: expected)
        }
        func count(_ keyword: String) throws(SchemaLoadError) -> Int? {
            guard let value = members[keyword] else { return nil }
            guard case .integer(let number) = value, number >= 0, number <= Int64(Int32.max) else {
                throw invalid(keyword, "a non-negative integer")
            }
            return Int(number)
        }

        for keyword in members.keys.sorted() where !SchemaKeyword.all.contains(keyword) {
            throw .unsupportedKeyword(file: file, pointer: pointer.description, keyword: keyword)
        }
        if !pointer.tokens.isEmpty {
            for keyword in ["$id", "$schema", "x-schema-version"] where members[keyword] != nil {
                throw invalid(keyword, "only at the root of a file (embedded resources are not supported)")
            }
        }

        if let type = members["type"] {
            let names: [String]
            switch type {
            case .string(let name): names = [name]
            case .array(let elements): names = elements.compactMap(\.stringValue)
                guard names.count == elements.count, !names.isEmpty else { throw invalid("type", "a type name or a non-empty array of type names") }
            default: throw invalid("type", "a type name or an array of type names")
            }
            var types: [JSONType] = []
            for name in names {
                guard let type = JSONType(rawValue: name) else {
                    throw invalid("type", "one of \(JSONType.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(name)\"")
                }
                types.append(type)
            }
            node.types = types
        }

        if let properties = members["properties"] {
            guard let entries = properties.objectValue else { throw invalid("properties", "an object of schemas") }
            // JSONValue objects are unordered; the file order is recovered from the order of
            // "required" first, then alphabetical, which is stable and good enough for display.
            for name in entries.keys.sorted() {
                guard let entry = entries[name] else { continue }
                let childPointer = pointer.appending("properties").appending(name)
                let inherits = try requireTranslations(entry, file: file, pointer: childPointer)
                let child = try compile(entry, file: file, base: base, pointer: childPointer)
                if inherits { inheritedLabels.append((child, file, childPointer)) }
                node.properties[name] = child
            }
        }

        if let required = members["required"] {
            guard let names = required.arrayValue?.compactMap(\.stringValue),
                names.count == required.arrayValue?.count, Set(names).count == names.count
            else { throw invalid("required", "an array of distinct property names") }
            if members["properties"] != nil {
                for name in names where node.properties[name] == nil {
                    throw invalid("required", "names declared in \"properties\" (\"\(name)\" is not)")
                }
            }
            node.required = names
        }
        node.propertyOrder = node.required + node.properties.keys.sorted().filter { !node.required.contains($0) }

        if let additional = members["additionalProperties"] {
            guard additional == .bool(false) else {
                throw invalid("additionalProperties", "false (only closed objects are supported)")
            }
            node.closed = true
        }
        node.minProperties = try count("minProperties")

        if let enumeration = members["enum"] {
            guard let values = enumeration.arrayValue, !values.isEmpty else { throw invalid("enum", "a non-empty array") }
            node.enumeration = values
            node.enumerationSet = Set(values)
            if requiresValueLabels || members["x-enum-labels"] != nil {
                node.valueLabels = try SchemaCompiler.valueLabels(members["x-enum-labels"], of: values, file: file, pointer: pointer)
            }
        } else if members["x-enum-labels"] != nil {
            throw invalid("x-enum-labels", "beside an \"enum\" (it labels the enumeration's values)")
        }
        node.constant = members["const"]

        if let pattern = members["pattern"] {
            guard let source = pattern.stringValue else { throw invalid("pattern", "a regular expression string") }
            do {
                node.pattern = try NSRegularExpression(pattern: SchemaCompiler.endAnchoredAtEndOfInput(source))
            } catch {
                throw invalid("pattern", "a valid regular expression (\(source) does not compile)")
            }
            node.patternSource = source
        }

        if let format = members["format"] {
            guard let name = format.stringValue, let known = StringFormat(rawValue: name) else {
                throw invalid("format", "one of \(SchemaKeyword.formats.sorted().joined(separator: ", "))")
            }
            node.format = known
        }

        for keyword in ["minimum", "maximum"] {
            guard let bound = members[keyword] else { continue }
            guard let number = bound.numberValue else { throw invalid(keyword, "a number") }
            if keyword == "minimum" { node.minimum = number } else { node.maximum = number }
        }
        node.minLength = try count("minLength")
        node.maxLength = try count("maxLength")
        node.minItems = try count("minItems")
        node.maxItems = try count("maxItems")

        if let unique = members["uniqueItems"] {
            guard case .bool(let flag) = unique else { throw invalid("uniqueItems", "true or false") }
            node.uniqueItems = flag
        }

        if let items = members["items"] {
            node.items = try compile(items, file: file, base: base, pointer: pointer.appending("items"))
        }

        if let definitions = members["$defs"] {
            guard let entries = definitions.objectValue else { throw invalid("$defs", "an object of schemas") }
            for name in entries.keys.sorted() {
                guard let entry = entries[name] else { continue }
                _ = try compile(entry, file: file, base: base, pointer: pointer.appending("$defs").appending(name))
            }
        }

        for keyword in ["allOf", "oneOf"] {
            guard let list = members[keyword] else { continue }
            guard let schemas = list.arrayValue, !schemas.isEmpty else { throw invalid(keyword, "a non-empty array of schemas") }
            var compiled: [Int] = []
            for (position, schema) in schemas.enumerated() {
                compiled.append(try compile(schema, file: file, base: base, pointer: pointer.appending(keyword).appending(position)))
            }
            if keyword == "allOf" { node.allOf = compiled } else { node.oneOf = compiled }
        }

        if let reference = members["$ref"] {
            guard let text = reference.stringValue else { throw invalid("$ref", "a URI reference string") }
            pending.append(PendingReference(node: index, reference: text, base: base, file: file, pointer: pointer.appending("$ref")))
        }

        if let check = members["x-check"] {
            guard let name = check.stringValue, let known = XCheck(rawValue: name) else {
                throw invalid("x-check", "one of \(XCheck.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            node.check = known
        }

        func version(_ text: JSONValue?, _ keyword: String) throws(SchemaLoadError) -> SchemaVersion {
            let parts = text?.stringValue?.split(separator: ".", omittingEmptySubsequences: false) ?? []
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                let major = Int(parts[0]), let minor = Int(parts[1])
            else { throw invalid(keyword, "a version \"MAJOR.MINOR\" such as \"1.1\"") }
            return SchemaVersion(major: major, minor: minor, patch: 0)
        }
        if let since = members["x-since"] {
            // Enforced where a value is entered by name: a member of `properties`, or the root of
            // an incident file (checked by the catalog). Anywhere else it would be ignored, so it
            // is refused.
            let tokens = pointer.tokens
            guard tokens.isEmpty || (tokens.count >= 2 && tokens[tokens.count - 2] == "properties") else {
                throw invalid("x-since", "on a member of \"properties\" or at the root of an incident file, where it is enforced")
            }
            node.since = try version(since, "x-since")
        }
        if let valueSince = members["x-enum-since"] {
            guard let entries = valueSince.objectValue, let values = node.enumeration else {
                throw invalid("x-enum-since", "an object of enumeration values and versions, beside an \"enum\"")
            }
            for (key, text) in entries {
                guard let value = values.first(where: { SchemaCompiler.valueKey($0) == key }) else {
                    throw invalid("x-enum-since", "versions of values of \"enum\" only (not \(key))")
                }
                node.valueSince[value] = try version(text, "x-enum-since")
            }
        }

        if let text = members["x-text"] {
            guard text == .string("multiline") else { throw invalid("x-text", "\"multiline\" (single-line is the default)") }
            node.declaresMultiline = true
        }
        func pairs(_ keyword: String) throws(SchemaLoadError) -> [(String, String)] {
            guard let list = members[keyword] else { return [] }
            var result: [(String, String)] = []
            for pair in list.arrayValue ?? [] {
                guard let names = pair.arrayValue?.compactMap(\.stringValue), names.count == 2,
                    pair.arrayValue?.count == 2, names[0] != names[1]
                else { break }
                for name in names where node.properties[name] == nil {
                    throw invalid(keyword, "names declared in \"properties\" (\"\(name)\" is not)")
                }
                result.append((names[0], names[1]))
            }
            guard let count = list.arrayValue?.count, count > 0, result.count == count else {
                throw invalid(keyword, "a non-empty array of pairs of two different member names")
            }
            return result
        }
        node.ordered = try pairs("x-ordered").map { (lesser: $0.0, greater: $0.1) }
        node.distinct = try pairs("x-distinct").map { (member: $0.0, other: $0.1) }

        for keyword in ["x-labels", "x-descriptions"] where members[keyword] != nil {
            guard LocalizedText(members[keyword]) != nil,
                members[keyword]?.objectValue?.keys.allSatisfy({ Language(rawValue: $0) != nil }) == true
            else { throw .missingTranslations(file: file, pointer: pointer.description, keyword: keyword) }
        }
        node.labels = LocalizedText(members["x-labels"])
        node.descriptions = LocalizedText(members["x-descriptions"])

        nodes[index] = node
        return index
    }

    /// Every field (a member of `properties`) must be labelled and described in the three
    /// languages. A member that is only a `$ref` (with nothing but annotations beside it) may
    /// leave both out and inherit them from its target: returns `true` for such a member, whose
    /// target ``finish()`` checks.
    private func requireTranslations(_ schema: JSONValue, file: String, pointer: JSONPointer) throws(SchemaLoadError) -> Bool {
        let labels = LocalizedText(schema["x-labels"]), descriptions = LocalizedText(schema["x-descriptions"])
        if labels != nil, descriptions != nil { return false }
        let onlyReference = schema["$ref"] != nil && schema["x-labels"] == nil && schema["x-descriptions"] == nil
            && (schema.objectValue?.keys.allSatisfy { ["$ref", "$comment", "x-since"].contains($0) } ?? false)
        if onlyReference { return true }
        throw .missingTranslations(file: file, pointer: pointer.description, keyword: labels == nil ? "x-labels" : "x-descriptions")
    }

    /// Reads `x-enum-labels`: exactly one ar/fr/en label per value of the enumeration, keyed by
    /// the value's text. Every enumeration must have it, so Arabic and French readers never see
    /// a bare code such as `wanted-for-arrest`.
    private static func valueLabels(
        _ declared: JSONValue?, of values: [JSONValue], file: String, pointer: JSONPointer
    ) throws(SchemaLoadError) -> [String: LocalizedText] {
        let location = pointer.appending("x-enum-labels").description
        guard let entries = declared?.objectValue else {
            throw .missingValueLabels(file: file, pointer: location, values: values.map(valueKey))
        }
        var labels: [String: LocalizedText] = [:]
        for value in values {
            let key = valueKey(value)
            guard let label = LocalizedText(entries[key]) else {
                throw .missingValueLabels(file: file, pointer: location, values: [key])
            }
            labels[key] = label
        }
        let extra = Set(entries.keys).subtracting(labels.keys)
        guard extra.isEmpty else {
            throw .invalidKeywordValue(
                file: file, pointer: location, keyword: "x-enum-labels",
                expected: "labels for the values of \"enum\" only (not \(extra.sorted().joined(separator: ", ")))")
        }
        return labels
    }

    /// The text an enumeration value is labelled under: the string itself, or the JSON of a
    /// number, boolean or null.
    static func valueKey(_ value: JSONValue) -> String {
        value.stringValue ?? value.description
    }

    // MARK: - References

    /// Resolves a `$ref` against the `$id` of its file: `#/…` stays in the file, a relative path
    /// (`../common.schema.json#/$defs/x`) is resolved like a URL path, an absolute URI is taken as is.
    static func resolve(_ reference: String, against base: String) -> String {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts.first.map(String.init) ?? ""
        let fragment = parts.count > 1 ? String(parts[1]) : ""
        let uri: String
        if path.isEmpty {
            uri = base
        } else if path.contains("://") {
            uri = path
        } else {
            uri = join(base: base, relative: path)
        }
        return uri + "#" + fragment
    }

    private static func join(base: String, relative: String) -> String {
        guard let scheme = base.range(of: "://") else { return relative }
        let afterScheme = base[scheme.upperBound...]
        guard let slash = afterScheme.firstIndex(of: "/") else { return base + "/" + relative }
        let authority = String(base[..<slash])
        var segments = afterScheme[slash...].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        segments.removeLast()  // the file name of the base
        for segment in relative.split(separator: "/", omittingEmptySubsequences: false) {
            switch segment {
            case ".": continue
            case "..": if segments.count > 1 { segments.removeLast() }
            default: segments.append(String(segment))
            }
        }
        return authority + segments.joined(separator: "/")
    }

    private func refuseCycles() throws(SchemaLoadError) {
        // 0 = unvisited, 1 = on the current path, 2 = done.
        var state = [UInt8](repeating: 0, count: nodes.count)
        for start in nodes.indices where state[start] == 0 {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last {
                let edges = nodes[top.node].inPlace
                if top.next < edges.count {
                    stack[stack.count - 1].next += 1
                    let child = edges[top.next]
                    switch state[child] {
                    case 1: throw .referenceCycle(location: nodes[child].location)
                    case 0:
                        state[child] = 1
                        stack.append((child, 0))
                    default: break
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
    }
}
