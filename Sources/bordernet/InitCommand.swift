import ArgumentParser
import Exchange
import Foundation
import NodeSetup
import Sodium

/// `bordernet init`: a new node's keys, card and configuration.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a node: its three keys, its identity card and a documented node.toml.",
        discussion: """
            Creates DATA (mode 0700) with keys/signing.key, keys/encryption.key and \
            keys/transport.key (mode 0600), card.json (send it to the secretariat), node.toml \
            and secretariat.pub (the pinned roster-signing key). Refuses to overwrite an existing \
            node. card.json also names the bulletin schema version of the schemas found now \
            (readsSchema), which `roster add` copies into the roster.

            The advertised endpoints go into the card: they are the addresses other states' \
            nodes connect to. The bind addresses go into node.toml.

            Example:
              bordernet init --state MA --name rabat-1 --data /var/lib/bordernet \\
                --secretariat-key 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c \\
                --advertise-publish tcp://rabat-1.example.ma:7450 --advertise-service tcp://rabat-1.example.ma:7451
            """)

    @Option(help: ArgumentHelp("The node's state: two letters, ISO 3166-1 alpha-2 (MA, DZ, TN…).", valueName: "code"))
    var state: StateCode

    @Option(help: ArgumentHelp("The node's name, unique in the state (e.g. rabat-1).", valueName: "name"))
    var name: String

    @OptionGroup var data: DataOption

    @Option(
        help: ArgumentHelp("The secretariat's public key: the 64 hexadecimal digits `bordernet secretariat init` printed.", valueName: "hex"))
    var secretariatKey: Ed25519.PublicKey

    @Option(
        help: ArgumentHelp(
            "The secretariat's offline backup key (hex), for the day its roster key is lost: rosters it signs are accepted too (docs/OPERATIONS.md).",
            valueName: "hex"))
    var secretariatBackupKey: Ed25519.PublicKey?

    @Option(help: ArgumentHelp("Publish endpoint written into the card (tcp://host:port).", valueName: "endpoint"))
    var advertisePublish = Endpoint(default: "tcp://127.0.0.1:7450")

    @Option(help: ArgumentHelp("Service endpoint written into the card (tcp://host:port).", valueName: "endpoint"))
    var advertiseService = Endpoint(default: "tcp://127.0.0.1:7451")

    @Option(help: ArgumentHelp("Where the publisher listens (node.toml network.publish).", valueName: "endpoint"))
    var bindPublish = Endpoint(default: "tcp://0.0.0.0:7450")

    @Option(help: ArgumentHelp("Where the service socket listens (node.toml network.service).", valueName: "endpoint"))
    var bindService = Endpoint(default: "tcp://0.0.0.0:7451")

    @OptionGroup var output: JSONOption

    func run() throws {
        // Each endpoint was checked as it was parsed.
        let endpoints = try NodeEndpoints(publish: advertisePublish.description, service: advertiseService.description)
        var configuration = NodeConfiguration()
        configuration.publishBind = bindPublish.description
        configuration.serviceBind = bindService.description
        let directory = NodeDirectory(path: data.path)
        // Advisory, for the secretariat's `roster add`: what the schemas this node would load now read.
        let reads = try? NodeSchemas.locate(for: configuration).reads
        let identity = try directory.create(
            state: state, nodeName: name, endpoints: endpoints, secretariatKey: secretariatKey, configuration: configuration,
            readsSchema: reads)
        if let secretariatBackupKey { try directory.pinSecretariatBackupKey(secretariatBackupKey) }
        let cardPath = directory.root.appendingPathComponent("card.json").path
        if output.json {
            try printJSON(["state": state.description, "name": name, "card": cardPath, "data": directory.root.path])
        } else {
            print("Node \(identity.card.state) \(identity.card.nodeName) created in \(directory.root.path)")
            print("  identity card: \(cardPath)  (send it to the secretariat)")
            if let reads { print("  schemas read:  \(reads) (card.json readsSchema, copied by `roster add`)") }
            print("  configuration: \(directory.root.appendingPathComponent("node.toml").path)")
            print("Next: install the roster the secretariat signs: bordernet roster install FILE --data \(data.path)")
        }
    }
}
