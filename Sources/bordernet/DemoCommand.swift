import ArgumentParser
import AuditCollection
import BulletinSchema
import Demo
import Dispatch
import Foundation
import LocalFiles

#if canImport(Glibc)
    import Glibc
#endif

/// `bordernet demo`: a whole region on one machine, for newcomers and for CI (`make run`).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a demo region: the ten states' nodes on 127.0.0.1 exchanging sample bulletins along their land borders.",
        discussion: """
            The first run creates the region in --dir: a secretariat and the nodes of Morocco, \
            Algeria, Tunisia, Libya, Egypt, Sudan, Chad, Mali, Niger and Mauritania \
            (MA DZ TN LY EG SD TD ML NE MR), \
            linked both ways along every land border between them, with a signed roster \
            installed in each; each node uses two ports from --base-port. Later runs reuse the \
            region and its stores.

            The demo starts every node as a child process (log in DIR/xx/node.log), posts sample \
            bulletins of several incident types (Schemas/examples, each from the state it names), \
            waits until every recipient has stored and acknowledged them, shows each state's feed \
            and each node's links, then keeps the region running until Ctrl-C (SIGINT) or \
            SIGTERM, and stops every node. With --once it stops right after showing them, and \
            exits 1 if a sample did not reach a recipient in time.

            Examples:
              bordernet demo
              bordernet demo --dir /tmp/region --base-port 17450
              bordernet demo --once --json | jq '.samples[] | {id, recipients, deliveredTo}'
            """)

    @Option(help: ArgumentHelp("The demo region's folder (created on the first run).", valueName: "dir"))
    var dir = ".demo"

    @Option(
        help: ArgumentHelp(
            "First of the 16 consecutive 127.0.0.1 ports of a new region (default \(DemoRegion.defaultBasePort)).", valueName: "port"))
    var basePort: Int?

    @Flag(help: "Stop the nodes right after showing the feeds and links, and exit (for tests and CI).")
    var once = false

    @OptionGroup var output: JSONOption

    func run() throws {
        let schemas: URL
        do {
            schemas = try SchemaLocator.locate()
        } catch {
            printError("bordernet demo: schemas: \(error)")
            throw ExitCode(1)
        }
        let json = output.json
        // Progress goes to standard error with --json, so that standard output is one document.
        let say: (String) -> Void = { line in
            if json {
                printError(line)
            } else {
                print(line)
                fflush(nil)  // all C streams: `stdout` itself is not concurrency-safe to name
            }
        }
        let interrupted = StopFlag()
        // SIGINT and SIGTERM set the flag instead of ending the process, so the nodes can be stopped.
        let stopSignals = StopSignals { interrupted.set() }
        defer { withExtendedLifetime(stopSignals) {} }

        let session = DemoSession(
            region: DemoRegion(path: dir), executable: Self.executable(), schemas: schemas, progress: say,
            isInterrupted: { interrupted.isSet })
        let printer = DemoPrinter(directory: Self.displayPath(dir), binary: Self.displayBinary(), say: say)
        let report: DemoReport
        do {
            report = try session.run(requestedBasePort: basePort)
        } catch {
            printError("bordernet demo: \(error)")
            if !session.nodes.isEmpty { printer.stopped(session.stop()) }
            if case .interrupted = error { throw ExitCode(130) }
            throw ExitCode(1)
        }
        if json {
            try printJSON(report)
            fflush(nil)  // a script waiting for the report must not wait for the region to stop
        } else {
            printer.show(report)
        }
        if once || interrupted.isSet {
            printer.stopped(session.stop())
            if !report.delivered { throw ExitCode(1) }
            return
        }
        printer.instructions(report)
        // The secretariat collects every node's audit log once, for its auditors' console.
        do {
            let summary = try CollectionRun(directory: DemoRegion(path: dir).secretariat, timeoutMilliseconds: 3_000).run()
            let collected = summary.nodes.filter { $0.outcome == .collected || $0.outcome == .upToDate }.count
            say("")
            say("The secretariat collected the audit logs of \(collected) of \(summary.nodes.count) nodes (`bordernet audit collect --data \(Self.displayPath(dir))/secretariat` again to refresh, `audit report` to read them).")
        } catch {
            say("The secretariat could not collect the audit logs: \(error)")
        }
        // The web consoles of two states, for people to try (docs/CONSOLE.md).
        let consoles = DemoConsoles.start(
            region: URL(fileURLWithPath: dir), executable: Self.executable(), schemas: schemas,
            basePort: report.nodes.compactMap { Int($0.publish.split(separator: ":").last ?? "") }.min() ?? DemoRegion.defaultBasePort, say: say)
        defer { DemoConsoles.stop(consoles) }
        if !consoles.isEmpty {
            say("")
            say("Web consoles (sign in with these passwords; new ones at every run):")
            for console in consoles {
                say("  \(console.state.uppercased())  \(console.url)")
                for (person, password) in console.passwords {
                    say("      \(person.username)  \(password)  (\(person.role), \(person.language))")
                }
            }
        }
        session.watch { node in
            // A node stopped by the same SIGTERM (a service manager signalling the whole group)
            // is not an unexpected exit.
            Thread.sleep(forTimeInterval: 0.3)
            if !interrupted.isSet { printer.unexpectedExit(node) }
        }
        say("")
        say(interrupted.isSet ? "Stopping the region…" : "Every node has ended; stopping the demo.")
        printer.stopped(session.stop())
    }

    /// This executable, to start the nodes with: `argv[0]` made absolute if it is a path, else
    /// the running binary.
    private static func executable() -> URL {
        let invoked = CommandLine.arguments.first ?? ""
        if invoked.contains("/") {
            let url = URL(fileURLWithPath: invoked).standardizedFileURL
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe")
    }

    /// How to call this executable in printed commands: as it was invoked (`.build/debug/bordernet`).
    private static func displayBinary() -> String {
        let invoked = CommandLine.arguments.first ?? "bordernet"
        return invoked.contains("/") ? invoked : "bordernet"
    }

    private static func displayPath(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
