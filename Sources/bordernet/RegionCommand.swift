import ArgumentParser
import Exchange
import Foundation
import LocalFiles
import NodeSetup
import Region

/// `bordernet region …`: whole regions on one machine, for tests and rehearsals.
struct RegionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "region",
        abstract: "Generate a whole test region (secretariat, every node, the signed roster) from a region file.",
        subcommands: [RegionGenerateCommand.self])
}

/// `bordernet region generate --config FILE --out DIR [--base-port 7450] [--host 127.0.0.1]`.
struct RegionGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Create the secretariat key, every node's keys and node.toml, and install the signed roster everywhere.",
        discussion: """
            Reads a region file (states, roles, node names, links: see \
            Deploy/region/rabat-declaration.toml) and writes into DIR: secretariat/ (the roster \
            key), roster.signed, region.json (what was generated) and one data folder per state \
            (dz/, ma/, …). Every node binds and advertises HOST; the nodes sorted by state get \
            two consecutive ports each from the base port (publish, then service). Start a node \
            with `bordernet node run --data DIR/ma`.

            This puts a region on one machine, for tests, demonstrations and rehearsals. A real \
            deployment creates each node's keys on its own server (docs/OPERATIONS.md).

            Example:
              bordernet region generate --config /usr/share/bordernet/region/rabat-declaration.toml --out /tmp/region
              bordernet node run --data /tmp/region/ma
            """)

    @Option(help: ArgumentHelp("The region file.", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("A new or empty folder to write the region into.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("The first port; each node takes two.", valueName: "port"))
    var basePort = 7450

    @Option(help: ArgumentHelp("The address every node binds and advertises.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(
        help: ArgumentHelp(
            "The bulletin schema version every node is declared to read (default: that of the schemas found, else 1.0).",
            valueName: "major.minor"))
    var readsSchema: BodySchemaVersion?

    @OptionGroup var output: JSONOption

    func run() throws {
        // Before any key is made: no other process of this user (the secretariat's console runs as
        // it) can read this process's memory, and no core file is written (docs/CONSOLE.md, Deployment).
        try ProcessMemory.closeToOtherProcesses()
        // The nodes load the schemas found here unless their node.toml says otherwise.
        let reads = readsSchema ?? (try? NodeSchemas.locate(for: NodeConfiguration()).reads) ?? RosterMember.defaultReadsSchema
        let plan = try RegionPlan(contentsOf: URL(fileURLWithPath: config)).reading(reads)
        let region = try RegionGenerator(plan: plan, host: host, basePort: basePort)
            .generate(into: URL(fileURLWithPath: out, isDirectory: true))
        if output.json {
            try printJSON(region)
            return
        }
        print("\(region.name): \(region.nodes.count) nodes, \(region.links.count) links, roster v\(region.rosterVersion) (expires \(region.rosterExpiresAt))")
        print("secretariat key \(region.secretariatKey) in \(region.secretariat)")
        for node in region.nodes {
            let role = node.role.padding(toLength: 11, withPad: " ", startingAt: 0)
            print("  \(node.state)  \(role)  \(node.publish)  \(node.service)  \(node.data)")
        }
        print("Start a node: bordernet node run --data \(region.nodes.first?.data ?? out)")
    }
}
