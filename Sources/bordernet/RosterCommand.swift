import ArgumentParser
import BulletinSchema
import Exchange
import Foundation
import LocalFiles
import NodeClient
import NodeSetup
import Sodium
import Wire

/// `bordernet roster …`: the secretariat prepares and signs the roster; nodes install it.
struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Prepare, sign, show and install the signed list of member nodes and their links.",
        discussion: """
            The secretariat adds each node's card.json, adds links (who may send to whom; by \
            default each member's land and sea neighbours), signs, and distributes the signed \
            file; each node installs it. A node accepts only a roster signed by the key it \
            pinned at init, newer than the one it has, and not expired.

            Example:
              bordernet roster add ma/card.json dz/card.json tn/card.json --data SECRETARIAT
              bordernet roster link --neighbours --data SECRETARIAT
              bordernet roster sign --data SECRETARIAT --out roster.signed
              bordernet roster install roster.signed --data ma
            """,
        subcommands: [
            RosterAddCommand.self, RosterRemoveCommand.self, RosterRevokeCommand.self, RosterLinkCommand.self, RosterSuccessorCommand.self,
            RosterSignCommand.self,
            RosterShowCommand.self, RosterInstallCommand.self,
        ])
}

/// `bordernet roster add CARD… --data SECRETARIAT [--role member|partner|secretariat] [--reads-schema MAJOR.MINOR]`.
struct RosterAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add nodes' identity cards to the roster draft (a card of a state already there replaces it: key rotation).",
        discussion: """
            A card with new keys for a state already in the draft is a key rotation (the node \
            made them with `bordernet keys rotate`): the state's current keys are kept in the \
            roster's key history, trusted for what they signed before --valid-from (default: a \
            day from now), so nothing sealed, receipted or logged before the switch is lost; the \
            new keys are trusted at once. The node switches to its new keys as soon as it \
            installs the roster: --valid-from must leave time for that, since what the old keys \
            sign from it on is refused. A key that may have leaked is revoked instead \
            (`roster revoke`).

            Each member is declared to read the bulletin schema version --reads-schema gives, \
            else the one its card.json names (what the node's schemas were at init), else 1.0. \
            Origins send a member no bulletin of a newer version: declare 1.1 only once the \
            node runs schemas 1.1 (docs/OPERATIONS.md, Upgrades). Re-adding a card is how a \
            member's declaration changes.

            Example:
              bordernet roster add dz/card.json --reads-schema 1.1 --data SECRETARIAT
            """)

    @Argument(help: ArgumentHelp("card.json files written by `bordernet init`.", valueName: "card"))
    var cards: [String]

    @Option(help: "What the nodes are (default: member).")
    var role: MemberRole?

    @Option(
        help: ArgumentHelp(
            "The newest bulletin schema version the nodes read (default: what each card.json says, else 1.0).", valueName: "major.minor"))
    var readsSchema: BodySchemaVersion?

    @Option(
        name: .customLong("valid-from"),
        help: ArgumentHelp(
            "For a card with new keys: from when the old keys no longer count (RFC 3339, now, +12h, +1d; default +1d).", valueName: "time"))
    var validFrom: Moment?

    @OptionGroup var data: DataOption

    /// How long a rotated-out key stays trusted for what it signs, by default: a day, for the
    /// roster to reach the rotating node (which switches when it installs it).
    static let defaultRotationOverlap: UInt64 = 86_400_000

    func run() throws {
        let memberRole = role ?? .member
        let secretariat = SecretariatDirectory(path: data.path)
        var draft = try secretariat.loadDraft()
        for path in cards {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path)")
            }
            let file: CardFile
            do {
                file = try CardFile(json: contents)
            } catch {
                throw ValidationError("\(path) is not an identity card: \(error)")
            }
            let reads = readsSchema ?? file.readsSchema ?? RosterMember.defaultReadsSchema
            // A declaration no schema of this release reads (another major version, or a newer
            // minor than the secretariat's own schemas) would make every origin refuse its posts
            // to that member: most likely a typo.
            if let catalog = try? SchemaCatalog.load(from: SchemaLocator.locate()) {
                let known = BodySchemaVersion(major: UInt8(clamping: catalog.version.major), minor: UInt8(clamping: catalog.version.minor))
                guard reads.major == known.major else {
                    throw ValidationError("\(file.card.state) cannot be declared to read schema \(reads): the schemas here are \(known), another major version")
                }
                if known < reads {
                    printError("bordernet: warning: \(file.card.state) is declared to read schema \(reads), newer than the schemas here (\(known)); check it runs that version")
                }
            }
            let rotated = draft.members.contains { $0.state == file.card.state && $0.card.signingKey != file.card.signingKey }
            let validFrom = validFrom?.timestamp ?? Timestamp.now.adding(milliseconds: Self.defaultRotationOverlap)
            if rotated, validFrom < Timestamp.now {
                throw ValidationError(
                    "--valid-from \(validFrom) is in the past: what the old keys signed since then would be refused and those links would stop; give a time ahead (+1d), or revoke the keys (roster revoke) if they leaked")
            }
            do {
                try draft.add(RosterMember(card: file.card, role: memberRole, readsSchema: reads), validFrom: validFrom)
            } catch {
                throw ValidationError("\(error)")
            }
            print("added \(file.card.state) \(file.card.nodeName) as \(memberRole), reads schema \(reads)")
            if rotated {
                print("  new keys for \(file.card.state): its previous keys count for what they signed before \(validFrom)")
            }
        }
        try secretariat.saveDraft(draft)
    }
}

