import ArgumentParser
import ConsoleAccounts
import Exchange
import Foundation

/// `bordernet console agency …`: the TAXII credentials of the state's agency systems.
struct ConsoleAgencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency",
        abstract: "Add, list, revoke and renew the TAXII credentials of agency systems (MISP, OpenCTI).",
        discussion: """
            Each agency system of the state — a police, customs or intelligence platform — \
            holds a credential of its own to read the node's bulletins as STIX 2.1 from the \
            console's TAXII server. What it receives is decided by the console's clearance \
            policy from its working groups, highest TLP and agency kind, as for a reader. Its \
            token is printed once, when it is added or renewed, and stored only as a hash; every \
            request it makes is recorded in the node's audit log under its number (never its \
            name or token).

            Example:
              bordernet console agency add ma-customs --working-groups customs,security \\
                  --tlp-max amber --kind law-enforcement --expires 90d
              bordernet console agency list
              bordernet console agency renew ma-customs --expires 2027-06-30
              bordernet console agency revoke ma-customs
            """,
        subcommands: [ConsoleAgencyAddCommand.self, ConsoleAgencyListCommand.self, ConsoleAgencyRevokeCommand.self, ConsoleAgencyRenewCommand.self])
}

/// `--expires 90d` or `--expires 2027-06-30` (midnight UTC) or an RFC 3339 instant.
struct AgencyExpiry: ExpressibleByArgument, Equatable {
    enum Value: Equatable {
        case days(Int)
        case date(Date)
    }

    let value: Value

    init(days: Int) { value = .days(days) }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        guard text.utf8.count <= 40 else { return nil }
        if text.hasSuffix("d"), let days = Int(text.dropLast()), (1...1_827).contains(days) {
            value = .days(days)
            return
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        if let date = formatter.date(from: text), text.utf8.count == 10 {
            value = .date(date)
            return
        }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) {
            value = .date(date)
            return
        }
        return nil
    }

    /// The instant the token stops working, counted from `now`.
    func date(from now: Date) -> Date {
        switch value {
        case .days(let days): now.addingTimeInterval(Double(days) * 86_400)
        case .date(let date): date
        }
    }

    static let help = ArgumentHelp(
        "When the token stops working: a number of days (90d; 1–1827) or a date (2027-06-30, midnight UTC, or 2027-06-30T12:00:00Z); at most 5 years away.",
        valueName: "90d|date")
}

/// `bordernet console agency add NAME --working-groups … --tlp-max … --kind … [--expires …] [--json]`.
struct ConsoleAgencyAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an agency system's credential and print its token once.",
        discussion: """
            The token (bnt_ and 43 characters) is printed on the last line, or with --json as \
            "token": it is shown only now and stored only as a hash. Give it to the agency's \
            system administrators over a channel you trust; the system sends it as \
            `Authorization: Bearer TOKEN`. A lost token is replaced with `agency renew`.

            TLP:RED bulletins are for named recipients only: --tlp-max red makes the agency one, \
            and must be confirmed with --named-for-red, so that RED is never given by accident.

            Example:
              bordernet console agency add ma-customs --working-groups customs,security \\
                  --tlp-max amber --kind law-enforcement
            """)

    @OptionGroup var consoleData: ConsoleDataOption

    @Argument(help: ArgumentHelp("The agency's name: 3–64 characters of a-z 0-9 . _ - (e.g. ma-customs), never used before.", valueName: "name"))
    var name: String

    @Option(
        name: .customLong("working-groups"),
        help: ArgumentHelp(
            "The working groups whose bulletins the agency receives, comma-separated: "
                + AgencyCredential.workingGroupNames.joined(separator: ", ") + ".", valueName: "groups"))
    var workingGroups: WorkingGroupList

    @Option(
        name: .customLong("tlp-max"),
        help: ArgumentHelp("The highest TLP the agency receives; red needs --named-for-red.", valueName: "tlp"))
    var tlpMax: TLP

    @Flag(
        name: .customLong("named-for-red"),
        help: "Confirm --tlp-max red: the agency is a named recipient of every TLP:RED bulletin its working groups receive.")
    var namedForRed = false

    @Option(help: ArgumentHelp("The kind of agency: " + AgencyCredential.agencyKinds.joined(separator: ", ") + ".", valueName: "kind"))
    var kind: String

    @Option(help: AgencyExpiry.help)
    var expires = AgencyExpiry(days: 90)

    @OptionGroup var output: JSONOption

    func validate() throws {
        for group in workingGroups.names where !AgencyCredential.workingGroupNames.contains(group) {
            throw ValidationError(
                "--working-groups: '\(group)' is not a working group; they are \(AgencyCredential.workingGroupNames.joined(separator: ", "))")
        }
        guard !workingGroups.names.isEmpty else { throw ValidationError("--working-groups names at least one working group") }
        guard AgencyCredential.agencyKinds.contains(kind.lowercased()) else {
            throw ValidationError("--kind '\(kind)' is not a kind of agency; the kinds are \(AgencyCredential.agencyKinds.joined(separator: ", "))")
        }
        if tlpMax == .red, !namedForRed {
            throw ValidationError(
                "--tlp-max red makes '\(name)' a named recipient of TLP:RED bulletins; confirm it with --named-for-red, or give a lower --tlp-max")
        }
        if namedForRed, tlpMax != .red {
            throw ValidationError("--named-for-red goes only with --tlp-max red (given: \(tlpMax.label))")
        }
    }

    func run() throws {
        let accounts = try consoleData.openAccounts()
        let now = Date()
        let new = NewAgency(
            name: name, workingGroups: workingGroups.names, highestTLP: tlpMax.label, agencyKind: kind, expiresAt: expires.date(from: now))
        let (agency, token) = try accountsStep { () throws(AccountError) in try accounts.addAgency(new, now: now) }
        if output.json {
            try printConsoleJSON(Issued(agency: ListedAgency(agency, now: now), token: token))
            return
        }
        print("Agency \(agency.name) (number \(agency.id)) added to \(accounts.path): \(ListedAgency.summary(agency))")
        print("Token (shown only now: it cannot be shown again; `bordernet console agency renew \(agency.name)` gives a new one):")
        print(token)
    }
}

