import Exchange

/// The one policy that decides who may read what on the console, the agency feeds and search
/// (DESIGN.md §7): pure functions of a ``Clearance`` and a bulletin's ``BulletinAccessFacts``.
/// No page, route or export re-decides; docs/CONSOLE.md, "Who may read what", is its table.
public enum ClearancePolicy {
    /// Whether a person with `clearance` may open the bulletin `facts` describes.
    ///
    /// Officers read every bulletin of the node. Readers: working group, then TLP (never RED, at
    /// most their highest), then handling codes (unknown ones refuse). Operators and auditors see
    /// no content.
    public static func decide(_ clearance: Clearance, for facts: BulletinAccessFacts) -> AccessDecision {
        switch clearance.role {
        case .officer:
            return .allowed
        case .operator, .auditor:
            return .refused(.roleSeesNoContent(clearance.role))
        case .reader:
            return decideReader(
                workingGroups: clearance.workingGroups, highestTLP: clearance.highestTLP, agencyKind: clearance.agencyKind,
                namedForRed: false, facts: facts)
        }
    }

    /// Whether an agency holding `grant` may receive the bulletin `facts` describes (TAXII).
    ///
    /// A reader's rules, except that TLP:RED is allowed when the grant names the agency for it
    /// (`highestTLP == .red`).
    public static func decide(agency grant: AgencyGrant, for facts: BulletinAccessFacts) -> AccessDecision {
        decideReader(
            workingGroups: grant.workingGroups, highestTLP: grant.highestTLP, agencyKind: grant.agencyKind,
            namedForRed: grant.highestTLP == .red, facts: facts)
    }

    /// The rules shared by console readers and agencies: working group, then TLP, then handling codes.
    private static func decideReader(
        workingGroups: Set<WorkingGroup>, highestTLP: TLP, agencyKind: AgencyKind, namedForRed: Bool, facts: BulletinAccessFacts
    ) -> AccessDecision {
        guard let group = facts.workingGroup else { return .refused(.noWorkingGroup) }
        guard workingGroups.contains(group) else { return .refused(.workingGroup(group)) }
        guard facts.tlp != .red || namedForRed else { return .refused(.tlpRed) }
        guard facts.tlp.rawValue <= highestTLP.rawValue else { return .refused(.tlpAbove(facts.tlp)) }
        // Sorted so that a bulletin with several refusing codes always names the same one.
        for text in facts.handling.sorted() {
            guard let code = HandlingCode(rawValue: text) else { return .refused(.unknownHandling(text)) }
            guard code.permitsReader(of: agencyKind) else { return .refused(.handling(code)) }
        }
        return .allowed
    }

    /// The bulletins `clearance` may read, as store filters (see ``ReadableScope``).
    public static func readableScope(_ clearance: Clearance) -> ReadableScope {
        switch clearance.role {
        case .officer:
            return .everything
        case .operator, .auditor:
            return .nothing
        case .reader:
            return readerScope(
                workingGroups: clearance.workingGroups, highestTLP: clearance.highestTLP, agencyKind: clearance.agencyKind,
                namedForRed: false)
        }
    }

    /// The bulletins an agency holding `grant` may receive, as store filters: exactly what
    /// ``decide(agency:for:)`` allows.
    public static func readableScope(agency grant: AgencyGrant) -> ReadableScope {
        readerScope(
            workingGroups: grant.workingGroups, highestTLP: grant.highestTLP, agencyKind: grant.agencyKind,
            namedForRed: grant.highestTLP == .red)
    }

    private static func readerScope(
        workingGroups: Set<WorkingGroup>, highestTLP: TLP, agencyKind: AgencyKind, namedForRed: Bool
    ) -> ReadableScope {
        let tlps = Set(TLP.allCases.filter { ($0 != .red || namedForRed) && $0.rawValue <= highestTLP.rawValue })
        guard !workingGroups.isEmpty else { return .nothing }
        let permitted = Set(HandlingCode.allCases.filter { $0.permitsReader(of: agencyKind) }.map(\.rawValue))
        return .restricted(workingGroups: workingGroups, tlps: tlps, permittedHandling: permitted)
    }

    /// Whether the person may post, correct and withdraw bulletins (officers).
    public static func canPost(_ clearance: Clearance) -> Bool { clearance.role == .officer }

    /// Whether the person may see the links page: per neighbour sent, acknowledged, received,
    /// rejections, status and metrics (operators).
    public static func canSeeLinks(_ clearance: Clearance) -> Bool { clearance.role == .operator }

    /// Whether the person may see the audit pages: reconciliation matrix, findings, collection
    /// history (auditors).
    public static func canSeeAudit(_ clearance: Clearance) -> Bool { clearance.role == .auditor }

    /// Whether the person may create, change and disable console accounts (operators).
    public static func canManageUsers(_ clearance: Clearance) -> Bool { clearance.role == .operator }
}
