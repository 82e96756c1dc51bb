/// One line of a bulletin's details as a reader sees them: the field's label in the reader's
/// language and its value, an enumerated value shown by its label («مطلوب للقبض عليه», not
/// `wanted-for-arrest`). What `bordernet feed --lang` prints and a console page would show.
///
/// ``value`` is the bulletin's own text where it is free text: it comes from another state's
/// node and must be neutralised (``DisplayText/neutralised(_:keepingLineBreaks:)``) before it is
/// displayed. Labels come from this node's schemas.
public struct LabelledValue: Sendable, Hashable {
    /// Nesting level: 0 for a member of `details`, 1 for a member of one of its objects…
    public let depth: Int
    /// The field's label in the chosen language (the member name when the schema has none).
    public let label: String
    /// The value as text; `nil` for an object or an element of an array of objects, whose
    /// members follow one level deeper.
    public let value: String?

    /// A line; ``SchemaCatalog/labelledDetails(of:in:)`` builds these from a bulletin.
    public init(depth: Int, label: String, value: String?) {
        self.depth = depth
        self.label = label
        self.value = value
    }
}

/// Walks a bulletin's details beside the schema that validated them.
struct ValueLabeller {
    let nodes: [SchemaNode]
    let language: Language
    /// Deeper levels are summarised: schemas nest at most five levels, values may not.
    private static let maximumDepth = 8
    /// A bounded report for a bounded bulletin (64 KiB cannot hold more than this many values
    /// worth reading).
    private static let maximumLines = 2_000

    func lines(of details: JSONValue, root: Int) -> [LabelledValue] {
        var out: [LabelledValue] = []
        members(of: details, node: root, depth: 0, into: &out)
        return out
    }

    private func members(of value: JSONValue, node: Int?, depth: Int, into out: inout [LabelledValue]) {
        guard let object = value.objectValue else { return }
        let merged = node.map(flatten) ?? []
        var order: [String] = []
        for index in merged { order += nodes[index].propertyOrder.filter { object[$0] != nil && !order.contains($0) } }
        order += object.keys.sorted().filter { !order.contains($0) }
        for name in order {
            guard let member = object[name] else { continue }
            let child = merged.lazy.compactMap { self.nodes[$0].properties[name] }.first
            add(member, node: child, label: label(of: child) ?? name, depth: depth, into: &out)
        }
    }

    private func add(_ value: JSONValue, node: Int?, label: String, depth: Int, into out: inout [LabelledValue]) {
        guard out.count < ValueLabeller.maximumLines else { return }
        guard depth < ValueLabeller.maximumDepth else {
            out.append(LabelledValue(depth: depth, label: label, value: "…"))
            return
        }
        let merged = node.map(flatten) ?? []
        switch value {
        case .object:
            out.append(LabelledValue(depth: depth, label: label, value: nil))
            members(of: value, node: node, depth: depth + 1, into: &out)
        case .array(let elements):
            let items = merged.lazy.compactMap { self.nodes[$0].items }.first
            if elements.allSatisfy({ $0.objectValue == nil && $0.arrayValue == nil }) {
                let itemNodes = items.map(flatten) ?? []
                out.append(LabelledValue(depth: depth, label: label, value: elements.map { text(of: $0, nodes: itemNodes) }.joined(separator: ", ")))
            } else {
                for (index, element) in elements.enumerated() {
                    add(element, node: items, label: "\(label) \(index + 1)", depth: depth, into: &out)
                }
            }
        default:
            out.append(LabelledValue(depth: depth, label: label, value: text(of: value, nodes: merged)))
        }
    }

    /// An enumerated value's label, else the value itself (a string as is, other scalars as JSON).
    private func text(of value: JSONValue, nodes merged: [Int]) -> String {
        let key = SchemaCompiler.valueKey(value)
        if let labels = merged.lazy.compactMap({ self.nodes[$0].valueLabels[key] }).first { return labels[language] }
        return key
    }

    private func label(of node: Int?) -> String? {
        guard let node else { return nil }
        return flatten(node).lazy.compactMap { self.nodes[$0].labels }.first?[language]
    }

    /// The node and those it applies in place through `$ref` and `allOf`.
    private func flatten(_ index: Int) -> [Int] {
        nodes.appliedInPlace(from: index)
    }
}
