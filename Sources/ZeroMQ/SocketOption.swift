internal import CZeroMQ

/// A socket option that BorderNet sets. Values are checked and passed to `zmq_setsockopt` with
/// the C type libzmq expects; durations are in milliseconds as in libzmq.
public enum SocketOption: Sendable {
    /// Messages queued for sending per peer before the socket drops (PUB) or blocks (others).
    case sendHighWaterMark(Int32)
    /// Messages queued on receipt per peer before libzmq stops reading from it (or drops, for SUB).
    case receiveHighWaterMark(Int32)
    /// How long `close` waits for unsent messages; 0 discards them, -1 waits forever.
    case linger(milliseconds: Int32)
    /// The largest inbound message accepted; a peer that sends a larger one is disconnected.
    case maxMessageSize(bytes: Int64)
    /// This socket's identity as seen by a ROUTER peer.
    case routingID([UInt8])
    /// Queue messages only to completed connections (no queuing to peers not yet connected).
    case immediate(Bool)
    /// Interval of ZMTP heartbeats that detect dead peers.
    case heartbeatInterval(milliseconds: Int32)
    /// How long to wait for a heartbeat reply before declaring the connection dead.
    case heartbeatTimeout(milliseconds: Int32)
    /// How long the peer should wait for our heartbeats before it gives up on us.
    case heartbeatTimeToLive(milliseconds: Int32)
    /// How long a blocking receive waits before returning nothing; -1 waits forever.
    case receiveTimeout(milliseconds: Int32)
    /// How long a blocking send waits before giving up; -1 waits forever.
    case sendTimeout(milliseconds: Int32)
    /// How long to wait before reconnecting to a peer that went away.
    case reconnectInterval(milliseconds: Int32)
    /// Upper bound of the exponential reconnect back-off; 0 keeps the interval fixed.
    case reconnectIntervalMax(milliseconds: Int32)
    /// How long a connection may take to complete its (CURVE) handshake.
    case handshakeInterval(milliseconds: Int32)
    /// XPUB: pass subscriptions up to the application, which applies them with
    /// ``Socket/subscribe(_:)`` itself (`ZMQ_XPUB_MANUAL`).
    case extendedPublisherManual(Bool)
    /// XPUB: pass every subscription up, not only the first for each topic.
    case extendedPublisherVerbose(Bool)
    /// ROUTER: fail with `hostUnreachable` instead of dropping a message to an unknown peer.
    case routerMandatory(Bool)
    /// ROUTER: let a reconnecting peer with a known routing id take over the old connection.
    case routerHandover(Bool)
    /// The ZAP domain passed to the authenticator for connections on this socket.
    case zapDomain(String)
    /// The kernel's send buffer of each TCP connection (`SO_SNDBUF`); 0 keeps the OS default.
    case sendBufferSize(bytes: Int32)
    /// The kernel's receive buffer of each TCP connection (`SO_RCVBUF`); 0 keeps the OS default.
    case receiveBufferSize(bytes: Int32)

