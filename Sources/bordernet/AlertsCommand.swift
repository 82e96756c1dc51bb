import ArgumentParser
import BulletinSchema
import Foundation
import LocalFiles
import NodeClient
import NodeSetup
import SearchIndex
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// `bordernet alerts`: the alerts watch-list entries raised, then (with --follow) new ones.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Show the alerts raised by watch-list entries; with --follow, keep showing new ones as they are raised.",
        discussion: """
            The alerts raised so far are read from the node's search index, DATA/search.sqlite \
            (read-only; every owner's, or one owner's with --owner), after alert number --after. \
            With --follow, new alerts are then shown as the node publishes them on its local \
            feed, DATA/feed.sock, under the topic `alert` (two frames: `alert`, then a JSON object \
            with alert, entry, owner, bulletin, score, reason, raisedAt), until Ctrl-C.

            Each alert names the entry that matched (watch list), the bulletin (open it with \
            the console or `feed`), how strongly it matched (1 for an exact identifier) and why.

            Examples:
              bordernet alerts --data /var/lib/bordernet
              bordernet alerts --data /var/lib/bordernet --owner user:amina --after 120 --json
              bordernet alerts --data /var/lib/bordernet --follow
            """)

    @OptionGroup var data: DataOption

    @Option(help: ArgumentHelp("Only the alerts of this owner: user:NAME, agency:NAME or operator.", valueName: "owner"))
    var owner: String?

    @Option(help: ArgumentHelp("Only alerts after this alert number.", valueName: "number"))
    var after: Int64 = 0

    @Flag(help: "Keep running and show alerts as they are raised (Ctrl-C to stop).")
    var follow = false

    @OptionGroup var output: JSONOption

    /// The most backlog pages read (500 alerts each).
    static let maximumBacklogPages = 200

    func validate() throws {
        if let owner, WatchOwner(owner) == nil { throw ValidationError("--owner must be user:NAME, agency:NAME or operator") }
        guard after >= 0 else { throw ValidationError("--after is an alert number, 0 or more") }
    }

    func run() throws {
        let directory = NodeDirectory(path: data.path)
        let wanted = owner.flatMap(WatchOwner.init)
        // Subscribe before reading the backlog, so nothing falls between the two.
        let live = try follow ? AlertSubscription(directory: directory) : nil
        var last = after
        let indexPath = directory.root.appendingPathComponent("search.sqlite").path
        if FileManager.default.fileExists(atPath: indexPath) || !follow {
            let reader = try SearchReader(path: indexPath)
            for _ in 0..<Self.maximumBacklogPages {
                let page = try reader.operatorAlerts(of: wanted, after: last, limit: SearchReader.maximumAlertsPerPage)
                for alert in page {
                    show(
                        AlertMessage(
                            alert: alert.id, entry: alert.entry, owner: alert.owner.description, bulletin: alert.bulletin.description,
                            score: alert.score, reason: alert.reason, raisedAt: alert.raisedAtMilliseconds))
                    last = max(last, alert.id)
                }
                if page.count < SearchReader.maximumAlertsPerPage { break }
            }
        }
        guard let live else { return }
        let stopFlag = StopFlag()
        let stopSignals = StopSignals { stopFlag.set() }
        defer { withExtendedLifetime(stopSignals) {} }
        while !stopFlag.isSet {
            guard let alert = try live.next(timeoutMilliseconds: 200) else { continue }
            if let wanted, alert.owner != wanted.description { continue }
            guard alert.alert > last else { continue }
            last = alert.alert
            show(alert)
        }
    }

    private func show(_ alert: AlertMessage) {
        if output.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(alert) { print(String(decoding: data, as: UTF8.self)) }
        } else {
            let safe = { (text: String) in DisplayText.neutralised(text) }
            let when = Date(timeIntervalSince1970: Double(alert.raisedAt) / 1_000).ISO8601Format()
            print("alert #\(alert.alert)  \(when)  entry #\(alert.entry) (\(safe(alert.owner)))  \(safe(alert.bulletin))  "
                + String(format: "%.2f", alert.score) + "  \(safe(alert.reason))")
        }
        fflush(nil)  // nil: every stream; naming stdout is not concurrency-safe in Swift 6
    }
}