/// An agency credential as `list` and `--json` print it: every field and its status, never a token.
struct ListedAgency: Encodable {
    let id: Int64
    let name: String
    let workingGroups: [String]
    let highestTLP: String
    let agencyKind: String
    let createdAt: Date
    let expiresAt: Date
    let revokedAt: Date?
    let lastUsedAt: Date?
    let status: String

    init(_ agency: AgencyCredential, now: Date) {
        id = agency.id
        name = agency.name
        workingGroups = agency.workingGroups
        highestTLP = agency.highestTLP
        agencyKind = agency.agencyKind
        createdAt = agency.createdAt
        expiresAt = agency.expiresAt
        revokedAt = agency.revokedAt
        lastUsedAt = agency.lastUsedAt
        status = agency.status(at: now).rawValue
    }

    /// `customs,security, up to TLP:AMBER, law-enforcement, expires 2027-…Z`.
    static func summary(_ agency: AgencyCredential) -> String {
        "\(agency.workingGroups.joined(separator: ",")), up to TLP:\(agency.highestTLP), \(agency.agencyKind), expires \(agency.expiresAt.formatted(.iso8601))"
    }
}

/// What `add` and `renew` print with `--json`.
private struct Issued: Encodable {
    let agency: ListedAgency
    let token: String
}

/// `bordernet console agency list [--json]`.
struct ConsoleAgencyListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the agency credentials (never their tokens).",
        discussion: """
            One line per agency: name, number (#3: the number the node's audit log records for \
            its requests), status (active, expired, revoked), highest TLP, working groups, agency \
            kind, expiry and last use (to a minute). --json prints every field and the status.
            """)

    @OptionGroup var consoleData: ConsoleDataOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let accounts = try consoleData.openAccounts()
        let now = Date()
        let agencies = try accountsStep { () throws(AccountError) in try accounts.agencies() }
        if output.json {
            try printConsoleJSON(agencies.map { ListedAgency($0, now: now) })
            return
        }
        if agencies.isEmpty {
            print("No agency credentials in \(accounts.path): add one with `bordernet console agency add`.")
            return
        }
        for agency in agencies {
            let lastUsed = agency.lastUsedAt.map { "last used " + $0.formatted(.iso8601) } ?? "never used"
            print(
                [
                    agency.name, "#\(agency.id)", agency.status(at: now).rawValue, "TLP:" + agency.highestTLP,
                    agency.workingGroups.joined(separator: ","), agency.agencyKind, "expires " + agency.expiresAt.formatted(.iso8601), lastUsed,
                ].joined(separator: "  "))
        }
    }
}

/// `bordernet console agency revoke NAME`.
struct ConsoleAgencyRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an agency's credential for good: its token stops working at once.",
        discussion: """
            The credential stays listed (revoked) and its name is not used again, so that its \
            number in the audit log keeps naming one agency. To trust the agency again, add it \
            under a new name. A running console refuses the token at its next request.
            """)

    @OptionGroup var consoleData: ConsoleDataOption
    @Argument(help: ArgumentHelp("The agency's name.", valueName: "name"))
    var name: String

    func run() throws {
        let accounts = try consoleData.openAccounts()
        try accountsStep { () throws(AccountError) in try accounts.revokeAgency(named: name, now: Date()) }
        print("Agency \(name.lowercased()) revoked: its token no longer works")
    }
}

/// `bordernet console agency renew NAME [--expires …] [--json]`.
struct ConsoleAgencyRenewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Give an agency a new token with a new expiry; the old token stops working at once.",
        discussion: """
            For a token that expires soon, has expired, was lost or may be known to others. The \
            new token is printed once, on the last line (--json: "token"). A revoked agency \
            cannot be renewed.

            Example:
              bordernet console agency renew ma-customs --expires 180d
            """)

    @OptionGroup var consoleData: ConsoleDataOption
    @Argument(help: ArgumentHelp("The agency's name.", valueName: "name"))
    var name: String
    @Option(help: AgencyExpiry.help)
    var expires = AgencyExpiry(days: 90)
    @OptionGroup var output: JSONOption

    func run() throws {
        let accounts = try consoleData.openAccounts()
        let now = Date()
        let token = try accountsStep { () throws(AccountError) in
            try accounts.renewAgencyToken(named: name, expiresAt: expires.date(from: now), now: now)
        }
        let agency = try accountsStep { () throws(AccountError) in
            guard let agency = try accounts.agency(named: name) else { throw .noSuchAgency(name) }
            return agency
        }
        if output.json {
            try printConsoleJSON(Issued(agency: ListedAgency(agency, now: now), token: token))
            return
        }
        print("Agency \(agency.name) (number \(agency.id)) has a new token: \(ListedAgency.summary(agency)); the old one no longer works")
        print("Token (shown only now: it cannot be shown again):")
        print(token)
    }
}
