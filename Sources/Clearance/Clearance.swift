import Exchange

/// What a person is cleared for: their role and, for a reader, the working groups, the highest TLP
/// and the kind of agency that ``ClearancePolicy`` compares with a bulletin's markings.
///
/// Kept with the person's account by the console; the policy is the only place that reads it.
public struct Clearance: Sendable, Codable, Hashable {
    /// What the person does on the console.
    public var role: ConsoleRole
    /// The working groups whose bulletins a reader may read (ignored for the other roles).
    public var workingGroups: Set<WorkingGroup>
    /// The highest TLP a reader may read, in the order CLEAR < GREEN < AMBER < AMBER+STRICT < RED.
    /// A reader never reads TLP:RED, whatever this says: RED goes to named persons only, the
    /// liaison officers. Officers read every TLP; ignored for the other roles.
    public var highestTLP: TLP
    /// The kind of the person's agency, which handling codes such as `law-enforcement-use-only` test.
    public var agencyKind: AgencyKind

    /// A clearance.
    public init(role: ConsoleRole, workingGroups: Set<WorkingGroup>, highestTLP: TLP, agencyKind: AgencyKind) {
        self.role = role
        self.workingGroups = workingGroups
        self.highestTLP = highestTLP
        self.agencyKind = agencyKind
    }
}
