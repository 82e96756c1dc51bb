import BulletinSchema
import Clearance
import Foundation
import Hummingbird
import SearchIndex
import Store

extension LiveFeed {
    /// How often an alert stream asks the index for new alerts.
    static let alertPollInterval: TimeInterval = 1
    /// The most alerts one poll reads.
    static let alertsPerPoll = 100

    /// Server-Sent Events of `person`'s alerts raised after alert number `after`, for the
    /// watch-list page (`event: alert`, one JSON row each): read from `watchlists.sqlite` beside the search index at `index`
    /// every ``alertPollInterval`` for the owner `user:USERNAME`, each with the person's clearance
    /// read again from their session at that moment (a clearance lowered since the page loaded
    /// applies at once) and its bulletin decided again on the store's summary. The feed's bounds
    /// hold: its stream count (in all and per session), the session checked at each keep-alive
    /// without sliding it, ``maximumLifetime``, and the end of every stream at shutdown.
    /// Each event carries its alert number as `id:`, and a poll whose alerts were outside the
    /// scope (or not shown) sends a bare `id:` past them (``AlertScan/step(after:limit:)``): the
    /// cursor always moves, and a reconnection's `Last-Event-ID` goes on from there.
    /// `nil` when the bounds are reached.
    func alertStream(for person: SignedInPerson, after: Int64, index: URL, store: BulletinReader) -> AsyncStream<ByteBuffer>? {
        let counter = open
        let session = person.sessionToken
        guard counter.enter(session) else { return nil }
        let stop = Stop()
        let closing = self.closing
        let (catalog, accounts) = (self.catalog, self.accounts)
        return AsyncStream { continuation in
            continuation.onTermination = { _ in
                stop.value.store(true, ordering: .relaxed)
                stop.leaveOnce(counter, session)
            }
            let thread = Thread {
                defer {
                    stop.leaveOnce(counter, session)
                    continuation.finish()
                }
                let presenter = BulletinPresenter(catalog: catalog, language: person.language)
                let owner = WatchOwner.user(person.username)
                let started = Date()
                var lastKeepAlive = Date()
                var lastPoll = Date.distantPast
                var after = max(0, after)
                // Alerts are kept with the entries, in watchlists.sqlite beside the index.
                let alertsFile = index.deletingLastPathComponent().appendingPathComponent("watchlists.sqlite")
                var reader: WatchAlertReader?
                var readerFile: FileIdentity?
                continuation.yield(ByteBuffer(string: "retry: 5000\n\n"))
                while !stop.value.load(ordering: .relaxed), !closing.value.load(ordering: .relaxed), Date().timeIntervalSince(started) < LiveFeed.maximumLifetime {
                    if Date().timeIntervalSince(lastKeepAlive) >= LiveFeed.keepAliveInterval {
                        lastKeepAlive = Date()
                        continuation.yield(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                    guard Date().timeIntervalSince(lastPoll) >= LiveFeed.alertPollInterval else {
                        Thread.sleep(forTimeInterval: 0.25)
                        continue
                    }
                    lastPoll = Date()
                    // The clearance of now, from the session (not slid): an ended session ends the stream.
                    guard let active = (try? accounts.session(token: session, now: Date(), sliding: false)) ?? nil,
                        let current = SignedInPerson(session: active, token: session)
                    else { return }
                    let scope = ClearancePolicy.readableScope(current.clearance)
                    guard scope != .nothing else { return }
                    // Opened again when the file at the path is another one (restored from a backup).
                    let identity = FileIdentity(path: alertsFile.path)
                    if identity != readerFile { reader = identity == nil ? nil : try? WatchAlertReader(path: alertsFile.path) }
                    readerFile = reader == nil ? nil : identity
                    guard let reader else { continue }
                    let scan = AlertScan(scope: scope) { try reader.alerts(of: owner, scope: $0, after: $1, limit: $2) }
                    guard let (alerts, next) = try? scan.step(after: after, limit: LiveFeed.alertsPerPoll) else { continue }
                    var sent = after
                    for alert in alerts {
                        guard let summary = try? store.summary(id: alert.bulletin.description),
                            ClearancePolicy.decide(current.clearance, for: ConsoleServer.facts(summary)) == .allowed
                        else { continue }
                        var row = presenter.row(summary)
                        row["alert"] = String(alert.id)
                        row["entry"] = String(alert.entry)
                        row["reason"] = BulletinPresenter.safe(String(alert.reason.prefix(ConsoleServer.maximumReasonLength)))
                        row["raisedAt"] = BulletinPresenter.time(alert.raisedAtMilliseconds)
                        guard let data = try? JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]) else { continue }
                        // JSON has no raw line break, so one `data:` line carries the event.
                        continuation.yield(ByteBuffer(string: "event: alert\nid: \(alert.id)\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"))
                        sent = alert.id
                    }
                    // Past what was examined, shown or not: the next poll, and a reconnection, start there.
                    if next > sent { continuation.yield(ByteBuffer(string: "id: \(next)\n\n")) }
                    after = max(after, next)
                }
            }
            thread.start()
        }
    }
}
