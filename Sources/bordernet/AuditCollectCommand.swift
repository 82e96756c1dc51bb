import ArgumentParser
import AuditCollection
import Foundation
import Node

/// `bordernet audit collect --data SECRETARIAT [--timeout-ms N] [--json]`.
struct AuditCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Fetch and verify every node's new audit entries into the secretariat's store.",
        discussion: """
            For each member and partner of the last roster the secretariat signed \
            (DIR/roster.signed), connects to the node's service endpoint over CURVE with the \
            secretariat's transport key, gets a fresh signed tree head and verifies it against the \
            node's roster card, checks the consistency proof from the last head it accepted, \
            fetches the new entries in batches of 1000 and recomputes the root over every entry \
            held. What verifies is kept in DIR/collected.sqlite with every head ever received.

            Two signed heads of one size with different roots are EQUIVOCATION; a head that \
            cannot be proven to extend the last accepted one (a shrunk, truncated and regrown or \
            rewritten log) is INCONSISTENT. Both are flagged loudly, the offending head is kept \
            as evidence beside the earlier one, and the accepted head is never replaced.

            A node that does not answer within --timeout-ms (per request) is reported as \
            unreachable; the others are still collected.

            Exit status: 0 collected (some nodes may be unreachable: see the output), 2 a node \
            was flagged (equivocation, inconsistency, a forged head or entries that do not match \
            their head), 1 the secretariat's own setup or store failed.

            Example:
              bordernet audit collect --data /srv/secretariat
            """)

    @OptionGroup var data: DataOption

    @Option(name: .customLong("timeout-ms"), help: ArgumentHelp("How long each request to a node may wait for its answer.", valueName: "ms"))
    var timeoutMilliseconds = 5_000

    @OptionGroup var output: JSONOption

    func validate() throws {
        guard (100...600_000).contains(timeoutMilliseconds) else { throw ValidationError("--timeout-ms must be 100…600000") }
    }

    func run() throws {
        let summary: CollectionRun.Summary
        do {
            summary = try CollectionRun(directory: SecretariatDirectory(path: data.path), timeoutMilliseconds: timeoutMilliseconds).run()
        } catch {
            printError("bordernet: \(error)")
            throw ExitCode(1)
        }
        if output.json {
            try printJSON(summary)
        } else {
            print("Collected with roster version \(summary.rosterVersion):")
            for node in summary.nodes {
                let mark = node.outcome == .flagged ? "!!" : (node.outcome == .unreachable || node.outcome == .refused ? "??" : "ok")
                print("  \(mark) \(node.state)  \(node.outcome.rawValue): \(node.detail)")
            }
            if summary.hasFindings {
                print("")
                print("*** FLAGGED: see the findings above; the evidence heads are kept in \(SecretariatDirectory(path: data.path).collectionStorePath) ***")
            }
            if !summary.unreachable.isEmpty {
                print("\(summary.unreachable.count) node(s) not collected this time: \(summary.unreachable.map(\.state.description).joined(separator: ", "))")
            }
        }
        if summary.hasFindings {
            for node in summary.nodes where node.outcome == .flagged {
                printError("bordernet: \(node.state) FLAGGED: \(node.detail)")
            }
            throw ExitCode(2)
        }
    }
}
