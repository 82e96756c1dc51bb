import ArgumentParser
import Audit
import AuditCollection
import Foundation
import NodeSetup

/// `bordernet audit entries --data NODE [--kind KIND]… [--last N] [--json]`.
struct AuditEntriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entries",
        abstract: "List the entries of a node's own audit log (metadata only), newest last.",
        discussion: """
            Reads DATA/audit.sqlite and prints its last entries (--last, default 100), or the last \
            of the kinds given (--kind, repeatable: e.g. consoleAccess for the web console's \
            sign-ins and bulletin openings, docs/AUDIT.md §3.3): --last counts the entries listed. \
            The log is read backwards from its end, and at most the last 1000000 entries are \
            looked at: when that bound is reached before --last matches, a note on stderr says \
            so (older matches may exist). Text: one line per \
            entry with its index, time, kind and fields; --json: an array of entries in the JSON \
            form of docs/AUDIT.md §4. Only reads; the node may be running or stopped. Use \
            `audit verify` to check the log and `audit prove` to prove one entry.

            Exit status: 0 listed (perhaps nothing), 1 the log cannot be read or a kind is unknown.

            Example:
              bordernet audit entries --data /var/lib/bordernet --kind consoleAccess --last 50
              bordernet audit entries --data /var/lib/bordernet --json
            """)

    @OptionGroup var data: DataOption

    @Option(name: .customLong("kind"), help: ArgumentHelp("Only entries of this kind (repeatable), e.g. consoleAccess.", valueName: "kind"))
    var kinds: [String] = []

    @Option(help: ArgumentHelp("How many of the last (matching) entries to list (1…100000).", valueName: "count"))
    var last: UInt64 = 100

    @OptionGroup var output: JSONOption

    /// The most entries looked at, from the end of the log, to find the last `--last` matches.
    static let scanLimit: UInt64 = 1_000_000

    func validate() throws {
        guard (1...100_000).contains(last) else { throw ValidationError("--last is 1…100000, got \(last)") }
        for name in kinds where AuditEvent.Kind(name: name) == nil {
            throw ValidationError(
                "--kind \(name) is not a kind of audit entry; the kinds are \(AuditEvent.Kind.allCases.map(\.description).joined(separator: ", "))")
        }
    }

    func run() throws {
        let wanted = Set(kinds.compactMap(AuditEvent.Kind.init(name:)))
        let entries: [AuditEntry]
        do {
            let (log, _) = try NodeAuditFile(directory: NodeDirectory(path: data.path)).open()
            let found = try log.lastEntries(last, of: wanted, scanning: Self.scanLimit)
            entries = found.entries
            if !found.complete {
                printError(
                    "bordernet: audit entries: \(entries.count) of \(last) found in the last \(found.scanned) entries, the most looked at; older ones may match")
            }
        } catch {
            printError("bordernet: audit entries failed: \(error)")
            throw ExitCode(1)
        }
        if output.json {
            try printJSON(entries)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for entry in entries {
            let fields = (try? encoder.encode(entry.event)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            print("#\(entry.index) \(entry.time) \(entry.state) \(entry.event.kind) \(fields)")
        }
    }
}
