import Audit
import Exchange
import Logging
import Wire

extension NodeEngine {
    /// Console access records written one by one per second (``ConsoleAccessBound``).
    static let consoleAccessesPerSecond = 20

    /// Agency access records written at once from a full bound, and regained a second
    /// (``AgencyAccessBound``, shared with the console, which serves TAXII pages within a stricter
    /// bucket so that this one admits every record): a catch-up of 100 pages fits whole.
    static let agencyAccessBurst = AgencyAccessBound.nodeBurst
    static let agencyAccessesPerSecond = AgencyAccessBound.nodePerSecond

    /// `recordAccess`: checks every record of the request, console and agency alike (any bad one
    /// refuses the whole request, and nothing of it is written), then appends up to the rate
    /// bounds as `consoleAccess` and `agencyAccess` entries and counts the rest for the
    /// interval's `consoleAccessDropped` entry.
    func recordConsoleAccesses(_ records: [ConsoleAccessRecord]?, agencies agencyRecords: [AgencyAccessRecord]? = nil) -> ControlResponse {
        let accesses: [ConsoleAccess]
        let agencyAccesses: [AgencyAccess]
        do throws(ConsoleAccessRefusal) {
            (accesses, agencyAccesses) = try Self.accesses(records, agencies: agencyRecords)
        } catch {
            metrics.count("bordernet_console_access_requests_refused_total")
            consoleAccessRefusals &+= 1
            if consoleAccessRefusals == 1 {
                logger.warning("console access records refused", metadata: ["error": "\(error)"])
            }
            return .failure("access records refused: \(error)")
        }
        let now = ContinuousClock.now
        let admitted = accesses.isEmpty ? 0 : consoleAccessBound.admit(accesses.count, now: now)
        for access in accesses.prefix(admitted) {
            audit(.consoleAccess(access))
            metrics.count("bordernet_console_accesses_total", [("action", access.action.description), ("outcome", access.outcome.description)])
        }
        if admitted < accesses.count {
            metrics.count("bordernet_console_accesses_dropped_total", by: accesses.count - admitted)
        }
        let agenciesAdmitted = agencyAccesses.isEmpty ? 0 : agencyAccessBound.admit(agencyAccesses.count, now: now)
        for access in agencyAccesses.prefix(agenciesAdmitted) {
            audit(.agencyAccess(access))
            metrics.count("bordernet_agency_accesses_total", [("outcome", access.outcome.description)])
            if !access.bulletins.isEmpty {
                metrics.count("bordernet_agency_bulletins_delivered_total", by: access.bulletins.count)
            }
        }
        if agenciesAdmitted < agencyAccesses.count {
            metrics.count("bordernet_agency_accesses_dropped_total", by: agencyAccesses.count - agenciesAdmitted)
        }
        return ControlResponse(ok: true)
    }

    /// At the end of the summary interval: one `consoleAccessDropped` entry and one log line for
    /// the records over the rate bound, one log line for refused requests beyond the first.
    func summariseConsoleAccesses() {
        let (dropped, overflow) = consoleAccessBound.closeInterval().addingReportingOverflow(agencyAccessBound.closeInterval())
        if overflow || dropped > 0 {
            audit(.consoleAccessDropped(count: overflow ? .max : dropped))
            logger.warning(
                "console access records over the rate bound (summary)",
                metadata: ["dropped": "\(dropped)", "perSecond": "\(Self.consoleAccessesPerSecond)", "interval": "\(Self.refusalSummaryInterval)"])
        }
        if consoleAccessRefusals > 1 {
            logger.warning(
                "console access records refused (summary)",
                metadata: ["requests": "\(consoleAccessRefusals)", "interval": "\(Self.refusalSummaryInterval)"])
        }
        consoleAccessRefusals = 0
    }

    /// The records as audit values, each checked: 1…64 of them, an account in 0…2^53−1, a known
    /// role (absent exactly for account 0), an outcome the action can have, and a bulletin
    /// reference that parses, only for `openBulletin` (``ConsoleAccess/validate()``).
    static func consoleAccesses(_ records: [ConsoleAccessRecord]?) throws(ConsoleAccessRefusal) -> [ConsoleAccess] {
        try accesses(records, agencies: nil).console
    }

    /// A request's console and agency records as audit values, each checked: at least one record
    /// in all, at most ``ConsoleAccessRecord/maximumPerRequest`` console ones (``consoleAccesses(_:)``)
    /// and ``AgencyAccessRecord/maximumPerRequest`` agency ones (``agencyAccesses(_:)``).
    static func accesses(_ records: [ConsoleAccessRecord]?, agencies: [AgencyAccessRecord]?) throws(ConsoleAccessRefusal)
        -> (console: [ConsoleAccess], agencies: [AgencyAccess])
    {
        let records = records ?? []
        let agencies = agencies ?? []
        guard records.count <= ConsoleAccessRecord.maximumPerRequest, !(records.isEmpty && agencies.isEmpty) else {
            throw ConsoleAccessRefusal(
                index: nil, reason: "recordAccess carries 1…\(ConsoleAccessRecord.maximumPerRequest) accesses, got \(records.count)")
        }
        return (try checkedConsoleAccesses(records), try agencyAccesses(agencies))
    }