/// `bordernet roster remove STATE… --data SECRETARIAT`.
struct RosterRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove states and their links from the roster draft (revocation).")

    @Argument(help: ArgumentHelp("State codes (two letters).", valueName: "state"))
    var states: [StateCode]

    @OptionGroup var data: DataOption

    func run() throws {
        let secretariat = SecretariatDirectory(path: data.path)
        var draft = try secretariat.loadDraft()
        for state in states {
            draft.remove(state)
            print("removed \(state)")
        }
        try secretariat.saveDraft(draft)
    }
}

/// `bordernet roster revoke STATE --since TIME --reason TEXT --data SECRETARIAT`.
struct RosterRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a state's keys after a compromise: nothing they sign from --since on is trusted.",
        discussion: """
            The state's current keys go into the roster's key history as revoked from --since \
            (the time the compromise began, as far as it is known), with the reason; the state \
            and its links leave the draft. Once the signed roster reaches them, nodes refuse \
            envelopes, receipts and audit heads those keys signed dated from --since, and their \
            CURVE connections. The state comes back with new keys (`bordernet keys rotate` or a \
            new `init` on its node, then `roster add` and `roster link`), in this roster or a \
            later one.

            Example:
              bordernet roster revoke DZ --since 2026-11-28T06:00:00Z --reason "server seized" --data SECRETARIAT
              bordernet roster sign --data SECRETARIAT --out roster-9.signed
            """)

    @Argument(help: ArgumentHelp("The state whose keys are revoked.", valueName: "state"))
    var state: StateCode

    @Option(help: ArgumentHelp("When the compromise began (RFC 3339, now, or a time back: 2h, 1d).", valueName: "time"))
    var since: Moment

    @Option(help: ArgumentHelp("Why, for the members' operators and auditors (1–200 bytes, no control characters).", valueName: "text"))
    var reason: String

    @OptionGroup var data: DataOption

    func validate() throws {
        guard (1...200).contains(reason.utf8.count), !reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError("--reason must be 1–200 bytes of text without control characters")
        }
    }

    func run() throws {
        // A compromise is known after it began: a time ahead would keep the stolen keys trusted
        // until then (a clock a few minutes off is tolerated).
        guard since.timestamp <= Timestamp.now.adding(milliseconds: 300_000) else {
            throw ValidationError("--since \(since.timestamp) is in the future: give when the compromise began (now, 2h, or an RFC 3339 time)")
        }
        let secretariat = SecretariatDirectory(path: data.path)
        var draft = try secretariat.loadDraft()
        do {
            try draft.revoke(state, since: since.timestamp, reason: reason)
        } catch {
            throw ValidationError("\(error)")
        }
        try secretariat.saveDraft(draft)
        print("revoked \(state)'s keys from \(since.timestamp) (\(reason)); \(state) and its links left the draft: sign and distribute the roster now")
    }
}

