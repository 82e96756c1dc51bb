import Exchange

/// The bulletins a clearance may read, as filters a store query can apply, so that a reader's feed
/// pages are filled with what they may open rather than filtered after the fact (a page of 50
/// could otherwise come back empty). The console still asks ``ClearancePolicy/decide(_:for:)`` for
/// each bulletin it shows; a scope admits exactly what `decide` allows (tested).
public enum ReadableScope: Sendable, Equatable {
    /// Every bulletin of the node (officers).
    case everything
    /// No bulletin content at all (operators, auditors, a reader without a working group).
    case nothing
    /// The bulletins whose working group is one of `workingGroups`, whose TLP is one of `tlps`,
    /// and whose every handling code is one of `permittedHandling` (none counts as permitted).
    case restricted(workingGroups: Set<WorkingGroup>, tlps: Set<TLP>, permittedHandling: Set<String>)
}
