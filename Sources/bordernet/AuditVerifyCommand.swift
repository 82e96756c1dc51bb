import ArgumentParser
import Audit
import AuditCollection
import Exchange
import Foundation
import NodeSetup

/// `bordernet audit verify --data NODE [--json]`.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a node's own audit log end to end, naming the first entry that was altered.",
        discussion: """
            Rereads DATA/audit.sqlite trusting nothing computed before (docs/AUDIT.md §9): \
            entries numbered without gaps, each decoding and naming this node, each leaf hash \
            recomputed from the bytes, the tree rebuilt, and every stored signed tree head checked \
            against the node's signing key (card.json) and the rebuilt root. Only reads; the node \
            may be running or stopped.

            Exit status: 0 the log is intact, 1 it is not (the message names the entry, or the \
            smallest range of entries the signed heads pin the change to) or cannot be read.

            Example:
              bordernet audit verify --data /var/lib/bordernet
            """)

    @OptionGroup var data: DataOption

    @OptionGroup var output: JSONOption

    func run() throws {
        do {
            let directory = NodeDirectory(path: data.path)
            let (log, card) = try NodeAuditFile(directory: directory).open()
            // Heads signed before a key rotation verify with the keys the roster's history keeps.
            let history = (try? directory.loadRoster()).flatMap { $0 }.map { Array($0.retiredKeys(of: card.state)) } ?? []
            let summary = try log.verify(trustedKeys: { time in
                RetiredKeys.trustedSigningKeys(history: history, current: card.signingKey, at: time)
            })
            if output.json {
                try printJSON(
                    VerifyOutput(state: card.state.description, intact: true, entries: summary.entryCount, treeHeads: summary.treeHeadCount, root: "\(summary.root)"))
            } else {
                print("audit log of \(card.state) intact: \(summary.entryCount) entries, \(summary.treeHeadCount) signed tree heads checked, root \(summary.root)")
            }
        } catch {
            printError("bordernet: audit verify failed: \(error)")
            throw ExitCode(1)
        }
    }

    struct VerifyOutput: Encodable {
        let state: String
        let intact: Bool
        let entries: UInt64
        let treeHeads: Int
        let root: String
    }
}
