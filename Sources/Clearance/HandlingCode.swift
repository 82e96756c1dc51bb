/// The handling codes an originator sets beside TLP (docs/SCHEMAS.md §2, schema 1.1), and what each
/// means for a reader on the console. A code not listed here (a newer schema) refuses readers:
/// the policy fails closed on a condition it cannot read.
public enum HandlingCode: String, Sendable, Codable, CaseIterable {
    /// Only police, gendarmerie, customs and border services: readers of other agencies are refused.
    case lawEnforcementUseOnly = "law-enforcement-use-only"
    /// Not to be cited as evidence without the originator's consent: shown, does not stop reading.
    case noJudicialUseWithoutConsent = "no-judicial-use-without-consent"
    /// Stays in the receiving liaison bureau: officers read it, agency readers do not.
    case noFurtherDissemination = "no-further-dissemination"
    /// No operational action before consulting the originator: shown, does not stop reading.
    case noActionWithoutConsultation = "no-action-without-consultation"
    /// Not passed outside the bulletin's recipients: shown, does not stop reading.
    case notForThirdStates = "not-for-third-states"

    /// Whether a reader of an agency of `kind` may read a bulletin carrying this code.
    public func permitsReader(of kind: AgencyKind) -> Bool {
        switch self {
        case .lawEnforcementUseOnly: kind == .lawEnforcement
        case .noFurtherDissemination: false
        case .noJudicialUseWithoutConsent, .noActionWithoutConsultation, .notForThirdStates: true
        }
    }
}
