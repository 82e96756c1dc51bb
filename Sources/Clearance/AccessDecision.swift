import Exchange

/// The policy's answer for one person and one bulletin.
public enum AccessDecision: Sendable, Equatable {
    /// The person may open the bulletin.
    case allowed
    /// The person may not, for this reason (the first rule that refuses, in the table's order).
    case refused(AccessRefusal)

    /// Whether the decision is ``allowed``.
    public var isAllowed: Bool { self == .allowed }
}

/// Why a person may not open a bulletin, in the order the rules are checked
/// (docs/CONSOLE.md, "Who may read what").
public enum AccessRefusal: Sendable, Equatable {
    /// Operators and auditors never see bulletin content.
    case roleSeesNoContent(ConsoleRole)
    /// The bulletin has no working group (or one this version does not know): readers are refused.
    case noWorkingGroup
    /// The bulletin's working group is not one of the reader's.
    case workingGroup(WorkingGroup)
    /// TLP:RED: named recipients only (the liaison officers), never an agency reader.
    case tlpRed
    /// The bulletin's TLP is above the reader's highest.
    case tlpAbove(TLP)
    /// A handling code excludes the reader's agency (`law-enforcement-use-only`,
    /// `no-further-dissemination`).
    case handling(HandlingCode)
    /// A handling code this version does not know (a newer schema): readers are refused, since
    /// its condition cannot be honoured.
    case unknownHandling(String)
}
