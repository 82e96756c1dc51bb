import Exchange

/// What an agency's TAXII credential may receive (issue 17; docs/TAXII.md): the agency system of a
/// member state — a police, customs or intelligence platform such as MISP or OpenCTI — reading its
/// node's bulletins as STIX 2.1, not a person on the console.
///
/// An agency is held to the rules of a console reader (working groups, highest TLP, handling codes
/// by agency kind; `no-further-dissemination` never leaves the liaison bureau), with one
/// difference: TLP:RED reaches an agency whose grant names it (`highestTLP == .red`, which an
/// operator sets only by naming the agency with `--tlp-max red`). ``ClearancePolicy`` decides.
public struct AgencyGrant: Sendable, Codable, Hashable {
    /// The working groups whose bulletins the agency receives.
    public var workingGroups: Set<WorkingGroup>
    /// The highest TLP the agency receives, in the order CLEAR < GREEN < AMBER < AMBER+STRICT < RED.
    /// `.red` means the agency is named for TLP:RED.
    public var highestTLP: TLP
    /// The kind of agency, which handling codes such as `law-enforcement-use-only` test.
    public var agencyKind: AgencyKind

    /// A grant.
    public init(workingGroups: Set<WorkingGroup>, highestTLP: TLP, agencyKind: AgencyKind) {
        self.workingGroups = workingGroups
        self.highestTLP = highestTLP
        self.agencyKind = agencyKind
    }
}
