import Foundation

/// A schema node as the evaluator reads it: what ``SchemaNode`` holds once the catalog has
/// loaded, in constants.
///
/// ``SchemaNode``'s properties are variables, written by ``SchemaCompiler`` while it loads. Swift
/// may check a read of a class's variable at run time for a conflicting access, and must when the
/// module's internals are visible to tests; constants need no check, and let the optimiser drop
/// more reference counting. The evaluator visits a node for every value of every bulletin, so it
/// reads this immutable copy, made once per node when the catalog is built (5 % of a validation
/// in a release build, a quarter in a testable one; docs/PERFORMANCE.md).
/// `@unchecked Sendable` only for `NSRegularExpression`, which matches from any thread; every
/// property is a constant.
final class EvaluatedNode: @unchecked Sendable {
    /// `file#pointer` of the schema object, for messages.
    let location: String
    let types: [JSONType]?
    let properties: [String: Int]
    let required: [String]
    let closed: Bool
    let minProperties: Int?
    let enumeration: [JSONValue]?
    let enumerationSet: Set<JSONValue>?
    let constant: JSONValue?
    let pattern: NSRegularExpression?
    let patternSource: String?
    let format: StringFormat?
    let minimum: Double?
    let maximum: Double?
    let minLength: Int?
    let maxLength: Int?
    let items: Int?
    let minItems: Int?
    let maxItems: Int?
    let uniqueItems: Bool
    let reference: Int?
    let allOf: [Int]
    let oneOf: [Int]
    let check: XCheck?
    let allowsLineBreaks: Bool
    let ordered: [(lesser: String, greater: String)]
    let distinct: [(member: String, other: String)]
    let since: SchemaVersion?
    let valueSince: [JSONValue: SchemaVersion]
    let labels: LocalizedText?

    /// Which keywords this node has beyond `$ref`: the evaluator tests a bit before it reads a
    /// keyword, so a node pays nothing (no copy, no reference count) for what it does not say.
    let keywords: Keywords
    /// The types ``types`` admits, one bit per ``JSONType`` (`number` admitting `integer`), so that
    /// the type of each value is checked without reading the list.
    let admittedTypes: UInt8
    /// ``labels`` is not `nil` (reading the labels to compare them copies three strings).
    let hasLabels: Bool
    /// ``properties`` with whether each member is ``required``: one lookup per member of an
    /// object answers both, and a missing member is looked for only when fewer were found.
    let members: [String: Member]

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

    /// The evaluator's copy of `node`, which the compiler has finished (references resolved,
    /// line breaks resolved).
    init(_ node: SchemaNode) {
        location = node.location
        types = node.types
        properties = node.properties
        required = node.required
        closed = node.closed
        minProperties = node.minProperties
        enumeration = node.enumeration
        enumerationSet = node.enumerationSet
        constant = node.constant
        pattern = node.pattern
        patternSource = node.patternSource
        format = node.format
        minimum = node.minimum
        maximum = node.maximum
        minLength = node.minLength
        maxLength = node.maxLength
        items = node.items
        minItems = node.minItems
        maxItems = node.maxItems
        uniqueItems = node.uniqueItems
        reference = node.reference
        allOf = node.allOf
        oneOf = node.oneOf
        check = node.check
        allowsLineBreaks = node.allowsLineBreaks
        ordered = node.ordered
        distinct = node.distinct
        since = node.since
        valueSince = node.valueSince
        labels = node.labels

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
        admittedTypes = (node.types ?? []).reduce(0) { mask, type in
            mask | type.bit | (type == .number ? JSONType.integer.bit : 0)
        }
        hasLabels = node.labels != nil
        let required = Set(node.required)
        var members = node.properties.mapValues { Member(node: $0, isRequired: false) }
        for (name, index) in node.properties where required.contains(name) {
            members[name] = Member(node: index, isRequired: true)
        }
        self.members = members
    }
}