    /// The agency records as audit values, each checked: at most
    /// ``AgencyAccessRecord/maximumPerRequest``; an agency in 0…2^53−1, 0 only when refused; at
    /// most 100 bulletin references, each a reference that parses, none twice, none for a
    /// refusal (``AgencyAccess/validate()``). References are put in ascending order.
    static func agencyAccesses(_ records: [AgencyAccessRecord]) throws(ConsoleAccessRefusal) -> [AgencyAccess] {
        guard records.count <= AgencyAccessRecord.maximumPerRequest else {
            throw ConsoleAccessRefusal(
                index: nil, reason: "recordAccess carries at most \(AgencyAccessRecord.maximumPerRequest) agency accesses, got \(records.count)")
        }
        var accesses: [AgencyAccess] = []
        for (index, record) in records.enumerated() {
            func refuse(_ reason: String) -> ConsoleAccessRefusal { ConsoleAccessRefusal(index: index, reason: reason, agency: true) }
            guard record.agency >= 0 else { throw refuse("agency \(record.agency) is negative") }
            guard record.bulletins.count <= AgencyAccessRecord.maximumBulletins else {
                throw refuse("\(record.bulletins.count) bulletins, more than the \(AgencyAccessRecord.maximumBulletins) of one response")
            }
            var bulletins: [BulletinReference] = []
            for text in record.bulletins {
                do {
                    bulletins.append(try BulletinReference(text))
                } catch {
                    throw refuse("bulletin '\(String(text.prefix(40)))' is not a reference (XX-ULID): \(error)")
                }
            }
            bulletins.sort()
            if let repeated = zip(bulletins, bulletins.dropFirst()).first(where: { $0.0 == $0.1 }) {
                throw refuse("bulletin \(repeated.0) is listed twice")
            }
            let outcome: AgencyAccess.Outcome = record.outcome == .delivered ? .delivered : .refused
            let access = AgencyAccess(agency: UInt64(record.agency), outcome: outcome, bulletins: bulletins)
            do {
                try access.validate()
            } catch {
                throw refuse(error.description)
            }
            accesses.append(access)
        }
        return accesses
    }

    /// The console records, each checked (the count is the caller's).
    private static func checkedConsoleAccesses(_ records: [ConsoleAccessRecord]) throws(ConsoleAccessRefusal) -> [ConsoleAccess] {
        var accesses: [ConsoleAccess] = []
        for (index, record) in records.enumerated() {
            func refuse(_ reason: String) -> ConsoleAccessRefusal { ConsoleAccessRefusal(index: index, reason: reason) }
            guard record.account >= 0 else { throw refuse("account \(record.account) is negative") }
            let role: ConsoleAccess.Role
            switch record.role {
            case nil: role = .none
            case .some(let name):
                guard name != "none", let known = ConsoleAccess.Role(name: name) else {
                    throw refuse("role '\(String(name.prefix(32)))' is not officer, reader, operator or auditor")
                }
                role = known
            }
            let bulletin: BulletinReference?
            do {
                bulletin = try record.bulletin.map { (text: String) throws(FormatError) in try BulletinReference(text) }
            } catch {
                throw refuse("bulletin '\(String((record.bulletin ?? "").prefix(40)))' is not a reference (XX-ULID): \(error)")
            }
            let access = ConsoleAccess(
                account: UInt64(record.account), role: role, action: ConsoleAccess.Action(record.action),
                outcome: ConsoleAccess.Outcome(record.outcome), bulletin: bulletin)
            do {
                try access.validate()
            } catch {
                throw refuse(error.description)
            }
            accesses.append(access)
        }
        return accesses
    }
}

/// Why a `recordAccess` request was refused: which record (0-based) and what is wrong with it.
struct ConsoleAccessRefusal: Error, CustomStringConvertible {
    let index: Int?
    let reason: String
    /// Whether `index` counts the request's agency records rather than its console ones.
    var agency = false

    var description: String { index.map { "\(agency ? "agency access" : "access") \($0): \(reason)" } ?? reason }
}

extension ConsoleAccess.Action {
    /// The audit action of a wire action (the same names).
    init(_ action: ConsoleAccessRecord.Action) {
        switch action {
        case .signIn: self = .signIn
        case .signOut: self = .signOut
        case .openBulletin: self = .openBulletin
        }
    }
}

extension ConsoleAccess.Outcome {
    /// The audit outcome of a wire outcome (the same names).
    init(_ outcome: ConsoleAccessRecord.Outcome) {
        switch outcome {
        case .succeeded: self = .succeeded
        case .refused: self = .refused
        case .lockedOut: self = .lockedOut
        case .notFound: self = .notFound
        }
    }
}
