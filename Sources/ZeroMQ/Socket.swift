internal import CZeroMQ
import Sodium

/// A ZeroMQ socket.
///
/// A socket belongs to the thread that uses it: libzmq sockets are not thread-safe, so `Socket`
/// is deliberately not `Sendable` and the compiler refuses to let it cross to another thread or
/// task. Threads talk to each other over `inproc://` sockets instead.
///
/// Sockets close themselves when released; ``close()`` closes earlier. The default linger is 0:
/// BorderNet keeps everything it must deliver in its store, so unsent messages are not worth
/// delaying shutdown for.
public final class Socket {
    private var handle: UnsafeMutableRawPointer?
    /// Kept so that the context outlives every socket made from it.
    private let context: Context
    /// The pattern of this socket.
    public let type: SocketType

    /// A new socket of `type` in `context`.
    public init(_ context: Context, type: SocketType) throws(ZeroMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZeroMQError.current("zmq_socket(\(type))")
        }
        self.handle = handle
        self.context = context
        self.type = type
        try setOption(.linger(milliseconds: 0))
    }

    deinit {
        close()
    }

    /// Closes the socket; later calls throw `failed(ENOTSOCK)`. Closing twice is harmless.
    public func close() {
        if let handle {
            _ = zmq_close(handle)
            self.handle = nil
        }
    }

    /// The open handle, or the error every call on a closed socket gets.
    func openHandle(_ operation: String) throws(ZeroMQError) -> UnsafeMutableRawPointer {
        guard let handle else {
            throw ZeroMQError.failed(operation: operation, errnoName: "ENOTSOCK", message: "the socket is closed")
        }
        return handle
    }

    // MARK: Endpoints

    /// Binds to `endpoint` (`tcp://127.0.0.1:7450`, `tcp://127.0.0.1:*` for an ephemeral port,
    /// `ipc:///path`, `inproc://name`) and returns the endpoint actually bound, with the real port.
    @discardableResult
    public func bind(_ endpoint: String) throws(ZeroMQError) -> String {
        let handle = try openHandle("zmq_bind")
        guard zmq_bind(handle, endpoint) == 0 else { throw ZeroMQError.current("zmq_bind(\(endpoint))", endpoint: endpoint) }
        return try lastEndpoint()
    }

    /// Stops listening on `endpoint` (as returned by ``bind(_:)``).
    public func unbind(_ endpoint: String) throws(ZeroMQError) {
        let handle = try openHandle("zmq_unbind")
        guard zmq_unbind(handle, endpoint) == 0 else { throw ZeroMQError.current("zmq_unbind(\(endpoint))") }
    }

    /// Connects to `endpoint`. ZeroMQ connects in the background and reconnects by itself, so this
    /// succeeds before the peer exists.
    public func connect(_ endpoint: String) throws(ZeroMQError) {
        let handle = try openHandle("zmq_connect")
        guard zmq_connect(handle, endpoint) == 0 else { throw ZeroMQError.current("zmq_connect(\(endpoint))") }
    }

    /// Drops the connection to `endpoint`.
    public func disconnect(_ endpoint: String) throws(ZeroMQError) {
        let handle = try openHandle("zmq_disconnect")
        guard zmq_disconnect(handle, endpoint) == 0 else { throw ZeroMQError.current("zmq_disconnect(\(endpoint))") }
    }

    /// The endpoint this socket last bound or connected to (with the real port after `*`).
    public func lastEndpoint() throws(ZeroMQError) -> String {
        let handle = try openHandle("zmq_getsockopt(ZMQ_LAST_ENDPOINT)")
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        let status = buffer.withUnsafeMutableBytes { zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, $0.baseAddress, &size) }
        guard status == 0 else { throw ZeroMQError.current("zmq_getsockopt(ZMQ_LAST_ENDPOINT)") }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Options

    /// Sets `option`. Most options only affect connections made after they are set: set them
    /// before `bind` and `connect`.
    public func setOption(_ option: SocketOption) throws(ZeroMQError) {
        try option.apply(to: openHandle("zmq_setsockopt(\(option.name))"))
    }

    /// Makes this socket a CURVE server with `secretKey`: every connection is encrypted and
    /// authenticated, and the ZAP handler of the context (if any) decides who may connect.
    public func makeCurveServer(secretKey: SecretBytes) throws(ZeroMQError) {
        let handle = try openHandle("zmq_setsockopt(ZMQ_CURVE_SERVER)")
        try setInt(handle, ZMQ_CURVE_SERVER, 1, "ZMQ_CURVE_SERVER")
        try setKey(handle, ZMQ_CURVE_SECRETKEY, secretKey, "ZMQ_CURVE_SECRETKEY")
    }

    /// Makes this socket a CURVE client that only talks to the server holding `serverKey`'s
    /// secret, and proves itself with `keyPair`.
    public func makeCurveClient(serverKey: CurvePublicKey, keyPair: CurveKeyPair) throws(ZeroMQError) {
        let handle = try openHandle("zmq_setsockopt(ZMQ_CURVE_SERVERKEY)")
        try setBytes(handle, ZMQ_CURVE_SERVERKEY, serverKey.rawRepresentation, "ZMQ_CURVE_SERVERKEY")
        try setBytes(handle, ZMQ_CURVE_PUBLICKEY, keyPair.publicKey.rawRepresentation, "ZMQ_CURVE_PUBLICKEY")
        try setKey(handle, ZMQ_CURVE_SECRETKEY, keyPair.secretKey, "ZMQ_CURVE_SECRETKEY")
    }

    /// SUB: receive messages whose first frame starts with `prefix` (empty: everything).
    /// XPUB in manual mode: apply a subscription the application has checked.
    public func subscribe(_ prefix: [UInt8]) throws(ZeroMQError) {
        try setBytes(openHandle("zmq_setsockopt(ZMQ_SUBSCRIBE)"), ZMQ_SUBSCRIBE, prefix, "ZMQ_SUBSCRIBE")
    }

    /// Removes a subscription made with ``subscribe(_:)``.
    public func unsubscribe(_ prefix: [UInt8]) throws(ZeroMQError) {
        try setBytes(openHandle("zmq_setsockopt(ZMQ_UNSUBSCRIBE)"), ZMQ_UNSUBSCRIBE, prefix, "ZMQ_UNSUBSCRIBE")
    }

    private func setInt(_ handle: UnsafeMutableRawPointer, _ option: Int32, _ value: Int32, _ name: String) throws(ZeroMQError) {
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size) == 0 else {
            throw ZeroMQError.current("zmq_setsockopt(\(name))")
        }
    }

    private func setBytes(_ handle: UnsafeMutableRawPointer, _ option: Int32, _ bytes: [UInt8], _ name: String) throws(ZeroMQError) {
        let status = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        guard status == 0 else { throw ZeroMQError.current("zmq_setsockopt(\(name))") }
    }

    private func setKey(_ handle: UnsafeMutableRawPointer, _ option: Int32, _ key: SecretBytes, _ name: String) throws(ZeroMQError) {
        guard key.count == 32 else { throw ZeroMQError.invalidArgument("\(name) must be 32 bytes, got \(key.count)") }
        let status = key.withUnsafeSecret { zmq_setsockopt(handle, option, $0, 32) }
        guard status == 0 else { throw ZeroMQError.current("zmq_setsockopt(\(name))") }
    }

    // MARK: Sending and receiving

    /// Sends `frames` as one multipart message (all or nothing). With `dontWait`, returns `false`
    /// instead of blocking when the message cannot be queued now; a send timeout also returns
    /// `false`.
    @discardableResult
    public func send(_ frames: [[UInt8]], dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        let handle = try openHandle("zmq_send")
        guard !frames.isEmpty else { throw ZeroMQError.invalidArgument("a message has at least one frame") }
        for (index, frame) in frames.enumerated() {
            var flags: Int32 = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            // Only the first frame can block: libzmq queues the rest of a started message.
            if dontWait && index == 0 { flags |= ZMQ_DONTWAIT }
            while true {
                let sent = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
                if sent >= 0 { break }
                let error = ZeroMQError.current("zmq_send")
                if case .interrupted = error { continue }
                if case .wouldBlock = error, index == 0 { return false }
                throw error
            }
        }
        return true
    }

    /// Sends one frame; `more` says further frames of the same message follow.
    @discardableResult
    public func send(_ frame: [UInt8], more: Bool = false, dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        let handle = try openHandle("zmq_send")
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        while true {
            let sent = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            if sent >= 0 { return true }
            let error = ZeroMQError.current("zmq_send")
            if case .interrupted = error { continue }
            if case .wouldBlock = error { return false }
            throw error
        }
    }

    /// Receives one whole multipart message with its `User-Id` and `Peer-Address` properties.
    /// Returns `nil` when `dontWait` is set and nothing is queued, or when the receive timeout
    /// passes. A signal interrupting the wait returns `nil` too, so that a loop can check
    /// whether it should stop.
    public func receive(dontWait: Bool = false) throws(ZeroMQError) -> Message? {
        let handle = try openHandle("zmq_msg_recv")
        var message = Message(frames: [])
        var part = zmq_msg_t()
        var more = true
        while more {
            zmq_msg_init(&part)
            // Only the first frame can be missing: libzmq delivers the rest of a message at once.
            let flags: Int32 = dontWait && message.frames.isEmpty ? ZMQ_DONTWAIT : 0
            let received = zmq_msg_recv(&part, handle, flags)
            if received < 0 {
                let error = ZeroMQError.current("zmq_msg_recv")
                zmq_msg_close(&part)
                if message.frames.isEmpty {
                    switch error {
                    case .wouldBlock, .interrupted: return nil
                    default: throw error
                    }
                }
                if case .interrupted = error { continue }
                throw error
            }
            let size = zmq_msg_size(&part)
            if let data = zmq_msg_data(&part), size > 0 {
                message.frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                message.frames.append([])
            }
            more = zmq_msg_more(&part) != 0
            if !more {
                // A ROUTER makes the routing-id frame itself; the properties travel with the
                // frames that came over the wire, so read them from the last one.
                message.userID = property(of: &part, "User-Id")
                message.peerAddress = property(of: &part, "Peer-Address")
            }
            zmq_msg_close(&part)
        }
        return message
    }

    private func property(of part: inout zmq_msg_t, _ name: String) -> String? {
        guard let value = zmq_msg_gets(&part, name) else { return nil }
        return String(cString: value)
    }
}

@available(*, unavailable, message: "a ZeroMQ socket belongs to one thread; talk to its thread over inproc://")
extension Socket: Sendable {}
