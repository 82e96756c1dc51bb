import BulletinSchema
import Clearance
import ConsoleAccounts
import Exchange
import Foundation
import Hummingbird
import NodeClient
import NodeSetup
import Synchronization

/// Server-Sent Events of the bulletins the node stores from now on, for the feed page's live
/// arrival: each connection has its own subscription to the node's local feed, shows only what
/// its person may read, checks the session on every keep-alive (a session that ended ends the
/// stream), and lives at most ``maximumLifetime`` (the browser reconnects). At most
/// ``maximumStreams`` run at once, so a client cannot make the console hold unbounded sockets.
struct LiveFeed: Sendable {
    static let maximumStreams = 64
    /// Per session: a second tab is fine, sixty-four are an attack on everyone else's.
    static let maximumStreamsPerSession = 6
    static let maximumLifetime: TimeInterval = 30 * 60
    static let keepAliveInterval: TimeInterval = 15

    let directory: NodeDirectory
    let catalog: SchemaCatalog
    let accounts: AccountStore
    /// Shared with the watch-list's alert streams (LiveFeed+Alerts): one bound for both.
    let open = StreamCount()
    /// Set once the console shuts down: every stream ends within one poll (half a second), so
    /// a browser holding the feed open does not hold the process after SIGTERM.
    let closing = Stop()

    /// How many streams are open, in all and per session (shared by every copy of the feed).
    final class StreamCount: Sendable {
        let value = Atomic<Int>(0)
        let bySession = Mutex<[String: Int]>([:])

        /// Takes a place for `session`, or `false` when its own limit or the global one is reached.
        func enter(_ session: String) -> Bool {
            let admitted = bySession.withLock { counts -> Bool in
                guard counts[session, default: 0] < LiveFeed.maximumStreamsPerSession else { return false }
                counts[session, default: 0] += 1
                return true
            }
            guard admitted else { return false }
            guard value.wrappingAdd(1, ordering: .relaxed).newValue <= LiveFeed.maximumStreams else {
                leave(session)
                return false
            }
            return true
        }

        func leave(_ session: String) {
            value.wrappingSubtract(1, ordering: .relaxed)
            bySession.withLock { counts in
                let left = counts[session, default: 1] - 1
                counts[session] = left > 0 ? left : nil
            }
        }
    }

    /// Set when the browser goes away.
    final class Stop: Sendable {
        let value = Atomic<Bool>(false)
        private let left = Atomic<Bool>(false)

        /// Gives the stream's place back once, whichever comes first: the browser leaving (at
        /// once, so a page that navigates is not counted twice) or the stream's thread ending.
        func leaveOnce(_ counter: StreamCount, _ session: String) {
            if !left.exchange(true, ordering: .relaxed) { counter.leave(session) }
        }
    }

    init(directory: NodeDirectory, catalog: SchemaCatalog, accounts: AccountStore) {
        self.directory = directory
        self.catalog = catalog
        self.accounts = accounts
    }

    /// Ends every stream, open or to come (graceful shutdown).
    func closeAll() {
        closing.value.store(true, ordering: .relaxed)
    }

    /// The stream for `person`, or `nil` when ``maximumStreams`` are already open.
    func stream(for person: SignedInPerson) -> AsyncStream<ByteBuffer>? {
        let counter = open
        let session = person.sessionToken
        guard counter.enter(session) else { return nil }
        let stop = Stop()
        let closing = self.closing
        let (directory, catalog, accounts) = (self.directory, self.catalog, self.accounts)
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
                guard let subscription = try? FeedSubscription(directory: directory, incidentType: nil) else { return }
                let presenter = BulletinPresenter(catalog: catalog, language: person.language)
                let started = Date()
                var lastKeepAlive = Date()
                continuation.yield(ByteBuffer(string: "retry: 5000\n\n"))
                while !stop.value.load(ordering: .relaxed), !closing.value.load(ordering: .relaxed), Date().timeIntervalSince(started) < LiveFeed.maximumLifetime {
                    if Date().timeIntervalSince(lastKeepAlive) >= LiveFeed.keepAliveInterval {
                        lastKeepAlive = Date()
                        // Checked without sliding it: an open feed on an unattended screen must not
                        // keep the session past its idle timeout.
                        guard (try? accounts.session(token: person.sessionToken, now: Date(), sliding: false)) ?? nil != nil else { return }
                        continuation.yield(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                    guard let bulletin = try? subscription.next(timeoutMilliseconds: 500) else { continue }
                    let body = Array(bulletin.body.utf8)
                    guard let facts = BulletinAccessFacts(bulletinJSON: body, isOwn: false, origin: bulletin.origin),
                        ClearancePolicy.decide(person.clearance, for: facts) == .allowed
                    else { continue }
                    let title = ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?["title"] as? [String: String] ?? [:]
                    let row = presenter.row(
                        id: bulletin.id, origin: bulletin.origin, incidentType: bulletin.incidentType, tlp: bulletin.tlp, storedAt: bulletin.storedAt,
                        title: title)
                    guard let data = try? JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]) else { continue }
                    // JSON has no raw line break, so one `data:` line carries the event.
                    continuation.yield(ByteBuffer(string: "event: bulletin\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"))
                }
            }
            thread.start()
        }
    }
}
