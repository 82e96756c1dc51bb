import ArgumentParser
import Dispatch
import Foundation
import LocalFiles
import Logging
import Node
import NodeSetup

#if canImport(Glibc)
    import Glibc
#endif

/// `bordernet node …`: the daemon.
struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Run a member state's node.", subcommands: [NodeRunCommand.self])
}

/// `bordernet node run --data DIR`.
struct NodeRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the node in the foreground until SIGTERM or SIGINT (Ctrl-C).",
        discussion: """
            The node publishes this state's envelopes, subscribes to every neighbour that has a \
            link to it, checks, stores and acknowledges what they send, and serves local commands \
            (post, feed, status) on DATA/control.sock. Logs go to standard error (level in \
            node.toml, or --log-level).

            Example:
              bordernet node run --data /var/lib/bordernet
            """)

    @OptionGroup var data: DataOption

    @Option(help: ArgumentHelp("Override node.toml's log level.", valueName: "level"))
    var logLevel: Logger.Level?

    func run() async throws {
        // Before any key is read: no other process of this user (the web console runs as it) can
        // read the node's memory, and no core file is written (docs/CONSOLE.md, Deployment).
        try ProcessMemory.closeToOtherProcesses()
        // Before the node starts its threads: two malloc arenas instead of one per thread.
        ProcessMemory.limitAllocatorArenas(to: 2)
        let directory = NodeDirectory(path: data.path)
        let configuration = try directory.loadConfiguration()
        // node.toml's level was checked when it was read.
        guard let level = logLevel ?? Logger.Level(rawValue: configuration.logLevel) else {
            throw ValidationError("node.toml's log level \"\(configuration.logLevel)\" is not trace, debug, info, notice, warning, error or critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let runtime = NodeRuntime(
            directory: directory, softwareVersion: BorderNetVersion.current, logger: Logger(label: "bordernet.node"))
        // The node finishes the message in hand, then returns.
        let stopSignals = StopSignals { runtime.stop() }
        defer { withExtendedLifetime(stopSignals) {} }
        do {
            try await runtime.runOnOwnThread()
        } catch {
            printError("bordernet: \(error)")
            throw ExitCode(1)
        }
    }
}
