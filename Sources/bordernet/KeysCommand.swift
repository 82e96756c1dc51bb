import ArgumentParser
import Exchange
import Foundation
import NodeClient
import NodeSetup
import Sodium
import Wire

/// `bordernet keys …`: a node's keys over time.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make a node's next keys (rotation) without stopping it.",
        subcommands: [KeysRotateCommand.self])
}

/// `bordernet keys rotate --data NODE [--json]`.
struct KeysRotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Make the node's next signing, encryption and transport keys and their card, beside the keys in use.",
        discussion: """
            Writes DATA/keys.next/ and DATA/card.next.json (same state, name and addresses); the \
            running node goes on with its current keys. Send card.next.json to the secretariat \
            (read its fingerprint, the SHA-256 this command prints, to them by phone), who adds it with `roster add` (a card with new keys \
            for a state is a rotation) and signs. When the node installs a roster that holds the \
            new card (by the network or `roster install`), it switches at once, without a \
            restart: it signs with the new keys, reconnects with the new transport key, and \
            keeps the old ones in DATA/keys.retired/ to open envelopes sealed to them. \
            docs/OPERATIONS.md, "Rotating a node's keys".

            Example:
              bordernet keys rotate --data /var/lib/bordernet
            """)

    @OptionGroup var data: DataOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let directory = NodeDirectory(path: data.path)
        let card = try directory.createNextKeys()
        // A running node holds them at once: an origin may seal to them before the roster with
        // the new card reaches this node.
        let timeout = (try? directory.loadConfiguration().controlTimeoutMilliseconds) ?? 10_000
        if ControlClient(directory: directory, timeoutMilliseconds: timeout).unreachability() == nil {
            let answer = try askNode(ControlRequest(command: .keysReload), data: data)
            if !answer.ok { printError("bordernet: warning: the running node did not take the next keys: \(answer.error ?? "?")") }
        }
        let path = URL(fileURLWithPath: data.path).appendingPathComponent("card.next.json").standardizedFileURL.path
        // What `sha256sum card.next.json` prints, to be read to the secretariat (OPERATIONS.md).
        let fingerprint = Hex.encode(SHA256.hash([UInt8](FileManager.default.contents(atPath: path) ?? Data())))
        if output.json {
            let object: [String: String] = ["state": card.state.description, "card": path, "fingerprint": fingerprint]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(
                "next keys for \(card.state) made in \(data.path)/keys.next; send \(path) to the secretariat (fingerprint \(fingerprint))"
            )
        }
    }
}
