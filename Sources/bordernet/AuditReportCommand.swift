import ArgumentParser
import AuditCollection
import Foundation
import LocalFiles
import NodeSetup

/// `bordernet audit report --data SECRETARIAT [--json | --html FILE] [--late-after-ms N] [--attachment-grace-ms N]`.
struct AuditReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reconcile, per link, what origins sent with what recipients received, from the collected logs.",
        discussion: """
            Reads only the secretariat's store (run `audit collect` first). Per link origin → \
            recipient: envelopes sent (origin's envelopeSent), received (recipient's accepted \
            envelopeReceived), acknowledged (origin's accepted receipts, cumulative), rejected by \
            reason (recipient's rejections and the origin's rejecting receipts), missing on either \
            side, hash mismatches, late deliveries; and the files of the bulletins sent on it: \
            stored (origin's attachmentStored), received (recipient's attachmentReceived), \
            acknowledged (origin's attachmentAcknowledged), complete, in transfer, overdue (not \
            received --attachment-grace-ms after being stored), refused, not yet acknowledged, \
            and the contradictions — another SHA-256, size or outcome, a file never stored, a \
            receipt without an arrival. Hashes, sizes and numbers only, never content. Per node: the last head, its age, and the \
            equivocation flags; its roster history (the versions it installed, in order, and \
            the rosters it refused, by reason and by source). Then the findings, critical first (docs/AUDIT.md §12.3).

            Values no honest log holds — times before 2013 or more than a day ahead, sequences \
            beyond 2^48, replays of ranges no link reaches, a receipt for an envelope never sent \
            or logged before its send, one sequence with two hashes — are findings of kind \
            implausibleValue naming the node and the entry; whatever the logs hold, the report \
            is made (it never stops on a value).

            Links are green (all acknowledged), amber (pending or late; files overdue, refused or \
            not acknowledged), red (rejected, missing or mismatched; files contradicted), idle (no traffic).

            Example:
              bordernet audit report --data /srv/secretariat
              bordernet audit report --data /srv/secretariat --html /tmp/report.html
            """)

    @OptionGroup var data: DataOption

    @OptionGroup var output: JSONOption

    @Option(help: ArgumentHelp("Write a self-contained HTML report to this file.", valueName: "file"))
    var html: String?

    @Option(
        name: .customLong("late-after-ms"),
        help: ArgumentHelp("An envelope received later than this after it was sent is late; one sent longer ago and not received is missing.", valueName: "ms"))
    var lateAfterMilliseconds: UInt64 = 60_000

    @Option(
        name: .customLong("attachment-grace-ms"),
        help: ArgumentHelp(
            "An attached file stored longer than this before the recipient's collected head, and not received, is overdue (default one hour).",
            valueName: "ms"))
    var attachmentGraceMilliseconds: UInt64 = LinkReconciler.defaultAttachmentGraceMilliseconds

    func validate() throws {
        if output.json && html != nil { throw ValidationError("give --json or --html, not both") }
    }

    func run() throws {
        // Before any key is read: no other process of this user (the secretariat's console runs as
        // it) can read this process's memory, and no core file is written (docs/CONSOLE.md, Deployment).
        try ProcessMemory.closeToOtherProcesses()
        let report: AuditReport
        do {
            report = try AuditReport.make(
                directory: SecretariatDirectory(path: data.path), lateAfterMilliseconds: lateAfterMilliseconds,
                attachmentGraceMilliseconds: attachmentGraceMilliseconds)
        } catch {
            printError("bordernet: \(error)")
            throw ExitCode(1)
        }
        if output.json {
            try printJSON(report)
        } else if let html {
            do {
                try Data(report.html.utf8).write(to: URL(fileURLWithPath: html))
            } catch {
                throw ValidationError("cannot write \(html): \(error.localizedDescription)")
            }
            print("report written to \(html): \(report.links.count) links, \(report.findings.count) findings")
        } else {
            print(report.text)
        }
    }
}
