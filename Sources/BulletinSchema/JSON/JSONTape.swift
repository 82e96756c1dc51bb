/// A parsed JSON document as one flat array of entries in document order, what validation reads
/// instead of a ``JSONValue`` tree.
///
/// A tree has a dictionary for every object and an array for every array, each allocated,
/// hashed, reference counted and freed again; parsing into one was half the cost of validating a
/// bulletin (docs/PERFORMANCE.md). The tape is two arrays, whatever the document. A value is named by the
/// index of its entry; an object's entry is followed by its members in document order, each a
/// name entry then the member's value; an array's entry by its elements. Every entry knows where
/// the value after it starts (`next`), so a reader steps over a member without reading it.
///
/// The parser guarantees what ``JSONValue`` guarantees: strings unescaped and valid, integers
/// apart from decimals, no member name twice in an object, nesting bounded.
/// ``value(at:)`` builds the ``JSONValue`` of any entry for the callers that need one. Counts
/// and indexes are 32-bit: validation reads at most ``SchemaCatalog/maximumBulletinBytes``.
struct JSONTape: Sendable {
    /// What an entry holds.
    enum Kind: UInt8, Sendable {
        case null, bool, integer, decimal, string, array, object
    }

    /// One value, or one member's name (a `.string` entry before the member's value).
    struct Entry: Sendable {
        let kind: Kind
        /// Elements of an array, members of an object; 0 otherwise.
        var count: Int32
        /// The index of the entry after this value and everything inside it.
        var next: Int32
        /// A bool (0 or 1), an integer's bits, a decimal's bits, or a string's index in
        /// ``JSONTape/strings``.
        let scalar: UInt64
    }

    /// The index of the document's value: the first entry.
    static let root = 0

    private(set) var entries: [Entry] = []
    /// The document's strings and member names, unescaped.
    private(set) var strings: [String] = []

    init(expectedBytes: Int) {
        // About one entry per 12 bytes of a bulletin; growing is rare and cheap.
        entries.reserveCapacity(max(16, expectedBytes / 12))
        strings.reserveCapacity(max(8, expectedBytes / 16))
    }

    // MARK: Writing (the parser)

    /// Appends a scalar entry.
    mutating func append(_ kind: Kind, scalar: UInt64 = 0) {
        entries.append(Entry(kind: kind, count: 0, next: Int32(entries.count + 1), scalar: scalar))
    }

    /// Appends a string entry (a string value or a member name); returns its entry's index.
    @discardableResult
    mutating func append(string: String) -> Int {
        let index = entries.count
        entries.append(Entry(kind: .string, count: 0, next: Int32(index + 1), scalar: UInt64(strings.count)))
        strings.append(string)
        return index
    }

    /// Opens an array or object; ``close(_:count:)`` sets its count and end when it ends.
    mutating func open(_ kind: Kind) -> Int {
        entries.append(Entry(kind: kind, count: 0, next: 0, scalar: 0))
        return entries.count - 1
    }

    /// Ends the array or object opened at `index` with `count` elements or members.
    mutating func close(_ index: Int, count: Int) {
        entries[index].count = Int32(count)
        entries[index].next = Int32(entries.count)
    }

    // MARK: Reading

    /// The kind of the value at `index`.
    func kind(at index: Int) -> Kind { entries[index].kind }

    /// The index of the value after the one at `index` (past everything inside it).
    func next(after index: Int) -> Int { Int(entries[index].next) }

    /// Elements or members of the array or object at `index`.
    func count(at index: Int) -> Int { Int(entries[index].count) }

    /// The string at `index`, or `nil` when it is not a string.
    func string(at index: Int) -> String? {
        let entry = entries[index]
        return entry.kind == .string ? strings[Int(entry.scalar)] : nil
    }

    /// The member name at `index` (the entry before a member's value).
    func name(at index: Int) -> String { strings[Int(entries[index].scalar)] }

    /// The number at `index` as a double, or `nil` when it is not a number.
    func number(at index: Int) -> Double? {
        let entry = entries[index]
        switch entry.kind {
        case .integer: return Double(Int64(bitPattern: entry.scalar))
        case .decimal: return Double(bitPattern: entry.scalar)
        default: return nil
        }
    }

    /// The JSON Schema type of the value at `index`, as ``JSONValue/schemaType`` says it.
    func schemaType(at index: Int) -> JSONType {
        let entry = entries[index]
        switch entry.kind {
        case .null: return .null
        case .bool: return .boolean
        case .integer: return .integer
        case .decimal:
            let value = Double(bitPattern: entry.scalar)
            return value.rounded() == value ? .integer : .number
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    /// Calls `body` with the name and value index of each member of the object at `index`, in
    /// document order.
    func forEachMember(of index: Int, _ body: (String, Int) -> Void) {
        var member = index + 1
        for _ in 0..<count(at: index) {
            let value = member + 1
            body(strings[Int(entries[member].scalar)], value)
            member = next(after: value)
        }
    }

    /// Calls `body` with the position and index of each element of the array at `index`.
    func forEachElement(of index: Int, _ body: (Int, Int) -> Void) {
        var element = index + 1
        for position in 0..<count(at: index) {
            body(position, element)
            element = next(after: element)
        }
    }

    /// The index of the value of the member `name` of the object at `index`, or `nil` when the
    /// object has none (or the value is not an object).
    func member(_ name: String, of index: Int) -> Int? {
        guard entries[index].kind == .object else { return nil }
        var member = index + 1
        for _ in 0..<count(at: index) {
            if strings[Int(entries[member].scalar)] == name { return member + 1 }
            member = next(after: member + 1)
        }
        return nil
    }

    /// The first member of the object at `index` whose name an earlier member has, and its
    /// position; `nil` when all differ. Up to `limit` members, names are compared with each
    /// earlier one, which allocates nothing; a larger object is checked with a set, so that a
    /// hostile object of many members costs linear time.
    func firstRepeatedName(inObject index: Int, comparingPairwiseUpTo limit: Int) -> (name: String, position: Int)? {
        let count = count(at: index)
        var seen: Set<String>? = count > limit ? Set(minimumCapacity: count) : nil
        var member = index + 1
        for position in 0..<count {
            let name = strings[Int(entries[member].scalar)]
            if seen != nil {
                if seen?.insert(name).inserted == false { return (name, position) }
            } else {
                var earlier = index + 1
                for _ in 0..<position {
                    if strings[Int(entries[earlier].scalar)] == name { return (name, position) }
                    earlier = next(after: earlier + 1)
                }
            }
            member = next(after: member + 1)
        }
        return nil
    }

    /// The document's top-level member `name` when it is a string.
    func rootString(_ name: String) -> String? {
        member(name, of: Self.root).flatMap(string(at:))
    }

    /// The ``JSONValue`` of the value at `index`.
    func value(at index: Int) -> JSONValue {
        let entry = entries[index]
        switch entry.kind {
        case .null: return .null
        case .bool: return .bool(entry.scalar != 0)
        case .integer: return .integer(Int64(bitPattern: entry.scalar))
        case .decimal: return .decimal(Double(bitPattern: entry.scalar))
        case .string: return .string(strings[Int(entry.scalar)])
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(entry.count))
            forEachElement(of: index) { _, element in elements.append(value(at: element)) }
            return .array(elements)
        case .object:
            var members = [String: JSONValue](minimumCapacity: Int(entry.count))
            forEachMember(of: index) { name, member in members[name] = value(at: member) }
            return .object(members)
        }
    }
}
