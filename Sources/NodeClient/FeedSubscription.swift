import Foundation
import NodeSetup
import Wire
import ZeroMQ

/// A subscription to a node's local feed (`DATA/feed.sock`): the bulletins it stores from now on,
/// and the bulletins it flags for review (``FlagNotice``), for `feed --follow`, the demo and
/// tests. Not `Sendable` (it owns a socket): use it on the thread that made it.
public final class FeedSubscription {
    private let context: Context
    private let socket: Socket

    /// What the feed says: a bulletin stored, or a stored bulletin flagged for review.
    public enum Event: Sendable, Equatable {
        /// A bulletin the node stored.
        case bulletin(FeedBulletin)
        /// A bulletin the node flagged for review.
        case flag(FlagNotice)
    }

    /// Subscribes to the feed of the node on `directory`, to one incident type or (`nil`) all,
    /// and to its flags.
    public init(directory: NodeDirectory, incidentType: String?) throws(ZeroMQError) {
        context = try Context()
        socket = try Socket(context, type: .subscriber)
        try socket.subscribe(incidentType.map { Array($0.utf8) } ?? [])
        if incidentType != nil { try socket.subscribe(Array(FlagNotice.topic.utf8)) }
        try socket.connect(directory.feedEndpoint)
    }

    /// The next bulletin, or `nil` if none arrives within the timeout (or a message is not a
    /// bulletin: a flag, an alert). Its id and TLP are read from the bulletin JSON the node validated.
    public func next(timeoutMilliseconds: Int) throws(ZeroMQError) -> FeedBulletin? {
        guard case .bulletin(let bulletin) = try nextEvent(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        return bulletin
    }

    /// The next bulletin or flag, or `nil` if none arrives within the timeout (or the message is
    /// neither: an alert, a damaged message).
    public func nextEvent(timeoutMilliseconds: Int) throws(ZeroMQError) -> Event? {
        var poller = Poller()
        poller.register(socket)
        guard try !poller.poll(timeoutMilliseconds: timeoutMilliseconds).isEmpty, let received = try socket.receive(dontWait: true)
        else { return nil }
        if let flag = FlagNotice(frames: received.frames) { return .flag(flag) }
        guard let message = try? FeedMessage(frames: received.frames) else { return nil }
        let json = try? JSONSerialization.jsonObject(with: Data(message.body)) as? [String: Any]
        return .bulletin(
            FeedBulletin(
                id: json?["id"] as? String ?? "?", origin: message.origin, incidentType: message.incidentType,
                tlp: json?["tlp"] as? String ?? "?", storedAt: Int64(Date().timeIntervalSince1970 * 1000),
                body: String(decoding: message.body, as: UTF8.self)))
    }
}
