import ArgumentParser
import Exchange
import Foundation
import LocalFiles
import NodeSetup
import Sodium

/// `bordernet secretariat …`: the secretariat's own setup.
struct SecretariatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secretariat",
        abstract: "Set up the secretariat's roster-signing key and node identity.",
        subcommands: [SecretariatInitCommand.self])
}

/// `bordernet secretariat init --data DIR [--state XS] [--name NAME]`.
struct SecretariatInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the secretariat's roster-signing key, its node identity and a roster draft that lists it.",
        discussion: """
            The roster-signing private key is written to DIR/secretariat.key (mode 0600, folder \
            0700); keep it offline (docs/OPERATIONS.md). Its public key is printed on the last \
            line: every node pins it with `bordernet init --secretariat-key`.

            The secretariat also gets a node identity, as `bordernet init` makes one: \
            DIR/keys/ (signing, encryption and transport keys, mode 0600) and DIR/card.json, for \
            the state code --state (XS by default, a user-assigned ISO 3166-1 code). The roster \
            draft starts with that card, role `secretariat`: once the roster is signed and \
            installed, nodes recognise the secretariat's CURVE key and answer its \
            `bordernet audit collect` (docs/AUDIT.md §12). The secretariat only connects out, so \
            its card's endpoints are placeholders (tcp://127.0.0.1:1).

            Example:
              bordernet secretariat init --data /srv/secretariat
              KEY=$(bordernet secretariat init --data /srv/secretariat | tail -n 1)
            """)

    @OptionGroup var data: DataOption

    @Option(
        help: ArgumentHelp("The secretariat's state code in the roster: a user-assigned ISO 3166-1 code (default: XS).", valueName: "code"))
    var state: StateCode?

    @Option(help: ArgumentHelp("The secretariat node's name in its card.", valueName: "name"))
    var name = "secretariat-1"

    @OptionGroup var output: JSONOption

    func run() throws {
        // Before any key is made: no other process of this user (the secretariat's console runs as
        // it) can read this process's memory, and no core file is written (docs/CONSOLE.md, Deployment).
        try ProcessMemory.closeToOtherProcesses()
        let stateCode = try state ?? StateCode("XS")
        let directory = SecretariatDirectory(path: data.path)
        let publicKey = try directory.create()
        let identity = try directory.createNode(state: stateCode, nodeName: name)
        let hex = Hex.encode(publicKey.rawRepresentation)
        let card = directory.root.appendingPathComponent("card.json").path
        if output.json {
            try printJSON(["publicKey": hex, "data": data.path, "state": stateCode.description, "card": card])
        } else {
            print("Secretariat key created in \(data.path)")
            print("Secretariat node \(identity.state) \(identity.card.nodeName) created (card \(card)), in the roster draft as secretariat")
            print("Public key (give it to every node's `bordernet init --secretariat-key`):")
            print(hex)
        }
    }
}