/// `bordernet roster successor KEY --data SECRETARIAT` (or `--clear`).
struct RosterSuccessorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "successor",
        abstract: "Hand the roster over to a new secretariat key: the rosters this draft signs announce it.",
        discussion: """
            After a key ceremony makes the new key (`bordernet secretariat init` in a new folder), \
            name it here, in the folder of the key in use, and sign: every node that installs \
            that roster accepts rosters signed with the new key too. Then copy roster-draft.json \
            to the new folder and sign there: nodes that install that roster pin the new key and \
            refuse the old one from then on. No operator acts on the nodes. The same works from \
            the offline backup key's folder when the roster key is lost (docs/OPERATIONS.md, \
            "Rotating the secretariat's key").

            Example:
              bordernet roster successor 5b0c…e91a --data /srv/secretariat
              bordernet roster sign --data /srv/secretariat --out roster-5.signed
            """)

    @Argument(help: ArgumentHelp("The new roster key: the 64 hexadecimal digits its ceremony printed.", valueName: "hex"))
    var key: Ed25519.PublicKey?

    @Flag(help: "Announce no successor any more.")
    var clear = false

    @OptionGroup var data: DataOption

    func validate() throws {
        guard (key != nil) != clear else { throw ValidationError("give either the new key or --clear") }
    }

    func run() throws {
        let secretariat = SecretariatDirectory(path: data.path)
        var draft = try secretariat.loadDraft()
        draft.successorKey = key
        try secretariat.saveDraft(draft)
        if let key {
            print("the rosters signed from this draft announce the successor key \(Hex.encode(key.rawRepresentation)); sign and distribute one, then sign the next with the new key")
        } else {
            print("no successor key is announced any more")
        }
    }
}

/// `bordernet roster link FROM TO [--both] | --neighbours --data SECRETARIAT`.
struct RosterLinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Allow a state to send bulletins to another (a link), or link every pair of neighbours.",
        discussion: """
            Examples:
              bordernet roster link MA DZ --data SECRETARIAT          (MA may send to DZ)
              bordernet roster link MA ES --both --data SECRETARIAT   (both ways)
              bordernet roster link --neighbours --data SECRETARIAT   (every land and sea border between members)
            """)

    @Argument(help: ArgumentHelp("The origin and recipient states (two letters each).", valueName: "state"))
    var states: [StateCode] = []

    @Flag(help: "Add the reverse link too.")
    var both = false

    @Flag(help: "Link both ways every pair of member states that share a land or sea border.")
    var neighbours = false

    @OptionGroup var data: DataOption

    func validate() throws {
        guard neighbours ? states.isEmpty : states.count == 2 else {
            throw ValidationError("give two states (FROM TO), or --neighbours alone")
        }
    }

    func run() throws {
        let secretariat = SecretariatDirectory(path: data.path)
        var draft = try secretariat.loadDraft()
        let before = Set(draft.links)
        if neighbours {
            draft.linkNeighbours()
        } else {
            let (origin, recipient) = (states[0], states[1])
            draft.link(Link(origin: origin, recipient: recipient))
            if both { draft.link(Link(origin: recipient, recipient: origin)) }
        }
        for link in draft.links where !before.contains(link) { print("linked \(link)") }
        try secretariat.saveDraft(draft)
    }
}

