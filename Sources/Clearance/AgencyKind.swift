/// What kind of agency a person belongs to, as the handling code `law-enforcement-use-only`
/// distinguishes them (docs/SCHEMAS.md §2).
public enum AgencyKind: String, Sendable, Codable, CaseIterable {
    /// Police, gendarmerie, customs and border services.
    case lawEnforcement = "law-enforcement"
    /// Intelligence services outside law enforcement.
    case intelligence
    /// Anything else: ministries, other administrations.
    case other
}
