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
        abstract:
            "Show the alerts raised by watch-list entries; with --follow, keep showing new ones as they are raised.",
        discussion: """
            The alerts raised so far are read from the node's watch-lists, DATA/watchlists.sqlite \
            (read-only; every owner's, or one owner's with --owner), after alert number --after. \
            With --follow, new alerts are then shown as the node publishes them on its local \
            feed, DATA/feed.sock, under the topic `alert` (two frames: `alert`, then a JSON object \
            with alert, entry, bulletin, score, raisedAt only: each is read again by its number in \
            DATA/watchlists.sqlite for its owner and reason), until Ctrl-C. Run it as the node's \
            user. With --json, one object per line: alert, entry, owner, bulletin, score, reason, \
            raisedAt.

            Each alert names the entry that matched (watch list), the bulletin (open it with \
            the console or `feed`), how strongly it matched (1 for an exact identifier) and why.

            Examples:
              bordernet alerts --data /var/lib/bordernet
              bordernet alerts --data /var/lib/bordernet --owner user:amina --after 120 --json
              bordernet alerts --data /var/lib/bordernet --follow
            """)

    @OptionGroup var data: DataOption

    @Option(
        help: ArgumentHelp("Only the alerts of this owner: user:NAME, agency:NAME or operator.", valueName: "owner"))
    var owner: String?

    @Option(help: ArgumentHelp("Only alerts after this alert number.", valueName: "number"))
    var after: Int64 = 0

    @Flag(help: "Keep running and show alerts as they are raised (Ctrl-C to stop).")
    var follow = false

    @OptionGroup var output: JSONOption

    /// The most backlog pages read (500 alerts each).
    static let maximumBacklogPages = 200

    func validate() throws {
        if let owner, WatchOwner(owner) == nil {
            throw ValidationError("--owner must be user:NAME, agency:NAME or operator")
        }
        guard after >= 0 else { throw ValidationError("--after is an alert number, 0 or more") }
    }

    /// One alert as shown: the feed's members with the owner and the reason read from the file.
    struct Line: Codable, Equatable {
        var alert: Int64
        var entry: Int64
        var owner: String
        var bulletin: String
        var score: Double
        var reason: String
        var raisedAt: Int64
    }

    func run() throws {
        let directory = NodeDirectory(path: data.path)
        let wanted = owner.flatMap(WatchOwner.init)
        // Subscribe before reading the backlog, so nothing falls between the two.
        let live = try follow ? AlertSubscription(directory: directory) : nil
        var last = after
        let path = directory.root.appendingPathComponent("watchlists.sqlite").path
        var reader: WatchAlertReader?
        /// Shows the alerts after `last` (at most ``maximumBacklogPages`` pages).
        func showNew() throws {
            if reader == nil, FileManager.default.fileExists(atPath: path) || !follow {
                reader = try WatchAlertReader(path: path)
            }
            guard let reader else { return }
            for _ in 0..<Self.maximumBacklogPages {
                let page = try reader.operatorAlerts(of: wanted, after: last, limit: WatchAlertReader.maximumAlertsPerPage)
                for alert in page {
                    show(
                        Line(
                            alert: alert.id, entry: alert.entry, owner: alert.owner.description,
                            bulletin: alert.bulletin.description, score: alert.score, reason: alert.reason,
                            raisedAt: alert.raisedAtMilliseconds))
                    last = max(last, alert.id)
                }
                if page.count < WatchAlertReader.maximumAlertsPerPage { break }
            }
        }
        try showNew()
        guard let live else { return }
        let stopFlag = StopFlag()
        let stopSignals = StopSignals { stopFlag.set() }
        defer { withExtendedLifetime(stopSignals) {} }
        while !stopFlag.isSet {
            // The feed says an alert was raised; what it is (owner, reason) is read from the file.
            guard let alert = try live.next(timeoutMilliseconds: 200), alert.alert > last else { continue }
            try showNew()
        }
    }

    private func show(_ alert: Line) {
        if output.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(alert) { print(String(decoding: data, as: UTF8.self)) }
        } else {
            let safe = { (text: String) in DisplayText.neutralised(text) }
            let when = Date(timeIntervalSince1970: Double(alert.raisedAt) / 1_000).ISO8601Format()
            print(
                "alert #\(alert.alert)  \(when)  entry #\(alert.entry) (\(safe(alert.owner)))  \(safe(alert.bulletin))  "
                    + String(format: "%.2f", alert.score) + "  \(safe(alert.reason))")
        }
        fflush(nil)  // nil: every stream; naming stdout is not concurrency-safe in Swift 6
    }
}
