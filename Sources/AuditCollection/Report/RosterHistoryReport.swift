import Audit
import Exchange

/// What one node's collected log says of its rosters (docs/AUDIT.md §3.6, §12.3 "Roster
/// history"): the versions it installed, in order, with the time of each entry, and the signed
/// rosters it refused, counted by reason and by who offered them. Counts only, never a finding:
/// a refusal is the node doing its job, and the report shows how often and from whom.
public struct RosterHistoryReport: Hashable, Sendable, Codable {
    /// One `rosterInstalled` entry.
    public struct Install: Hashable, Sendable, Codable {
        /// The entry of the node's log.
        public let entryIndex: UInt64
        /// When (the node's clock), ms.
        public let time: UInt64
        /// The roster version installed.
        public let version: UInt64

        /// An install.
        public init(entryIndex: UInt64, time: UInt64, version: UInt64) {
            self.entryIndex = entryIndex
            self.time = time
            self.version = version
        }
    }

    /// One `bulletinsFlagged` entry: a revocation this node applied to what it had accepted.
    public struct FlagReview: Hashable, Sendable, Codable {
        /// The entry of the node's log.
        public let entryIndex: UInt64
        /// When (the node's clock), ms.
        public let time: UInt64
        /// The state whose keys were revoked.
        public let origin: StateCode
        /// The compromise time of the revocation, ms.
        public let since: UInt64
        /// How many of its bulletins the node flagged for review.
        public let count: UInt64
        /// The roster in force when the node applied the revocation.
        public let version: UInt64

        /// A review.
        public init(entryIndex: UInt64, time: UInt64, origin: StateCode, since: UInt64, count: UInt64, version: UInt64) {
            self.entryIndex = entryIndex
            self.time = time
            self.origin = origin
            self.since = since
            self.count = count
            self.version = version
        }
    }

    /// How many rosters were refused for one reason.
    public struct ReasonCount: Hashable, Sendable, Codable {
        /// The reason's JSON name (``RosterRefusal``), e.g. `badSignature`.
        public let reason: String
        /// How many (saturating).
        public let count: UInt64

        /// A count.
        public init(reason: String, count: UInt64) {
            self.reason = reason
            self.count = count
        }
    }

    /// How many rosters one source offered that the node refused, and why.
    public struct SourceCount: Hashable, Sendable, Codable {
        /// The state whose node offered them; `nil` (absent in JSON) for the node's own operator
        /// (a roster given as a file).
        public let source: StateCode?
        /// How many (saturating).
        public let count: UInt64
        /// Per reason with any, in the order of the reason codes.
        public let reasons: [ReasonCount]

        /// A count.
        public init(source: StateCode?, count: UInt64, reasons: [ReasonCount]) {
            self.source = source
            self.count = count
            self.reasons = reasons
        }

        /// `DZ` or `operator`.
        public var name: String { source.map(\.description) ?? "operator" }
    }

    /// The node's state.
    public let state: StateCode
    /// The `rosterInstalled` entries in log order: the last ``installsListed`` of them when the log
    /// holds more (``installCount`` counts them all).
    public let installs: [Install]
    /// All `rosterInstalled` entries of the collected log (saturating).
    public let installCount: UInt64
    /// The version of the last `rosterInstalled` entry: the roster the node runs as far as the
    /// collected log tells; `nil` when it holds none.
    public let installedVersion: UInt64?
    /// All `rosterRefused` entries (saturating).
    public let refusedCount: UInt64
    /// Per reason with any, in the order of the reason codes.
    public let refusedByReason: [ReasonCount]
    /// Per source with any: the node's operator first, then states in ascending order.
    public let refusedBySource: [SourceCount]
    /// The `keysRotated` entries in log order (``Install/version`` is the roster that held the
    /// new card): when the node's keys changed, so which key was in force when. At most
    /// ``installsListed``, the most recent; absent in reports written before key rotation.
    public let keyRotations: [Install]?
    /// The `bulletinsFlagged` entries in log order (at most ``installsListed``, the most recent):
    /// each revocation the node applied and how many bulletins it flagged; absent when none.
    public let flagReviews: [FlagReview]?

    /// `rosterInstalled` entries listed one by one per node (the most recent).
    public static let installsListed = 200

