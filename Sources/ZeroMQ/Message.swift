/// A multipart message received from a socket, with the properties libzmq attached to it.
public struct Message: Sendable, Equatable {
    /// The frames, in order. A ROUTER's first frame is the sending peer's routing id; an XPUB's
    /// subscription message is one frame starting with 1 (subscribe) or 0 (unsubscribe).
    public var frames: [[UInt8]]
    /// The `User-Id` property: what the ZAP handler named the authenticated peer (for BorderNet,
    /// its state code). `nil` when the connection was not authenticated by ZAP.
    public var userID: String?
    /// The `Peer-Address` property: the peer's IP address on TCP connections.
    public var peerAddress: String?

    /// A message with the given frames and properties.
    public init(frames: [[UInt8]], userID: String? = nil, peerAddress: String? = nil) {
        self.frames = frames
        self.userID = userID
        self.peerAddress = peerAddress
    }
}
