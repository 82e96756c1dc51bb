import Foundation
import NodeSetup
import Wire
import ZeroMQ

/// A subscription to a node's local feed (`DATA/feed.sock`): the bulletins it stores from now on,
/// for `feed --follow`, the demo and tests. Not `Sendable` (it owns a socket): use it on the
/// thread that made it.
public final class FeedSubscription {
    private let context: Context
    private let socket: Socket

    /// Subscribes to the feed of the node on `directory`, to one incident type or (`nil`) all.
    public init(directory: NodeDirectory, incidentType: String?) throws(ZeroMQError) {
        context = try Context()
        socket = try Socket(context, type: .subscriber)
        try socket.subscribe(incidentType.map { Array($0.utf8) } ?? [])
        try socket.connect(directory.feedEndpoint)
    }

    /// The next bulletin, or `nil` if none arrives within the timeout (or a message is not a
    /// feed message). Its id and TLP are read from the bulletin JSON the node validated.
    public func next(timeoutMilliseconds: Int) throws(ZeroMQError) -> FeedBulletin? {
        var poller = Poller()
        poller.register(socket)
        guard try !poller.poll(timeoutMilliseconds: timeoutMilliseconds).isEmpty, let received = try socket.receive(dontWait: true),
            let message = try? FeedMessage(frames: received.frames)
        else { return nil }
        let json = try? JSONSerialization.jsonObject(with: Data(message.body)) as? [String: Any]
        return FeedBulletin(
            id: json?["id"] as? String ?? "?", origin: message.origin, incidentType: message.incidentType,
            tlp: json?["tlp"] as? String ?? "?", storedAt: Int64(Date().timeIntervalSince1970 * 1000),
            body: String(decoding: message.body, as: UTF8.self))
    }
}
