import Audit
import Exchange

/// What one node's collected log says of its web console (docs/AUDIT.md §12.3, "Console
/// access"): how many sign-ins, sign-outs and bulletin openings each console account made, with
/// what outcome; every opening that was refused or asked for a bulletin that is not there; and
/// the records the node dropped over its rate bound; and, per agency system reading the node's
/// TAXII server (`agencyAccess`), its responses, the bulletins they delivered and its refused
/// requests. Account and agency numbers and bulletin references only: the node's operators
/// resolve them, the secretariat sees patterns.
public struct ConsoleAccessReport: Hashable, Sendable, Codable {
    /// One account's count of one action with one outcome.
    public struct Count: Hashable, Sendable, Codable {
        /// The console account (0: a sign-in for a name that is no account).
        public let account: UInt64
        /// Its role (`none` for account 0).
        public let role: String
        /// `signIn`, `signOut`, `openBulletin`.
        public let action: String
        /// `succeeded`, `refused`, `lockedOut`, `notFound`.
        public let outcome: String
        /// How many times (saturating).
        public let count: UInt64
    }

    /// An opening that did not show a bulletin.
    public struct RefusedOpening: Hashable, Sendable, Codable {
        /// The entry of the node's log.
        public let entryIndex: UInt64
        /// When (the node's clock), ms.
        public let time: UInt64
        /// The console account.
        public let account: UInt64
        /// Its role.
        public let role: String
        /// `refused` (the clearance does not allow it) or `notFound`.
        public let outcome: String
        /// The bulletin reference asked for, when the address held one.
        public let bulletin: String?
    }

    /// One agency credential's TAXII requests (`agencyAccess`, docs/AUDIT.md §3.3).
    public struct AgencyCount: Hashable, Sendable, Codable {
        /// The agency credential's number; 0 gathers the requests that carried no valid token.
        public let agency: UInt64
        /// Responses that delivered bulletins, or none (saturating).
        public let delivered: UInt64
        /// Bulletin references those responses named, summed (saturating): a bulletin delivered
        /// twice counts twice.
        public let bulletins: UInt64
        /// Refused requests (saturating).
        public let refused: UInt64

        /// A count.
        public init(agency: UInt64, delivered: UInt64, bulletins: UInt64, refused: UInt64) {
            self.agency = agency
            self.delivered = delivered
            self.bulletins = bulletins
            self.refused = refused
        }
    }

    /// The node's state.
    public let state: StateCode
    /// Per account, action and outcome, in that order.
    public let counts: [Count]
    /// Refused and not-found openings, oldest first, at most ``refusedOpeningsListed``.
    public let refusedOpenings: [RefusedOpening]
    /// All refused and not-found openings (the list may stop before).
    public let refusedOpeningCount: UInt64
    /// Records the node dropped over its rate bound (`consoleAccessDropped`, summed, saturating).
    public let dropped: UInt64
    /// Per agency (ascending; 0 first), its TAXII requests; empty when the log holds none.
    public let agencies: [AgencyCount]

    /// Refused openings listed one by one per node.
    public static let refusedOpeningsListed = 200

    /// The console access of `log`, or `nil` when its log holds none.
    public static func make(_ log: NodeLogView) -> ConsoleAccessReport? {
        struct Key: Hashable, Comparable {
            let account: UInt64, role: UInt8, action: UInt8, outcome: UInt8
            static func < (a: Key, b: Key) -> Bool { (a.account, a.action, a.outcome, a.role) < (b.account, b.action, b.outcome, b.role) }
        }
        var counts: [Key: UInt64] = [:]
        var roles: [Key: ConsoleAccess.Role] = [:]
        var refused: [RefusedOpening] = []
        var refusedCount: UInt64 = 0
        var dropped: UInt64 = 0
        var agencies: [UInt64: (delivered: UInt64, bulletins: UInt64, refused: UInt64)] = [:]
        var seen = false
        func plus(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? .max : sum
        }
        for entry in log.entries {
            switch entry.event {
            case .consoleAccess(let access):
                seen = true
                let key = Key(account: access.account, role: access.role.rawValue, action: access.action.rawValue, outcome: access.outcome.rawValue)
                counts[key] = min(counts[key, default: 0], .max - 1) + 1
                roles[key] = access.role
                if access.action == .openBulletin, access.outcome != .succeeded {
                    refusedCount = min(refusedCount, .max - 1) + 1
                    if refused.count < refusedOpeningsListed {
                        refused.append(
                            RefusedOpening(
                                entryIndex: entry.index, time: entry.time.millisecondsSinceEpoch, account: access.account,
                                role: access.role.description, outcome: access.outcome.description, bulletin: access.bulletin?.description))
                    }
                }
            case .consoleAccessDropped(let count):
                seen = true
                dropped = plus(dropped, count)
            case .agencyAccess(let access):
                seen = true
                var counts = agencies[access.agency] ?? (0, 0, 0)
                switch access.outcome {
                case .delivered:
                    counts.delivered = plus(counts.delivered, 1)
                    counts.bulletins = plus(counts.bulletins, UInt64(access.bulletins.count))
                case .refused:
                    counts.refused = plus(counts.refused, 1)
                }
                agencies[access.agency] = counts
            default:
                break
            }
        }
        guard seen else { return nil }
        return ConsoleAccessReport(
            state: log.state,
            counts: counts.keys.sorted().map { key in
                Count(
                    account: key.account, role: (roles[key] ?? .none).description,
                    action: ConsoleAccess.Action(rawValue: key.action)?.description ?? "?",
                    outcome: ConsoleAccess.Outcome(rawValue: key.outcome)?.description ?? "?", count: counts[key] ?? 0)
            },
            refusedOpenings: refused, refusedOpeningCount: refusedCount, dropped: dropped,
            agencies: agencies.keys.sorted().map { agency in
                let counts = agencies[agency] ?? (0, 0, 0)
                return AgencyCount(agency: agency, delivered: counts.delivered, bulletins: counts.bulletins, refused: counts.refused)
            })
    }

    /// Refused agency requests, all agencies (saturating).
    public var agencyRequestsRefused: UInt64 {
        agencies.reduce(0) { total, count in
            let (sum, overflow) = total.addingReportingOverflow(count.refused)
            return overflow ? .max : sum
        }
    }

    /// `agency 3: 12 responses delivering 1200 bulletins, 1 refused`, one line per agency
    /// (`requests without a valid token: 4 refused` for agency 0).
    public var agencyLines: [String] {
        agencies.map { count in
            guard count.agency != 0 else { return "requests without a valid token: \(count.refused) refused" }
            var line = "agency \(count.agency): \(count.delivered) responses delivering \(count.bulletins) bulletins"
            if count.refused > 0 { line += ", \(count.refused) refused" }
            return line
        }
    }

    /// The accounts with at least one refused or not-found opening, ascending.
    public var accountsRefused: [UInt64] {
        Array(Set(counts.filter { $0.action == "openBulletin" && $0.outcome != "succeeded" }.map(\.account))).sorted()
    }

    /// `account 7 (reader): openBulletin succeeded 12, openBulletin refused 2; …`, one line per account.
    public var lines: [String] {
        Dictionary(grouping: counts, by: \.account).sorted { $0.key < $1.key }.map { account, counts in
            let who = account == 0 ? "no account (sign-ins for unknown names)" : "account \(account) (\(counts.first?.role ?? "?"))"
            return who + ": " + counts.map { "\($0.action) \($0.outcome) \($0.count)" }.joined(separator: ", ")
        }
    }
}
