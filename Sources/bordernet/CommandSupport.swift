import ArgumentParser
import Foundation
import NodeClient
import NodeSetup
import Wire

/// `--data DIR`: the folder a command works on.
struct DataOption: ParsableArguments {
    @Option(
        name: .customLong("data"),
        help: ArgumentHelp(
            "The data folder (the node's, or the secretariat's for secretariat and roster commands).",
            valueName: "dir"))
    var path: String = ProcessInfo.processInfo.environment["BORDERNET_DATA"] ?? "."
}

/// `--json`: machine-readable output.
struct JSONOption: ParsableArguments {
    @Flag(name: .long, help: "Print JSON for scripts instead of text.")
    var json = false
}

/// Sends `request` to the node of `data`, printing why not and exiting 1 when it cannot.
func askNode(_ request: ControlRequest, data: DataOption) throws -> ControlResponse {
    let directory = NodeDirectory(path: data.path)
    let timeout = (try? directory.loadConfiguration().controlTimeoutMilliseconds) ?? 10_000
    do {
        return try ControlClient(directory: directory, timeoutMilliseconds: timeout).send(request)
    } catch {
        printError("bordernet: \(error)")
        throw ExitCode(1)
    }
}

/// A time in Unix milliseconds as RFC 3339 UTC text.
func rfc3339(milliseconds: Int64) -> String {
    Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(.iso8601)
}
