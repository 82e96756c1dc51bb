import ArgumentParser
import Foundation
import Node
import Sodium

/// `bordernet secretariat …`: the secretariat's own setup.
struct SecretariatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secretariat",
        abstract: "Set up the secretariat's roster-signing key.",
        subcommands: [SecretariatInitCommand.self])
}

/// `bordernet secretariat init --data DIR`.
struct SecretariatInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the secretariat's roster-signing key (Ed25519) and an empty roster draft.",
        discussion: """
            The private key is written to DIR/secretariat.key (mode 0600, folder 0700); keep it \
            offline (docs/OPERATIONS.md). The public key is printed: every node pins it with \
            `bordernet init --secretariat-key`.

            Example:
              bordernet secretariat init --data /srv/secretariat
            """)

    @OptionGroup var data: DataOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let publicKey = try SecretariatDirectory(path: data.path).create()
        let hex = Hex.encode(publicKey.rawRepresentation)
        if output.json {
            try printJSON(["publicKey": hex, "data": data.path])
        } else {
            print("Secretariat key created in \(data.path)")
            print("Public key (give it to every node's `bordernet init --secretariat-key`):")
            print(hex)
        }
    }
}
