import Audit
import Exchange

/// What one node's collected log says of its watch-lists (docs/AUDIT.md §3.5): how many entries
/// each kind of owner added and removed, how many are kept, and how many alerts were raised for
/// how many entries. Entry numbers and counts only: the log never holds what an entry watches or
/// who keeps it, so the secretariat sees how much watching a node does, never what it watches.
public struct WatchListReport: Hashable, Sendable, Codable {
    /// The changes made by one kind of owner.
    public struct OwnerCount: Hashable, Sendable, Codable {
        /// `user`, `agency` or `operator`.
        public let owner: String
        /// Entries added (saturating).
        public let added: UInt64
        /// Entries removed (saturating).
        public let removed: UInt64

        /// A count.
        public init(owner: String, added: UInt64, removed: UInt64) {
            self.owner = owner
            self.added = added
            self.removed = removed
        }
    }

    /// The node's state.
    public let state: StateCode
    /// Per kind of owner with any change, in the order user, agency, operator.
    public let owners: [OwnerCount]
    /// Entries added and not removed in the collected log.
    public let kept: UInt64
    /// Alerts raised (`alertRaised`, saturating). A crash may audit an alert twice, never zero
    /// times (docs/SEARCH.md, "Alerts").
    public let alertsRaised: UInt64
    /// Distinct entries that raised at least one alert.
    public let entriesAlerting: UInt64

    /// The watch-lists of `log`, or `nil` when its log holds no `watchListChanged` or
    /// `alertRaised` entry.
    public static func make(_ log: NodeLogView) -> WatchListReport? {
        var changes: [WatchListChange.OwnerKind: (added: UInt64, removed: UInt64)] = [:]
        var kept: Set<UInt64> = []
        var alerting: Set<UInt64> = []
        var alerts: UInt64 = 0
        var seen = false
        for entry in log.entries {
            switch entry.event {
            case .watchListChanged(let change):
                seen = true
                var counts = changes[change.owner] ?? (0, 0)
                switch change.change {
                case .added:
                    counts.added = min(counts.added, .max - 1) + 1
                    kept.insert(change.entry)
                case .removed:
                    counts.removed = min(counts.removed, .max - 1) + 1
                    kept.remove(change.entry)
                }
                changes[change.owner] = counts
            case .alertRaised(let watched, _):
                seen = true
                alerts = min(alerts, .max - 1) + 1
                alerting.insert(watched)
            default:
                break
            }
        }
        guard seen else { return nil }
        return WatchListReport(
            state: log.state,
            owners: WatchListChange.OwnerKind.allCases.compactMap { kind in
                changes[kind].map { OwnerCount(owner: kind.description, added: $0.added, removed: $0.removed) }
            },
            kept: UInt64(kept.count), alertsRaised: alerts, entriesAlerting: UInt64(alerting.count))
    }

    /// `entries: user 3 added, 1 removed; operator 1 added; 3 kept; alerts: 12 raised by 2 entries`.
    public var line: String {
        let owners = owners.map { count in
            "\(count.owner) \(count.added) added" + (count.removed > 0 ? ", \(count.removed) removed" : "")
        }
        let entries =
            owners.isEmpty ? "no entry changed" : "entries: " + owners.joined(separator: "; ") + "; \(kept) kept"
        return entries + "; alerts: \(alertsRaised) raised by \(entriesAlerting) "
            + (entriesAlerting == 1 ? "entry" : "entries")
    }
}