/// `bordernet roster sign --data SECRETARIAT --out FILE`.
struct RosterSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Sign the draft as the next roster version and write it to a file to distribute.")

    @OptionGroup var data: DataOption

    @Option(help: ArgumentHelp("Where to write the signed roster.", valueName: "file"))
    var out: String

    @Option(help: "Days the roster stays valid; nodes refuse it afterwards.")
    var validDays: Int = 365

    @OptionGroup var output: JSONOption

    func run() throws {
        guard (1...3_650).contains(validDays) else { throw ValidationError("--valid-days must be 1…3650") }
        // Before any key is read: no other process of this user (the secretariat's console runs as
        // it) can read this process's memory, and no core file is written (docs/CONSOLE.md, Deployment).
        try ProcessMemory.closeToOtherProcesses()
        let (roster, signed) = try SecretariatDirectory(path: data.path).signDraft(validityDays: validDays)
        do {
            try Data(signed.serializedBytes).write(to: URL(fileURLWithPath: out))
        } catch {
            throw ValidationError("cannot write \(out): \(error.localizedDescription)")
        }
        if output.json {
            try printJSON(RosterSummary(roster))
        } else {
            print("signed roster version \(roster.version): \(roster.members.count) members, \(roster.links.count) links, expires \(roster.expiresAt)")
            print("written to \(out)")
        }
    }
}

/// `bordernet roster show FILE`.
struct RosterShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a signed roster file (without checking who signed it).")

    @Argument(help: ArgumentHelp("A signed roster file.", valueName: "file"))
    var file: String

    @OptionGroup var output: JSONOption

    func run() throws {
        guard let contents = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let roster: Roster
        do {
            roster = try Roster(canonicalBytes: SignedRoster(serializedBytes: [UInt8](contents)).rosterBytes)
        } catch {
            throw ValidationError("\(file) is not a signed roster: \(error)")
        }
        if output.json {
            try printJSON(RosterSummary(roster))
            return
        }
        print("roster version \(roster.version) (format \(roster.format)), issued \(roster.issuedAt), expires \(roster.expiresAt)")
        for member in roster.members {
            print(
                "  \(member.state)  \(member.card.nodeName)  \(member.role)  reads schema \(member.readsSchema)  publish \(member.card.endpoints.publish)  service \(member.card.endpoints.service)"
            )
        }
        print("links: " + roster.links.map(\.description).joined(separator: "  "))
        if !roster.retiredKeys.isEmpty {
            print("key history (docs/PROTOCOL.md §6.5):")
            for entry in roster.retiredKeys {
                let what = entry.revocation.map { "REVOKED from \(entry.until): \($0)" } ?? "rotated, trusted for what is dated before \(entry.until)"
                print("  - \(entry.state) keys \(Hex.encode(entry.signingKey.rawRepresentation).prefix(16))…  \(what)")
            }
        }
    }
}

