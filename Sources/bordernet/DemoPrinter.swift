import BulletinSchema
import Demo
import Foundation
import Region

/// The text `bordernet demo` prints: feeds as one line per bulletin, links as two lines per
/// node, the instructions for going on by hand, and how the nodes stopped.
struct DemoPrinter {
    /// The region's folder as the user gave it (commands are printed with it).
    let directory: String
    /// The executable as the user called it.
    let binary: String
    /// Where lines go.
    let say: (String) -> Void

    func show(_ report: DemoReport) {
        let titles = Dictionary(report.samples.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        say("")
        say("Feeds — what each state received in this run (`\(binary) feed --data \(directory)/xx` shows them in full):")
        for feed in report.feeds {
            if feed.received.isEmpty {
                let origins = report.statuses.first { $0.state == feed.state }?.incoming.map(\.origin) ?? []
                say("  \(feed.state)  (nothing new: no sample was posted from \(origins.joined(separator: " or ")))")
            }
            for (index, bulletin) in feed.received.enumerated() {
                // Strings of a received bulletin are neutralised before display (a line feed or a
                // bidi override must not fake or reorder a row); the --json report stays exact.
                let safe = { (text: String) in DisplayText.neutralised(text) }
                let title = Self.shortened(safe(titles[bulletin.id] ?? ""), to: 60)
                let head = index == 0 ? "  \(feed.state)" : "    "
                say(Self.trimmed("\(head)  ← \(safe(bulletin.origin))  \(Self.padded(safe(bulletin.incidentType), 21)) \(Self.padded("TLP:" + safe(bulletin.tlp), 17)) \(safe(bulletin.id))  \(title)"))
            }
            if feed.earlier > 0 { say("        (+ \(feed.earlier) received in earlier runs)") }
        }
        say("")
        say("Links — → recipient sent/acknowledged (signed receipts), ← origin received:")
        for status in report.statuses {
            let outgoing = status.outgoing.map { "\($0.recipient) \($0.sent)/\($0.acknowledged)" }
            let incoming = status.incoming.map { "\($0.origin) \($0.received)" }
            say(Self.trimmed("  \(Self.padded("\(status.state) \(status.nodeName)", 16)) → " + outgoing.map { Self.padded($0, 9) }.joined()))
            say(Self.trimmed("  \(Self.padded("", 16)) ← " + incoming.map { Self.padded($0, 9) }.joined()))
            for (peer, reasons) in status.rejections.sorted(by: { $0.key < $1.key }) {
                say("  \(Self.padded("", 16)) ✗ refused from \(peer): " + reasons.map { "\($0.key) \($0.value)" }.sorted().joined(separator: ", "))
            }
        }
        let live = report.statuses.reduce(0) { $0 + $1.incoming.reduce(0) { $0 + $1.acceptedLive } }
        let replayed = report.statuses.reduce(0) { $0 + $1.incoming.reduce(0) { $0 + $1.acceptedByReplay } }
        say("  Envelopes accepted since the nodes started: \(live) as published, \(replayed) through replay (what PUB/SUB missed).")
        say("")
        let expected = report.samples.reduce(0) { $0 + $1.recipients.count }
        let delivered = report.samples.reduce(0) { $0 + $1.deliveredTo.count }
        say(
            report.delivered
                ? "All \(report.samples.count) samples reached their \(expected) recipients\(report.acknowledged ? " and were acknowledged" : "")."
                : "Only \(delivered) of \(expected) deliveries arrived in time; see the nodes' logs in \(directory)/xx/node.log.")
    }

    func instructions(_ report: DemoReport) {
        let drafts = "\(directory)/drafts"
        say("")
        say("The region is running. In another terminal, from this folder:")
        say("  Post more (the samples' drafts are in \(drafts)/; the node gives each post a new id):")
        say("    \(binary) post --data \(directory)/ma --file \(drafts)/document-fraud.json")
        say("    \(binary) post --data \(directory)/tn --file \(drafts)/arms-trafficking.json --to LY")
        say(
            "    \(binary) post --data \(directory)/eg --type border-incident --lang en --title \"Shots fired at the Salloum crossing\" "
                + "--summary \"A patrol came under fire from a smuggling convoy; no casualties.\" --severity high --crossing Salloum "
                + "--details '{\"kind\":\"exchange-of-fire\"}'")
        say("  Follow a state's feed as bulletins arrive:")
        say("    \(binary) feed --data \(directory)/ly --follow")
        say("  A node's links (sent, acknowledged, received, oldest unacknowledged):")
        say("    \(binary) status --data \(directory)/dz")
        say("  Logs: \(directory)/xx/node.log (e.g. tail -f \(directory)/dz/node.log)")
        say("")
        say("Ctrl-C stops the region. Running the demo again reuses it and its stores; `make clean-demo` removes it.")
    }

    func unexpectedExit(_ node: NodeProcess) {
        say("")
        say("The \(node.state) node exited by itself (status \(node.terminationStatus)); the end of its log (\(node.logFile.path)):")
        say(node.logTail())
    }

    func stopped(_ nodes: [DemoSession.Stopped]) {
        guard !nodes.isEmpty else { return }
        let clean = nodes.filter { !$0.killed && $0.status == 0 }.map(\.state)
        var line = "Stopped \(nodes.count) nodes"
        if clean.count == nodes.count {
            line += " (each exited cleanly after SIGTERM)."
        } else {
            let others = nodes.filter { $0.killed || $0.status != 0 }
            line += ": " + others.map { "\($0.state) \($0.killed ? "killed after ignoring SIGTERM" : "exit status \($0.status)")" }
                .joined(separator: ", ") + (clean.isEmpty ? "" : "; the others exited cleanly") + "."
        }
        say(line)
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func trimmed(_ line: String) -> String {
        String(line.reversed().drop { $0 == " " }.reversed())
    }

    private static func shortened(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
