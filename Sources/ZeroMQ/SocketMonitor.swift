internal import CZeroMQ

/// A connection event of a socket, as `zmq_socket_monitor` reports it.
///
/// BorderNet watches the subscriber and requester sockets of each link: libzmq closes a
/// connection on a protocol error (a frame over `ZMQ_MAXMSGSIZE`, a malformed ZMTP frame) and,
/// unlike after a network error (where it reports ``Kind-swift.enum/reconnecting``), does **not**
/// reconnect it. Only a new socket brings the link back, so the owner must learn of it.
public struct SocketEvent: Sendable, Equatable {
    /// The events BorderNet watches.
    public enum Kind: Sendable, Equatable {
        /// A connection (TCP + ZMTP handshake) was made.
        case connected
        /// An established connection was closed, by the peer, the network or a protocol error.
        case disconnected
        /// The ZMTP or CURVE handshake failed (wrong key, refused by ZAP, malformed greeting).
        case handshakeFailed
        /// libzmq scheduled a new connection attempt: after a network error it reconnects by
        /// itself (after a protocol error it does not, and this event does not come).
        case reconnecting
        /// Any other event libzmq reports, with its code.
        case other(UInt16)

        init(code: UInt16) {
            switch Int32(code) {
            case ZMQ_EVENT_CONNECTED: self = .connected
            case ZMQ_EVENT_CONNECT_RETRIED: self = .reconnecting
            case ZMQ_EVENT_DISCONNECTED: self = .disconnected
            case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
                self = .handshakeFailed
            default: self = .other(code)
            }
        }
    }

    /// What happened.
    public let kind: Kind
    /// The endpoint the event concerns, e.g. `tcp://127.0.0.1:7450`.
    public let endpoint: String

    /// Reads a monitor message: `[event u16 ‖ value u32 (host order), endpoint]`; `nil` if it is not one.
    public init?(_ message: Message) {
        guard message.frames.count == 2, message.frames[0].count == 6 else { return nil }
        let code = message.frames[0].withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }  // host order, as libzmq writes it
        kind = Kind(code: code)
        endpoint = String(decoding: message.frames[1], as: UTF8.self)
    }
}

extension Socket {
    /// Starts reporting this socket's connection events (connected, disconnected, reconnecting,
    /// handshake failures) on a new PAIR socket connected to `inproc` endpoint `name`, which is returned.
    ///
    /// Read events from the returned socket with ``receive(dontWait:)`` and ``SocketEvent/init(_:)``.
    /// `name` must be unique in the context. Stop monitoring by closing the monitored socket.
    public func monitorConnections(named name: String, in context: Context) throws(ZeroMQError) -> Socket {
        let handle = try openHandle("zmq_socket_monitor")
        let endpoint = "inproc://\(name)"
        let events = ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_CONNECT_RETRIED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
            | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
        guard zmq_socket_monitor(handle, endpoint, events) == 0 else {
            throw ZeroMQError.current("zmq_socket_monitor(\(endpoint))")
        }
        let listener = try Socket(context, type: .pair)
        try listener.connect(endpoint)
        return listener
    }
}