    /// The roster history of `log`, or `nil` when its log holds no `rosterInstalled` or
    /// `rosterRefused` entry.
    public static func make(_ log: NodeLogView) -> RosterHistoryReport? {
        var installs: [Install] = []
        var installCount: UInt64 = 0
        var installedVersion: UInt64?
        var refusedCount: UInt64 = 0
        var byReason: [RosterRefusal: UInt64] = [:]
        var bySource: [StateCode?: [RosterRefusal: UInt64]] = [:]
        var rotations: [Install] = []
        var reviews: [FlagReview] = []
        func plusOne(_ value: UInt64) -> UInt64 { min(value, .max - 1) + 1 }
        for entry in log.entries {
            switch entry.event {
            case .rosterInstalled(let version):
                installCount = plusOne(installCount)
                installedVersion = version
                installs.append(
                    Install(entryIndex: entry.index, time: entry.time.millisecondsSinceEpoch, version: version))
                // Trimmed in batches: a log of a million installs keeps at most twice the bound.
                if installs.count >= 2 * installsListed { installs.removeFirst(installs.count - installsListed) }
            case .keysRotated(let version):
                rotations.append(Install(entryIndex: entry.index, time: entry.time.millisecondsSinceEpoch, version: version))
                if rotations.count >= 2 * installsListed { rotations.removeFirst(rotations.count - installsListed) }
            case .bulletinsFlagged(let origin, let since, let count, let version):
                reviews.append(
                    FlagReview(
                        entryIndex: entry.index, time: entry.time.millisecondsSinceEpoch, origin: origin,
                        since: since.millisecondsSinceEpoch, count: count, version: version))
                if reviews.count >= 2 * installsListed { reviews.removeFirst(reviews.count - installsListed) }
            case .rosterRefused(let source, _, let reason):
                refusedCount = plusOne(refusedCount)
                byReason[reason] = plusOne(byReason[reason, default: 0])
                bySource[source, default: [:]][reason] = plusOne(bySource[source, default: [:]][reason, default: 0])
            default:
                break
            }
        }
        guard installCount > 0 || refusedCount > 0 || !rotations.isEmpty || !reviews.isEmpty else { return nil }
        func counts(_ reasons: [RosterRefusal: UInt64]) -> [ReasonCount] {
            RosterRefusal.allCases.compactMap { reason in
                reasons[reason].map { ReasonCount(reason: reason.description, count: $0) }
            }
        }
        let sources = bySource.keys.sorted { a, b in
            switch (a, b) {
            case (nil, .some): true
            case (.some(let a), .some(let b)): a < b
            default: false
            }
        }
        return RosterHistoryReport(
            state: log.state, installs: Array(installs.suffix(installsListed)), installCount: installCount,
            installedVersion: installedVersion, refusedCount: refusedCount, refusedByReason: counts(byReason),
            refusedBySource: sources.map { source in
                let reasons = bySource[source] ?? [:]
                let total = reasons.values.reduce(UInt64(0)) { total, count in
                    let (sum, overflow) = total.addingReportingOverflow(count)
                    return overflow ? .max : sum
                }
                return SourceCount(source: source, count: total, reasons: counts(reasons))
            }, keyRotations: rotations.isEmpty ? nil : Array(rotations.suffix(installsListed)),
            flagReviews: reviews.isEmpty ? nil : Array(reviews.suffix(installsListed)))
    }

    /// Installs shown one by one in the text report (the most recent; `--json` lists up to
    /// ``installsListed``).
    public static let installsInText = 20

    /// `installed v3 at 2025-03-01T12:00:00.000Z (entry 0), v4 at … (entry 9)` and, when any roster
    /// was refused, `refused 3: badSignature 2, rollback 1; from DZ 2 (badSignature 2), operator 1
    /// (rollback 1)`.
    public var lines: [String] {
        var lines: [String] = []
        if installs.isEmpty {
            lines.append("no roster installed in the collected log")
        } else {
            let shown = installs.suffix(Self.installsInText)
            let earlier = installCount - min(installCount, UInt64(shown.count))
            lines.append(
                "installed " + (earlier > 0 ? "(\(earlier) earlier not shown) " : "")
                    + shown.map {
                        "v\($0.version) at \(Timestamp(millisecondsSinceEpoch: $0.time)) (entry \($0.entryIndex))"
                    }.joined(separator: ", "))
        }
        if refusedCount > 0 {
            let reasons = refusedByReason.map { "\($0.reason) \($0.count)" }.joined(separator: ", ")
            let sources = refusedBySource.map { source in
                "\(source.name) \(source.count) ("
                    + source.reasons.map { "\($0.reason) \($0.count)" }.joined(separator: ", ") + ")"
            }
            lines.append("refused \(refusedCount): \(reasons); from " + sources.joined(separator: ", "))
        }
        if let keyRotations, !keyRotations.isEmpty {
            lines.append(
                "keys rotated "
                    + keyRotations.suffix(Self.installsInText).map {
                        "at \(Timestamp(millisecondsSinceEpoch: $0.time)) with roster v\($0.version) (entry \($0.entryIndex))"
                    }.joined(separator: ", "))
        }
        if let flagReviews, !flagReviews.isEmpty {
            lines.append(
                "flagged for review "
                    + flagReviews.suffix(Self.installsInText).map {
                        "\($0.count) bulletins of \($0.origin) (keys revoked since \(Timestamp(millisecondsSinceEpoch: $0.since)) by roster v\($0.version), entry \($0.entryIndex))"
                    }.joined(separator: ", "))
        }
        return lines
    }
}
