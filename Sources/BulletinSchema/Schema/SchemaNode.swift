import Foundation

/// One compiled schema object. Children and references are indices into the catalog's node table,
/// so the compiled form is a flat array: no reference cycles.
///
/// A class so that the evaluator, which visits nodes for every value of every bulletin, reads
/// them in place instead of copying some thirty fields per visit. `@unchecked Sendable`: nodes are
/// written only by `SchemaCompiler` while the catalog loads, and only read once it is returned.
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

    // MARK: - What the evaluator reads first (set once by ``prepareForEvaluation()``)

    /// Which keywords this node has beyond `$ref`: the evaluator tests a bit before it reads a
    /// keyword, so a node pays nothing (no copy, no reference count) for what it does not say.
    private(set) var keywords: Keywords = []
    /// The types ``types`` admits, one bit per ``JSONType`` (`number` admitting `integer`), so that
    /// the type of each value is checked without reading the list.
    private(set) var admittedTypes: UInt8 = 0
    /// ``labels`` is not `nil` (reading the labels to compare them copies three strings).
    private(set) var hasLabels = false
    /// ``properties`` with whether each member is ``required``: one lookup per member of an
    /// object answers both, and a missing member is looked for only when fewer were found.
    private(set) var members: [String: Member] = [:]

    /// The keywords the evaluator tests by bit.
    struct Keywords: OptionSet {
        let rawValue: UInt32
        static let types = Keywords(rawValue: 1 << 0)
        static let allOf = Keywords(rawValue: 1 << 1)
        static let oneOf = Keywords(rawValue: 1 << 2)
        static let enumeration = Keywords(rawValue: 1 << 3)
        static let valueSince = Keywords(rawValue: 1 << 4)
        static let constant = Keywords(rawValue: 1 << 5)
        static let check = Keywords(rawValue: 1 << 6)
        static let stringRules = Keywords(rawValue: 1 << 7)
        static let numberRules = Keywords(rawValue: 1 << 8)
        static let arrayRules = Keywords(rawValue: 1 << 9)
        static let objectRules = Keywords(rawValue: 1 << 10)
        static let ordered = Keywords(rawValue: 1 << 11)
        static let distinct = Keywords(rawValue: 1 << 12)
        static let since = Keywords(rawValue: 1 << 13)
    }

    /// A member of ``properties``: its node, and whether the object requires it.
    struct Member {
        let node: Int
        let isRequired: Bool
    }

    /// Computes ``keywords``, ``admittedTypes``, ``hasLabels`` and ``members`` from the keywords compiled so far;
    /// called once per node when the catalog has finished loading.
    func prepareForEvaluation() {
        var keywords: Keywords = []
        if types != nil { keywords.insert(.types) }
        if !allOf.isEmpty { keywords.insert(.allOf) }
        if !oneOf.isEmpty { keywords.insert(.oneOf) }
        if enumeration != nil { keywords.insert(.enumeration) }
        if !valueSince.isEmpty { keywords.insert(.valueSince) }
        if constant != nil { keywords.insert(.constant) }
        if check != nil { keywords.insert(.check) }
        if minLength != nil || maxLength != nil || pattern != nil || format != nil { keywords.insert(.stringRules) }
        if minimum != nil || maximum != nil { keywords.insert(.numberRules) }
        if minItems != nil || maxItems != nil || uniqueItems || items != nil { keywords.insert(.arrayRules) }
        if minProperties != nil || !required.isEmpty || !properties.isEmpty || closed { keywords.insert(.objectRules) }
        if !ordered.isEmpty { keywords.insert(.ordered) }
        if !distinct.isEmpty { keywords.insert(.distinct) }
        if since != nil { keywords.insert(.since) }
        self.keywords = keywords
        admittedTypes = (types ?? []).reduce(0) { mask, type in
            mask | type.bit | (type == .number ? JSONType.integer.bit : 0)
        }
        hasLabels = labels != nil
        let required = Set(required)
        members = properties.mapValues { Member(node: $0, isRequired: false) }
        for (name, node) in properties where required.contains(name) {
            members[name] = Member(node: node, isRequired: true)
        }
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
