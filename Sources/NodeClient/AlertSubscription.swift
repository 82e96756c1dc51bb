import NodeSetup
import Wire
import ZeroMQ

/// A subscription to the alerts on a node's local feed (`DATA/feed.sock`, topic `alert`,
/// ``AlertMessage``): the alerts raised from now on, for `bordernet alerts --follow` and the
/// console's live alerts. A message carries numbers only (alert, entry, bulletin, score, time):
/// read the owner and the reason by the alert's number (`WatchAlertReader` on
/// `DATA/watchlists.sqlite`, as the node's user). Not `Sendable` (it owns a socket): use it on the thread that made it.
public final class AlertSubscription {
    private let context: Context
    private let socket: Socket

    /// Subscribes to the alerts of the node on `directory`.
    public init(directory: NodeDirectory) throws(ZeroMQError) {
        context = try Context()
        socket = try Socket(context, type: .subscriber)
        try socket.subscribe(Array(AlertMessage.topic.utf8))
        try socket.connect(directory.feedEndpoint)
    }

    /// The next alert, or `nil` if none arrives within the timeout (or the message is not an
    /// alert: it is dropped).
    public func next(timeoutMilliseconds: Int) throws(ZeroMQError) -> AlertMessage? {
        var poller = Poller()
        poller.register(socket)
        guard try !poller.poll(timeoutMilliseconds: timeoutMilliseconds).isEmpty,
            let received = try socket.receive(dontWait: true)
        else {
            return nil
        }
        return AlertMessage(frames: received.frames)
    }
}
