import ArgumentParser
import Foundation
import Wire

/// `bordernet status --data DIR`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running node's links: sent, acknowledged, received, last contact, rejections.",
        discussion: """
            Example:
              bordernet status --data /var/lib/bordernet
              bordernet status --data /var/lib/bordernet --json | jq '.outgoing[] | select(.acknowledged < .sent)'
              bordernet status --data /var/lib/bordernet --metrics
            """)

    @OptionGroup var data: DataOption
    @OptionGroup var output: JSONOption

    @Flag(help: "Print the node's metrics in Prometheus text format instead (also in DATA/metrics.prom).")
    var metrics = false

    func run() throws {
        if metrics {
            let response = try askNode(ControlRequest(command: .metrics), data: data)
            guard response.ok, let text = response.metrics else {
                printError("bordernet: \(response.error ?? "the node gave no metrics")")
                throw ExitCode(1)
            }
            print(text, terminator: "")
            return
        }
        let response = try askNode(ControlRequest(command: .status), data: data)
        guard response.ok, let status = response.status else {
            printError("bordernet: \(response.error ?? "the node gave no status")")
            throw ExitCode(1)
        }
        if output.json {
            try printJSON(status)
            return
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        print("\(status.state) \(status.nodeName) — roster v\(status.rosterVersion) (expires \(rfc3339(milliseconds: status.rosterExpiresAt))), up since \(rfc3339(milliseconds: status.startedAt)), store \(status.storeBytes / 1024) KiB")
        print("outgoing links:")
        for link in status.outgoing {
            var line = "  \(status.state)→\(link.recipient)  sent \(link.sent)  acknowledged \(link.acknowledged)  \(link.subscribed ? "subscribed" : "not subscribed")"
            if let oldest = link.oldestUnacknowledged {
                line += "  oldest unacknowledged: seq \(oldest.sequence) \(oldest.bulletinID) (\(oldest.ageSeconds) s)"
            }
            if let attachments = link.attachmentsInTransfer { line += "  attachments in transfer: \(attachments)" }
            print(line)
        }
        print("incoming links:")
        for link in status.incoming {
            let contact = link.lastContactAt.map { "\((now - $0) / 1000) s ago" } ?? "never"
            print("  \(link.origin)→\(status.state)  received \(link.received)  announced \(link.announced.map(String.init) ?? "-")  last contact \(contact)  since start: \(link.acceptedLive) live, \(link.acceptedByReplay) by replay\(link.replaying ? "  replaying" : "")\(link.attachmentsInTransfer.map { "  attachments in transfer: \($0)" } ?? "")")
        }
        if !status.rejections.isEmpty {
            print("rejections:")
            for (peer, reasons) in status.rejections.sorted(by: { $0.key < $1.key }) {
                print("  \(peer): " + reasons.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
    }
}
