import Audit
import Exchange
import Logging
import Wire

extension NodeEngine {
    /// Console access records written one by one per second (``ConsoleAccessBound``).
    static let consoleAccessesPerSecond = 20

    /// `recordAccess`: checks every record of the request (any bad one refuses the whole request,
    /// and nothing of it is written), then appends up to the rate bound as `consoleAccess` entries
    /// and counts the rest for the interval's `consoleAccessDropped` entry.
    func recordConsoleAccesses(_ records: [ConsoleAccessRecord]?) -> ControlResponse {
        let accesses: [ConsoleAccess]
        do throws(ConsoleAccessRefusal) {
            accesses = try Self.consoleAccesses(records)
        } catch {
            metrics.count("bordernet_console_access_requests_refused_total")
            consoleAccessRefusals &+= 1
            if consoleAccessRefusals == 1 {
                logger.warning("console access records refused", metadata: ["error": "\(error)"])
            }
            return .failure("access records refused: \(error)")
        }
        let admitted = consoleAccessBound.admit(accesses.count, now: .now)
        for access in accesses.prefix(admitted) {
            audit(.consoleAccess(access))
            metrics.count("bordernet_console_accesses_total", [("action", access.action.description), ("outcome", access.outcome.description)])
        }
        if admitted < accesses.count {
            metrics.count("bordernet_console_accesses_dropped_total", by: accesses.count - admitted)
        }
        return ControlResponse(ok: true)
    }

    /// At the end of the summary interval: one `consoleAccessDropped` entry and one log line for
    /// the records over the rate bound, one log line for refused requests beyond the first.
    func summariseConsoleAccesses() {
        let dropped = consoleAccessBound.closeInterval()
        if dropped > 0 {
            audit(.consoleAccessDropped(count: dropped))
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
        guard let records, (1...ConsoleAccessRecord.maximumPerRequest).contains(records.count) else {
            throw ConsoleAccessRefusal(index: nil, reason: "recordAccess carries 1…\(ConsoleAccessRecord.maximumPerRequest) accesses, got \(records?.count ?? 0)")
        }
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

    var description: String { index.map { "access \($0): \(reason)" } ?? reason }
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
