/// The rule that keeps the links between a bulletin's observables honest (schema 1.1): each
/// `localId` names one item of the bulletin's `details`, and each entry of a `linkedTo` array
/// names an item that exists. A bulletin whose passport is "linked to" a person it does not
/// describe would mislead the analyst who correlates it, so it is refused.
///
/// Like the text rule, it is enforced over the whole `details` value, not declared field by
/// field, so an observable added tomorrow is covered. Failures use keyword `x-local-reference`.
enum LocalReferences {
    static let keyword = "x-local-reference"

    static func failures(in details: JSONValue, at pointer: JSONPointer) -> [ValidationFailure] {
        var walk = Walk(path: pointer.tokens)
        walk.visit(details, depth: 0)
        guard !walk.declared.isEmpty || !walk.links.isEmpty else { return [] }

        var failures: [ValidationFailure] = []
        // The first holder of an id is the one with the smallest pointer, whatever order the
        // walk met them in (objects are unordered): the same bulletin gives the same report.
        var firstHolder: [String: JSONPointer] = [:]
        for (name, place) in walk.declared.sorted(by: { $0.pointer.description < $1.pointer.description }) {
            if let first = firstHolder[name] {
                failures.append(
                    ValidationFailure(
                        pointer: place, keyword: keyword,
                        reason: .duplicateLocalId(name: JSONValue.string(name).abbreviated(), first: first.description)))
            } else {
                firstHolder[name] = place
            }
        }
        for (name, place) in walk.links where firstHolder[name] == nil {
            failures.append(
                ValidationFailure(pointer: place, keyword: keyword, reason: .unknownLocalId(name: JSONValue.string(name).abbreviated())))
        }
        return failures
    }

    /// One pass over the value, extending one path in place: a bulletin without local ids costs
    /// no allocation beyond the walk itself, and pointers are built only for what it finds.
    private struct Walk {
        var path: [String]
        var declared: [(name: String, pointer: JSONPointer)] = []
        var links: [(name: String, pointer: JSONPointer)] = []

        /// The parser bounds documents to 64 levels; this bound only guards the recursion.
        private static let maximumDepth = 128

        mutating func visit(_ value: JSONValue, depth: Int) {
            guard depth < Walk.maximumDepth else { return }
            switch value {
            case .object(let members):
                for (name, member) in members {
                    switch (name, member) {
                    case ("localId", .string(let identifier)):
                        declared.append((identifier, JSONPointer(tokens: path + [name])))
                    case ("linkedTo", .array(let targets)):
                        for (index, target) in targets.enumerated() {
                            if case .string(let identifier) = target {
                                links.append((identifier, JSONPointer(tokens: path + [name, String(index)])))
                            }
                        }
                    case (_, .object), (_, .array):
                        path.append(name)
                        visit(member, depth: depth + 1)
                        path.removeLast()
                    default:
                        break
                    }
                }
            case .array(let elements):
                for (index, element) in elements.enumerated() {
                    switch element {
                    case .object, .array:
                        path.append(String(index))
                        visit(element, depth: depth + 1)
                        path.removeLast()
                    default:
                        break
                    }
                }
            default:
                break
            }
        }
    }
}
