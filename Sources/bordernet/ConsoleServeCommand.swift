import ArgumentParser
import BulletinSchema
import Console
import Foundation
import Logging

/// `bordernet console serve --data DIR --console-data DIR`: the web console of one node.
struct ConsoleServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web console of a node until SIGTERM or SIGINT (Ctrl-C).",
        discussion: """
            The console is its own process: it reads the node's store through a read-only \
            connection, posts through the node's control socket, and keeps people and sessions \
            in its own folder (--console-data). It never opens the node's key files; the unit \
            bordernet-console.service runs it as the node's user with the keys folder hidden \
            and the node's folder read-only (docs/CONSOLE.md, Deployment).

            It listens on loopback by default: put the shipped nginx site \
            (/usr/share/doc/bordernet/nginx/bordernet-console.conf) in front of it (browsers need HTTPS for secure cookies and security keys, except on loopback), \
            and name the address people use with --public-origin (security keys are bound to it). \
            The line "console listening on http://HOST:PORT" is printed once it accepts requests.

            With --secretariat DIR it is the secretariat's console instead: no node, no store, \
            no posting; auditors (role auditor) see the reconciliation matrix, the findings and \
            the collection history of `audit collect`, read from DIR/collected.sqlite alone, \
            opened read-only (never the secretariat's keys). --data is then not read.

            Examples:
              bordernet console serve --data /var/lib/bordernet --console-data /var/lib/bordernet-console \\
                  --public-origin https://console.example
              bordernet console serve --secretariat /srv/secretariat --console-data /var/lib/bordernet-secretariat-console
            """)

    @OptionGroup var data: DataOption

    @Option(help: ArgumentHelp("The console's own folder: people and sessions (console.sqlite).", valueName: "dir"))
    var consoleData: String = "/var/lib/bordernet-console"

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("Port to listen on (0: any free port, printed).", valueName: "port"))
    var port = 8470

    @Option(
        name: .customLong("public-origin"),
        help: ArgumentHelp(
            "An origin people reach the console at, e.g. https://console.example (repeat for several); its host is the security keys' RP ID. Default: http://127.0.0.1:PORT and http://localhost:PORT.",
            valueName: "origin"))
    var publicOrigins: [String] = []

    @Option(help: ArgumentHelp("The bulletin schemas (default: the search of docs/SCHEMAS.md §8).", valueName: "dir"))
    var schemas: String?

    @Flag(help: "The console is behind the TLS proxy of docs/CONSOLE.md: count sign-in attempts by the X-Forwarded-For address it appends (never without such a proxy).")
    var behindProxy = false

    @Option(
        help: ArgumentHelp(
            "Serve the secretariat's audit pages from this folder's collected.sqlite (read-only) instead of a node's pages.",
            valueName: "dir"))
    var secretariat: String?

    @Option(help: ArgumentHelp("Log level.", valueName: "level"))
    var logLevel: Logger.Level = .info

    func validate() throws {
        for origin in publicOrigins where PublicOrigin(origin) == nil {
            throw ValidationError("--public-origin \(origin): expected http(s)://HOST or http(s)://HOST:PORT, without path or query")
        }
    }

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let configuration = ConsoleConfiguration(
            nodeData: URL(fileURLWithPath: data.path), consoleData: URL(fileURLWithPath: consoleData),
            schemas: try SchemaLocator.locate(explicit: schemas), host: host, port: port, behindProxy: behindProxy,
            secretariatData: secretariat.map { URL(fileURLWithPath: $0) }, publicOrigins: publicOrigins.compactMap(PublicOrigin.init))
        let server: ConsoleServer
        do {
            server = try ConsoleServer(configuration: configuration, logger: Logger(label: "bordernet.console"))
        } catch {
            printError("bordernet: the console cannot start: \(error)")
            throw ExitCode(1)
        }
        let host = self.host
        try await server.run { port in
            print("console listening on http://\(host):\(port)")
            fflush(nil)  // nil: every stream; naming stdout is not concurrency-safe in Swift 6
        }
    }
}
