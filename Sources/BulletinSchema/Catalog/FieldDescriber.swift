/// Builds ``FieldDescription`` trees from compiled nodes, looking through `$ref` and `allOf`
/// so a field shows what it accepts, not how the schema is factored.
///
/// One describer serves a whole load: the labelled values of an enumeration are built once and
/// shared by every field that uses it (the 249 countries appear in some hundred fields of the
/// twenty types; one copy each would cost a node megabytes it never reads).
final class FieldDescriber {
    let nodes: [SchemaNode]
    private static let maximumDepth = 6
    private var allowedValuesByNode: [Int: [AllowedValue]] = [:]
    private var fieldsByNode: [SubtreeKey: [FieldDescription]] = [:]

    init(nodes: [SchemaNode]) {
        self.nodes = nodes
    }

    func fields(of index: Int, depth: Int = 0) -> [FieldDescription] {
        guard depth < FieldDescriber.maximumDepth else { return [] }
        // The same definition (an observable, a route) is described once per depth and shared.
        let key = SubtreeKey(node: index, depth: depth)
        if let known = fieldsByNode[key] { return known }
        let described = describeFields(of: index, depth: depth)
        fieldsByNode[key] = described
        return described
    }

    private struct SubtreeKey: Hashable {
        let node: Int
        let depth: Int
    }

    private func describeFields(of index: Int, depth: Int) -> [FieldDescription] {
        let merged = flatten(index)
        let required = Set(merged.flatMap { nodes[$0].required })
        var properties: [(String, Int)] = []
        var seen: Set<String> = []
        for node in merged {
            for name in nodes[node].propertyOrder where !seen.contains(name) {
                if let property = nodes[node].properties[name] {
                    seen.insert(name)
                    properties.append((name, property))
                }
            }
        }
        return properties.map { name, property in
            self.describe(name: name, index: property, required: required.contains(name), depth: depth)
        }
    }

    private func describe(name: String, index: Int, required: Bool, depth: Int) -> FieldDescription {
        let nodes = self.nodes
        let merged = flatten(index)
        let types = merged.lazy.compactMap { nodes[$0].types }.first ?? []
        var valueNodes = merged
        if types == [.array], let items = merged.lazy.compactMap({ nodes[$0].items }).first {
            valueNodes = flatten(items)
        }
        let allowed = valueNodes.first { nodes[$0].enumeration != nil }.map(allowedValues(of:)) ?? []
        let check = merged.lazy.compactMap { nodes[$0].check }.first
            ?? valueNodes.lazy.compactMap { nodes[$0].check }.first
        let hasFields = valueNodes.contains { !nodes[$0].properties.isEmpty }
        let empty = LocalizedText(ar: name, fr: name, en: name)
        return FieldDescription(
            name: name,
            labels: merged.lazy.compactMap { nodes[$0].labels }.first ?? empty,
            descriptions: merged.lazy.compactMap { nodes[$0].descriptions }.first ?? empty,
            required: required, types: types, allowedValues: allowed, check: check,
            fields: hasFields ? fields(of: valueNodes[0], depth: depth + 1) : [],
            addedIn: nodes[index].since)
    }

    /// The values of the enumeration of `node` with their labels, built once per node.
    private func allowedValues(of node: Int) -> [AllowedValue] {
        if let known = allowedValuesByNode[node] { return known }
        let values = (nodes[node].enumeration ?? []).map { value -> AllowedValue in
            let key = SchemaCompiler.valueKey(value)
            return AllowedValue(
                value: key, labels: nodes[node].valueLabels[key] ?? LocalizedText(ar: key, fr: key, en: key),
                addedIn: nodes[node].valueSince[value])
        }
        allowedValuesByNode[node] = values
        return values
    }

    /// The node and every node it applies in place through `$ref` and `allOf`, depth first.
    private func flatten(_ index: Int) -> [Int] {
        nodes.appliedInPlace(from: index)
    }
}