    func apply(to handle: UnsafeMutableRawPointer) throws(ZeroMQError) {
        switch self {
        case .sendHighWaterMark(let value): try set(handle, ZMQ_SNDHWM, value)
        case .receiveHighWaterMark(let value): try set(handle, ZMQ_RCVHWM, value)
        case .linger(let value): try set(handle, ZMQ_LINGER, value)
        case .maxMessageSize(let value): try set(handle, ZMQ_MAXMSGSIZE, value)
        case .routingID(let value):
            guard (1...255).contains(value.count) else {
                throw ZeroMQError.invalidArgument("a routing id must be 1…255 bytes, got \(value.count)")
            }
            try setBytes(handle, ZMQ_ROUTING_ID, value)
        case .immediate(let value): try set(handle, ZMQ_IMMEDIATE, Int32(value ? 1 : 0))
        case .heartbeatInterval(let value): try set(handle, ZMQ_HEARTBEAT_IVL, value)
        case .heartbeatTimeout(let value): try set(handle, ZMQ_HEARTBEAT_TIMEOUT, value)
        case .heartbeatTimeToLive(let value): try set(handle, ZMQ_HEARTBEAT_TTL, value)
        case .receiveTimeout(let value): try set(handle, ZMQ_RCVTIMEO, value)
        case .sendTimeout(let value): try set(handle, ZMQ_SNDTIMEO, value)
        case .reconnectInterval(let value): try set(handle, ZMQ_RECONNECT_IVL, value)
        case .reconnectIntervalMax(let value): try set(handle, ZMQ_RECONNECT_IVL_MAX, value)
        case .handshakeInterval(let value): try set(handle, ZMQ_HANDSHAKE_IVL, value)
        case .extendedPublisherManual(let value): try set(handle, ZMQ_XPUB_MANUAL, Int32(value ? 1 : 0))
        case .extendedPublisherVerbose(let value): try set(handle, ZMQ_XPUB_VERBOSE, Int32(value ? 1 : 0))
        case .routerMandatory(let value): try set(handle, ZMQ_ROUTER_MANDATORY, Int32(value ? 1 : 0))
        case .routerHandover(let value): try set(handle, ZMQ_ROUTER_HANDOVER, Int32(value ? 1 : 0))
        case .zapDomain(let value): try setBytes(handle, ZMQ_ZAP_DOMAIN, Array(value.utf8))
        case .sendBufferSize(let value): try set(handle, ZMQ_SNDBUF, value == 0 ? -1 : value)
        case .receiveBufferSize(let value): try set(handle, ZMQ_RCVBUF, value == 0 ? -1 : value)
        }
    }

    var name: String {
        switch self {
        case .sendHighWaterMark: "ZMQ_SNDHWM"
        case .receiveHighWaterMark: "ZMQ_RCVHWM"
        case .linger: "ZMQ_LINGER"
        case .maxMessageSize: "ZMQ_MAXMSGSIZE"
        case .routingID: "ZMQ_ROUTING_ID"
        case .immediate: "ZMQ_IMMEDIATE"
        case .heartbeatInterval: "ZMQ_HEARTBEAT_IVL"
        case .heartbeatTimeout: "ZMQ_HEARTBEAT_TIMEOUT"
        case .heartbeatTimeToLive: "ZMQ_HEARTBEAT_TTL"
        case .receiveTimeout: "ZMQ_RCVTIMEO"
        case .sendTimeout: "ZMQ_SNDTIMEO"
        case .reconnectInterval: "ZMQ_RECONNECT_IVL"
        case .reconnectIntervalMax: "ZMQ_RECONNECT_IVL_MAX"
        case .handshakeInterval: "ZMQ_HANDSHAKE_IVL"
        case .extendedPublisherManual: "ZMQ_XPUB_MANUAL"
        case .extendedPublisherVerbose: "ZMQ_XPUB_VERBOSE"
        case .routerMandatory: "ZMQ_ROUTER_MANDATORY"
        case .routerHandover: "ZMQ_ROUTER_HANDOVER"
        case .zapDomain: "ZMQ_ZAP_DOMAIN"
        case .sendBufferSize: "ZMQ_SNDBUF"
        case .receiveBufferSize: "ZMQ_RCVBUF"
        }
    }

    private func set<Value>(_ handle: UnsafeMutableRawPointer, _ option: Int32, _ value: Value) throws(ZeroMQError) {
        var value = value
        let status = withUnsafePointer(to: &value) { pointer in
            zmq_setsockopt(handle, option, pointer, MemoryLayout<Value>.size)
        }
        if status != 0 { throw ZeroMQError.current("zmq_setsockopt(\(name))") }
    }

    private func setBytes(_ handle: UnsafeMutableRawPointer, _ option: Int32, _ bytes: [UInt8]) throws(ZeroMQError) {
        let status = bytes.withUnsafeBytes { buffer in
            zmq_setsockopt(handle, option, buffer.baseAddress, buffer.count)
        }
        if status != 0 { throw ZeroMQError.current("zmq_setsockopt(\(name))") }
    }
}
