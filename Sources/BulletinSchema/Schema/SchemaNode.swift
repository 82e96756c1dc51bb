import Foundation

/// One compiled schema object. Children and references are indices into the catalog's node table,
/// so the compiled form is a flat array: no reference cycles.
///
/// A class so that the compiler can fill it in place. The evaluator reads an immutable copy
/// (``EvaluatedNode``), made when the catalog is built. `@unchecked Sendable`: nodes are written
/// only by `SchemaCompiler` while the catalog loads, and only read once it is returned.
final class SchemaNode: @unchecked Sendable {
    /// `file#pointer` of the schema object, for messages.
    var location: String
    var types: [JSONType]?
    var properties: [String: Int] = [:]
    /// Property names in the order of the file, for display.
    var propertyOrder: [String] = []
    var required: [String] = []
    var closed = false
    var minProperties: Int?
    var enumeration: [JSONValue]?
    /// The same values, for constant-time membership (country and currency lists are long).
    var enumerationSet: Set<JSONValue>?
    /// `x-enum-labels`: the label of each value of ``enumeration``, keyed by the value's text.
    var valueLabels: [String: LocalizedText] = [:]
    var constant: JSONValue?
    var pattern: NSRegularExpression?
    var patternSource: String?
    var format: StringFormat?
    var minimum: Double?
    var maximum: Double?
    var minLength: Int?
    var maxLength: Int?
    var items: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var reference: Int?
    var allOf: [Int] = []
    var oneOf: [Int] = []
    var check: XCheck?
    /// `"x-text": "multiline"` on this node (before `$ref`/`allOf` are followed).
    var declaresMultiline = false
    /// Whether a string reaching this node may contain LINE FEED and CHARACTER TABULATION: it, or
    /// a node it applies in place through `$ref` or `allOf`, says `"x-text": "multiline"`
    /// (resolved by `SchemaCompiler.finish`).
    var allowsLineBreaks = false
    /// `x-ordered`: pairs of member names, the first at most (no later than) the second.
    var ordered: [(lesser: String, greater: String)] = []
    /// `x-distinct`: pairs of member names that must not be equal.
    var distinct: [(member: String, other: String)] = []
    /// `x-since`: the version that added this member or incident type (patch 0).
    var since: SchemaVersion?
    /// `x-enum-since`: the version that added each of these values of ``enumeration``.
    var valueSince: [JSONValue: SchemaVersion] = [:]
    var labels: LocalizedText?
    var descriptions: LocalizedText?

    init(location: String) {
        self.location = location
    }

    /// The in-place sub-schemas applied to the same value (used for cycle detection and display).
    var inPlace: [Int] {
        (reference.map { [$0] } ?? []) + allOf + oneOf
    }
}

extension Array where Element == SchemaNode {
    /// Node `index` and every node it applies in place through `$ref` and `allOf`, depth first,
    /// each once: what a field accepts, however the schema is factored. Cycles were refused at
    /// load; each node is visited once anyway, so the walk ends.
    func appliedInPlace(from index: Int) -> [Int] {
        var result: [Int] = []
        var stack = [index]
        while let next = stack.popLast() {
            guard !result.contains(next) else { continue }
            result.append(next)
            stack.append(contentsOf: self[next].allOf.reversed())
            if let reference = self[next].reference { stack.append(reference) }
        }
        return result
    }
}
