import ArgumentParser
import AuditCollection
import Foundation
import LocalFiles
import NodeSetup

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

            Each run also re-checks entries collected before: the first and the last held, and \
            --recheck others chosen at random (default 16). For each, the node must show the \
            same bytes as collected and prove them, by an inclusion proof, in the last head the \
            secretariat accepted. An entry rewritten since it was collected is EQUIVOCATION, \
            named by its index. The output says how many entries were re-checked.

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

    @Option(
        name: .customLong("recheck"),
        help: ArgumentHelp(
            "Earlier entries per node to re-check at random by inclusion proof, besides the first and the last held (0…1000).",
            valueName: "count"))
    var recheckCount = AuditCollector.defaultRecheckCount

    @OptionGroup var output: JSONOption

    func validate() throws {
        guard (100...600_000).contains(timeoutMilliseconds) else { throw ValidationError("--timeout-ms must be 100…600000") }
        guard (0...1_000).contains(recheckCount) else { throw ValidationError("--recheck must be 0…1000") }
    }

    func run() throws {
        // Before any key is read: no other process of this user (the secretariat's console runs as
        // it) can read this process's memory, and no core file is written (docs/CONSOLE.md, Deployment).
        try ProcessMemory.closeToOtherProcesses()
        let summary: CollectionRun.Summary
        do {
            summary = try CollectionRun(
                directory: SecretariatDirectory(path: data.path), timeoutMilliseconds: timeoutMilliseconds, recheckCount: recheckCount
            ).run()
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
            print("Re-checked \(summary.rechecked) earlier entries by inclusion proof against the heads already held.")
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
