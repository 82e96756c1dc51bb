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
        var declared: [String: JSONPointer] = [:]
        var links: [(name: String, pointer: JSONPointer)] = []
        var failures: [ValidationFailure] = []
        // Iterative walk: a bulletin is at most 64 levels deep (the parser's limit), but an
        // explicit stack keeps the cost independent of how the value is nested.
        var stack: [(JSONValue, JSONPointer)] = [(details, pointer)]
        while let (value, at) = stack.popLast() {
            switch value {
            case .object(let members):
                if let name = members["localId"]?.stringValue {
                    let here = at.appending("localId")
                    if let first = declared[name] {
                        failures.append(ValidationFailure(pointer: here, keyword: keyword, reason: .duplicateLocalId(name: JSONValue.string(name).abbreviated(), first: first.description)))
                    } else {
                        declared[name] = here
                    }
                }
                if let targets = members["linkedTo"]?.arrayValue {
                    for (index, target) in targets.enumerated() {
                        if let name = target.stringValue { links.append((name, at.appending("linkedTo").appending(index))) }
                    }
                }
                // Pushed in reverse so items are visited in member-name and index order: the
                // same bulletin always names the same item as the first holder of an id.
                for name in members.keys.sorted().reversed() {
                    guard let member = members[name], member.objectValue != nil || member.arrayValue != nil else { continue }
                    stack.append((member, at.appending(name)))
                }
            case .array(let elements):
                for (index, element) in elements.enumerated().reversed() where element.objectValue != nil || element.arrayValue != nil {
                    stack.append((element, at.appending(index)))
                }
            default:
                break
            }
        }
        for link in links where declared[link.name] == nil {
            failures.append(ValidationFailure(pointer: link.pointer, keyword: keyword, reason: .unknownLocalId(name: JSONValue.string(link.name).abbreviated())))
        }
        return failures
    }
}