/// `bordernet roster install FILE --data NODE [--json]`.
struct RosterInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install a signed roster in a node: in force at once when the node runs, at its start otherwise.",
        discussion: """
            The roster must verify with the secretariat key pinned at init, be newer than the \
            installed one (no rollback) and not have expired. It must not declare that this node \
            reads a newer bulletin schema version than the schemas it loads (node.toml \
            paths.schemas, else the search of docs/SCHEMAS.md): origins would send it bulletins \
            it refuses, and the node would refuse to start. When the schemas cannot be found from \
            here, nothing is installed: give --schemas with the folder the node loads.

            When the node runs, the roster goes to it over its control socket: the node checks \
            it the same way, and also that it holds this node's own card (a roster that removes \
            this state or gives it new keys is installed only with the node stopped), writes it \
            and switches to it without a restart: new links open, removed ones close, and a \
            removed or replaced key loses its connections. The node audits the install or the \
            refusal. Nodes also fetch newer rosters by themselves from the secretariat's node and \
            their neighbours (node.toml roster.check_interval_ms); installing by hand is for the \
            secretariat's own node and for sites off the network.

            Exit status: 0 installed (or already installed), 1 refused or the node could not be asked.
            """)

    @Argument(help: ArgumentHelp("The signed roster file.", valueName: "file"))
    var file: String

    @OptionGroup var data: DataOption

    @Option(help: ArgumentHelp("The node's schemas folder, when node.toml's paths.schemas and the search do not find it from here.", valueName: "dir"))
    var schemas: String?

    @OptionGroup var output: JSONOption

    func run() throws {
        guard let contents = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let signed: SignedRoster
        do {
            signed = try SignedRoster(serializedBytes: [UInt8](contents))
        } catch {
            throw ValidationError("\(file) is not a signed roster: \(error)")
        }
        let directory = NodeDirectory(path: data.path)
        let timeout = (try? directory.loadConfiguration().controlTimeoutMilliseconds) ?? 10_000
        // The node is the only writer of roster.signed while it runs (it also installs rosters
        // from the network): hand it the roster when it answers; write the file only while
        // holding node.lock, which proves no node runs (or starts) on the folder.
        if ControlClient(directory: directory, timeoutMilliseconds: timeout).unreachability() == nil {
            try installInRunningNode(signed)
            return
        }
        guard let lock = try DataFolderLock(directory: directory) else {
            printError(
                "bordernet: a node runs on \(data.path) but its control socket does not answer yet (starting?); nothing installed: run this again in a moment")
            throw ExitCode(1)
        }
        defer { lock.release() }
        // The check needs the node's schemas: installing without it could leave a node that
        // refuses to start and a roster that cannot be rolled back.
        var configuration = try directory.loadConfiguration()
        if let schemas { configuration.schemasPath = schemas }
        let located: (directory: URL, reads: BodySchemaVersion)
        do {
            located = try NodeSchemas.locate(for: configuration)
        } catch {
            throw ValidationError(
                "nothing installed: the node's schemas are needed to check what the roster declares it reads (\(error)); give --schemas DIR, the folder the node loads")
        }
        let roster = try directory.installRoster(signed, schemas: (located.reads, located.directory.path))
        report(version: roster.version, changed: true, running: false, members: roster.members.count, links: roster.links.count)
    }

    /// Hands the roster to the running node, which checks, writes and applies it.
    private func installInRunningNode(_ signed: SignedRoster) throws {
        let response = try askNode(ControlRequest(command: .rosterInstall, signedRoster: signed.serializedBytes), data: data)
        guard response.ok, let installed = response.roster else {
            printError("bordernet: \(response.error ?? "the node refused the roster")")
            throw ExitCode(1)
        }
        let roster = try? Roster(canonicalBytes: signed.rosterBytes)
        report(version: installed.version, changed: installed.changed, running: true, members: roster?.members.count, links: roster?.links.count)
    }

    private func report(version: UInt64, changed: Bool, running: Bool, members: Int?, links: Int?) {
        if output.json {
            let object: [String: Any] = [
                "version": version, "changed": changed, "nodeRunning": running, "members": members ?? NSNull(), "links": links ?? NSNull(),
            ]
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
                print(String(decoding: data, as: UTF8.self))
            }
            return
        }
        let size = members.map { m in " (\(m) members, \(links ?? 0) links)" } ?? ""
        switch (changed, running) {
        case (true, true): print("roster version \(version) installed\(size) and in force in the running node")
        case (false, true): print("roster version \(version) is already installed in the running node")
        case (_, false): print("roster version \(version) installed\(size); the node uses it when it starts")
        }
    }
}

/// The JSON form of a roster for `--json`.
struct RosterSummary: Encodable {
    let version: UInt64
    let format: UInt8
    let issuedAt: String
    let expiresAt: String
    let members: [Member]
    let links: [String]
    /// The key history (format 3): rotated and revoked keys with their until.
    let retiredKeys: [Retired]

    struct Retired: Encodable {
        let state: String
        let signingKey: String
        let until: String
        let revocation: String?
    }

    struct Member: Encodable {
        let state: String
        let name: String
        let role: String
        let readsSchema: String
        let publish: String
        let service: String
    }

    init(_ roster: Roster) {
        version = roster.version
        format = roster.format
        issuedAt = "\(roster.issuedAt)"
        expiresAt = "\(roster.expiresAt)"
        members = roster.members.map {
            Member(
                state: $0.state.description, name: $0.card.nodeName, role: "\($0.role)", readsSchema: $0.readsSchema.description, publish: $0.card.endpoints.publish,
                service: $0.card.endpoints.service)
        }
        links = roster.links.map(\.description)
        retiredKeys = roster.retiredKeys.map {
            Retired(state: $0.state.description, signingKey: Hex.encode($0.signingKey.rawRepresentation), until: "\($0.until)", revocation: $0.revocation)
        }
    }
}
