import STIX

/// The collections an agency sees (docs/TAXII.md): one of everything it may receive, and one per
/// working group of its grant. Their ids are UUIDv5 of the agency's name and the collection, so
/// they stay the same across restarts and differ between agencies (one agency's id is another's
/// 404).
public enum TAXIICollectionKind: Sendable, Hashable {
    /// Everything the agency may receive.
    case everything
    /// The bulletins of one working group (`customs`, …) the agency may receive.
    case workingGroup(String)

    /// The collection's id for the agency named `agency`.
    public func id(agency: String) -> String {
        let name: String
        switch self {
        case .everything: name = "taxii/collection/\(agency)/everything"
        case .workingGroup(let group): name = "taxii/collection/\(agency)/working-group/\(group)"
        }
        return STIXIdentifier.uuid5(namespace: STIXIdentifier.namespace, name: name)
    }
}
