/// The community a bulletin is written for (`workingGroup` of docs/SCHEMAS.md §2): a reader is
/// cleared for one or more of them.
public enum WorkingGroup: String, Sendable, Codable, CaseIterable {
    /// Border security services.
    case security
    /// Intelligence services.
    case intelligence
    /// Customs administrations.
    case customs
    /// Prosecutors and courts.
    case justice
}
