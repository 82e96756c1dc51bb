/// The rule that keeps the links between a bulletin's observables honest (schema 1.1): each
/// `localId` names one item of the bulletin's `details`, and each entry of a `linkedTo` array
/// names an item that exists. A bulletin whose passport is "linked to" a person it does not
/// describe would mislead the analyst who correlates it, so it is refused.
///
/// Like the text rule, it is enforced over the whole `details` value, not declared field by
/// field, so an observable added tomorrow is covered. Failures use keyword `x-local-reference`.
enum LocalReferences {
    static let keyword = "x-local-reference"

    static func failures(in details: Int, of tape: JSONTape, at pointer: JSONPointer) -> [ValidationFailure] {
        var walk = Walk(tape: tape, path: pointer.tokens)
        walk.visit(details, depth: 0)
        guard !walk.declared.isEmpty || !walk.links.isEmpty else { return [] }

        var failures: [ValidationFailure] = []
        // The first holder of an id is the one with the smallest pointer, not the first the walk
        // met (it goes in document order, which JSON gives no meaning): the same bulletin, its
        // members in any order, gives the same report.
        var firstHolder: [String: JSONPointer] = [:]
        for (name, place) in walk.declared.sorted(by: { $0.pointer.description < $1.pointer.description }) {
            if let first = firstHolder[name] {
                failures.append(
                    ValidationFailure(
                        pointer: place, keyword: keyword,
                        reason: .duplicateLocalId(name: JSONValue.string(name).abbreviated(), first: first.description))
                )
            } else {
                firstHolder[name] = place
            }
        }
        for (name, place) in walk.links where firstHolder[name] == nil {
            failures.append(
                ValidationFailure(
                    pointer: place, keyword: keyword,
                    reason: .unknownLocalId(name: JSONValue.string(name).abbreviated())))
        }
        return failures
    }

    /// One pass over the value, extending one path in place: a bulletin without local ids costs
    /// no allocation beyond the walk itself, and pointers are built only for what it finds.
    private struct Walk {
        let tape: JSONTape
        var path: [String]
        var declared: [(name: String, pointer: JSONPointer)] = []
        var links: [(name: String, pointer: JSONPointer)] = []

        /// The parser bounds documents to 64 levels; this bound only guards the recursion.
        private static let maximumDepth = 128

        mutating func visit(_ value: Int, depth: Int) {
            guard depth < Walk.maximumDepth else { return }
            switch tape.kind(at: value) {
            case .object:
                var entry = value + 1
                for _ in 0..<tape.count(at: value) {
                    let name = tape.name(at: entry)
                    let member = entry + 1
                    entry = tape.next(after: member)
                    switch (name, tape.kind(at: member)) {
                    case ("localId", .string):
                        if let identifier = tape.string(at: member) {
                            declared.append((identifier, JSONPointer(tokens: path + [name])))
                        }
                    case ("linkedTo", .array):
                        var target = member + 1
                        for index in 0..<tape.count(at: member) {
                            if let identifier = tape.string(at: target) {
                                links.append((identifier, JSONPointer(tokens: path + [name, String(index)])))
                            }
                            target = tape.next(after: target)
                        }
                    case (_, .object), (_, .array):
                        path.append(name)
                        visit(member, depth: depth + 1)
                        path.removeLast()
                    default:
                        break
                    }
                }
            case .array:
                var element = value + 1
                for index in 0..<tape.count(at: value) {
                    switch tape.kind(at: element) {
                    case .object, .array:
                        path.append(String(index))
                        visit(element, depth: depth + 1)
                        path.removeLast()
                    default:
                        break
                    }
                    element = tape.next(after: element)
                }
            default:
                break
            }
        }
    }
}
