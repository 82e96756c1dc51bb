import ArgumentParser
import BulletinSchema
import Foundation
import SearchIndex
import Wire

/// `bordernet watch`: the node's watch-lists, through its control socket.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract:
            "Add, remove and list watch-list entries: names, documents, plates, vessels, phones, incident types, crossing points.",
        discussion: """
            An entry belongs to an owner — a console user (user:NAME), an agency system \
            (agency:NAME) or the node's operator (operator) — and keeps the scope its owner can \
            read when it is made: a bulletin that matches it raises an alert only within that \
            scope (docs/SEARCH.md, "Watch-lists and alerts"), and only for bulletins stored from \
            then on. An owner watches a value once (a second entry of the same kind and value is \
            refused), and entries need search ([search] enabled = true). Alerts are shown by \
            `bordernet alerts`.

            The operator's entries cover every bulletin. For a user or an agency, give what they \
            may read: --working-group (repeat it), --tlp-max and --agency-kind, as their console \
            account or agency credential says (`bordernet console user list`, `console agency list`).

            The node audits each change (the kind of owner and the entry's number), never the value.

            Examples:
              bordernet watch add --data /var/lib/bordernet --owner operator --kind name --value "Mohamed Ben Youssef"
              bordernet watch add --data /var/lib/bordernet --owner user:amina --kind document --value MAR:AB123456 \\
                --working-group security --tlp-max AMBER --agency-kind law-enforcement --label "stolen passport"
              bordernet watch list --data /var/lib/bordernet --owner operator --json
              bordernet watch remove --data /var/lib/bordernet --owner operator --entry 12
            """,
        subcommands: [WatchAddCommand.self, WatchRemoveCommand.self, WatchListCommand.self])
}

/// The owner, for every `watch` subcommand.
struct WatchOwnerOption: ParsableArguments {
    @Option(help: ArgumentHelp("Who keeps the entries: user:NAME, agency:NAME or operator.", valueName: "owner"))
    var owner: String

    func validate() throws {
        guard WatchOwner(owner) != nil else {
            throw ValidationError("--owner must be user:NAME, agency:NAME (a name of 1–64 characters) or operator")
        }
    }
}

struct WatchAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a watch-list entry; prints its number.")

    @OptionGroup var data: DataOption
    @OptionGroup var owner: WatchOwnerOption

    @Option(
        help: ArgumentHelp(
            "What to watch: name, document, plate, vessel, phone, incident-type, crossing-point.", valueName: "kind"))
    var kind: String

    @Option(
        help: ArgumentHelp(
            "The value (at most 200 characters), e.g. a name in Arabic or Latin letters, MAR:AB123456.",
            valueName: "value"))
    var value: String

    @Option(help: ArgumentHelp("The owner's own words for the entry (optional, one line).", valueName: "text"))
    var label: String?

    @Option(
        name: .customLong("working-group"),
        help: ArgumentHelp("User or agency: a working group they read (repeat).", valueName: "group"))
    var workingGroups: [String] = []

    @Option(
        name: .customLong("tlp-max"),
        help: ArgumentHelp("User or agency: the highest TLP they read.", valueName: "label"))
    var tlpMax: String?

    @Option(
        name: .customLong("agency-kind"),
        help: ArgumentHelp(
            "User or agency: law-enforcement, intelligence or other (the handling codes they may read; no default, so that an entry never gets a wider scope than its owner's by omission).",
            valueName: "kind"))
    var agencyKind: String?

    @OptionGroup var output: JSONOption

    func run() throws {
        let owned = WatchOwner(owner.owner)
        var scope: WatchScope?
        if owned != .operatorOfNode {
            guard !workingGroups.isEmpty, let tlpMax, let agencyKind else {
                printError(
                    "bordernet: an entry of a user or an agency needs --working-group, --tlp-max and --agency-kind: what its owner may read"
                )
                throw ExitCode(1)
            }
            let groups = workingGroups.flatMap {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            let isAgency: Bool = if case .agency = owned { true } else { false }
            switch WatchScopeJSON.readerScope(
                workingGroups: groups, highestTLP: tlpMax, agencyKind: agencyKind, agency: isAgency)
            {
            case .success(let json): scope = try JSONDecoder().decode(WatchScope.self, from: Data(json.utf8))
            case .failure(let error):
                printError("bordernet: \(error)")
                throw ExitCode(1)
            }
        }
        let response = try askNode(
            ControlRequest(
                command: .watchAdd,
                watch: WatchRequest(owner: owner.owner, kind: kind, value: value, label: label, scope: scope)),
            data: data)
        guard response.ok, let entry = response.watchEntries?.first else {
            printError("bordernet: \(response.error ?? "the entry was not added")")
            throw ExitCode(1)
        }
        if output.json {
            try printJSON(entry)
        } else {
            print("watch-list entry #\(entry.id) added for \(DisplayText.neutralised(entry.owner))")
        }
    }
}

struct WatchRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a watch-list entry (it alerts no more).")

    @OptionGroup var data: DataOption
    @OptionGroup var owner: WatchOwnerOption

    @Option(help: ArgumentHelp("The entry's number (watch list).", valueName: "number"))
    var entry: Int64

    @OptionGroup var output: JSONOption

    func run() throws {
        let response = try askNode(
            ControlRequest(command: .watchRemove, watch: WatchRequest(owner: owner.owner, entry: entry)), data: data)
        guard response.ok else {
            printError("bordernet: \(response.error ?? "the entry was not removed")")
            throw ExitCode(1)
        }
        if output.json { try printJSON(["removed": entry]) } else { print("watch-list entry #\(entry) removed") }
    }
}

struct WatchListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List an owner's watch-list entries, oldest first.")

    @OptionGroup var data: DataOption
    @OptionGroup var owner: WatchOwnerOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let response = try askNode(
            ControlRequest(command: .watchList, watch: WatchRequest(owner: owner.owner)), data: data)
        guard response.ok else {
            printError("bordernet: \(response.error ?? "no watch-list")")
            throw ExitCode(1)
        }
        let entries = response.watchEntries ?? []
        if output.json { return try printJSON(entries) }
        if entries.isEmpty { print("no watch-list entries for \(DisplayText.neutralised(owner.owner))") }
        for entry in entries {
            let scope =
                entry.scope.kind == "restricted"
                ? "\((entry.scope.workingGroups ?? []).joined(separator: ",")) \((entry.scope.tlps ?? []).joined(separator: ","))"
                : entry.scope.kind
            let label = entry.label.map { " — " + DisplayText.neutralised($0) } ?? ""
            print("#\(entry.id)  \(entry.kind)  \(DisplayText.neutralised(entry.value))\(label)  [\(scope)]")
        }
    }
}
