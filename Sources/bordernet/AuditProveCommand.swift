import ArgumentParser
import Audit
import AuditCollection
import Foundation
import NodeSetup

/// `bordernet audit prove --data NODE --entry N [--size M] [--json]`.
struct AuditProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print an inclusion proof of one audit entry that a third party can check.",
        discussion: """
            Prints the entry (decoded, and its canonical bytes), its leaf hash, the RFC 9162 \
            inclusion proof, and the node's signed tree head whose size and root the proof \
            leads to: by default the latest head the node signed, or the one of --size. With \
            the node's signing key from the roster, anyone can check it as docs/AUDIT.md §12.4 \
            says: leaf hash = SHA-256(0x00 ‖ entry bytes); the proof (§6.5) leads from it to the \
            head's root; the head's signature (§7.2) verifies. Only reads the log.

            Exit status: 0 printed (the proof was checked first), 1 no head covers the entry, or \
            the log cannot be read.

            Example:
              bordernet audit prove --data /var/lib/bordernet --entry 42 --json > entry-42.json
            """)

    @OptionGroup var data: DataOption

    @Option(help: ArgumentHelp("The entry's index (0-based).", valueName: "index"))
    var entry: UInt64

    @Option(help: ArgumentHelp("The size of a signed tree head the node stored (default: its latest).", valueName: "size"))
    var size: UInt64?

    @OptionGroup var output: JSONOption

    func run() throws {
        let evidence: InclusionEvidence
        do {
            let directory = NodeDirectory(path: data.path)
            let (log, card) = try NodeAuditFile(directory: directory).open()
            let history = (try? directory.loadRoster()).flatMap { $0 }.map { Array($0.retiredKeys(of: card.state)) } ?? []
            evidence = try InclusionEvidence.make(log: log, card: card, retiredKeys: history, index: entry, size: size)
        } catch {
            printError("bordernet: audit prove failed: \(error)")
            throw ExitCode(1)
        }
        if output.json {
            try printJSON(evidence)
            return
        }
        let head = evidence.signedTreeHead.head
        print("Entry \(evidence.entry.index) of \(evidence.state)'s audit log: \(evidence.entry)")
        print("  entry bytes  \(evidence.entryBytes)")
        print("  leaf hash    \(evidence.leafHash)   (SHA-256 of 00 ‖ entry bytes)")
        print("Inclusion proof (RFC 9162 §2.1.3) in the tree of \(evidence.treeSize) entries, \(evidence.proof.path.count) hashes, leaf first:")
        for (position, hash) in evidence.proof.path.enumerated() { print("  [\(position)] \(hash)") }
        print("  proof bytes  \(evidence.proofBytes)")
        print("Signed tree head of \(head.state): size \(head.treeSize), time \(head.timestamp), root \(head.rootHash)")
        print("  signing key  \(evidence.signedTreeHead.head.signingKey)")
        print("  head bytes   \(evidence.signedTreeHeadBytes)")
        print("Check: the proof leads from the leaf hash to the root; the head's signature verifies with \(head.state)'s roster signing key (docs/AUDIT.md §6.5, §7.2).")
    }
}
