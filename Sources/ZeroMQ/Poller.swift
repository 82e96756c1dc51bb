internal import CZeroMQ

/// Waits on several sockets at once (`zmq_poll`), so that one thread can serve them all.
///
/// Like the sockets it holds, a poller belongs to one thread.
public struct Poller {
    private var sockets: [Socket] = []

    /// An empty poller.
    public init() {}

    /// Watches `socket` for incoming messages and returns its index in poll results.
    @discardableResult
    public mutating func register(_ socket: Socket) -> Int {
        sockets.append(socket)
        return sockets.count - 1
    }

    /// Waits until at least one socket has a message to read or `timeoutMilliseconds` pass
    /// (-1: no limit), and returns the indices of the readable sockets. A signal that interrupts
    /// the wait returns an empty list, so that the caller can check whether it should stop.
    public func poll(timeoutMilliseconds: Int) throws(ZeroMQError) -> [Int] {
        var items = [zmq_pollitem_t]()
        items.reserveCapacity(sockets.count)
        for socket in sockets {
            let handle = try socket.openHandle("zmq_poll")
            items.append(zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
        }
        let ready = items.withUnsafeMutableBufferPointer { buffer in
            zmq_poll(buffer.baseAddress, Int32(buffer.count), timeoutMilliseconds)
        }
        if ready < 0 {
            let error = ZeroMQError.current("zmq_poll")
            if case .interrupted = error { return [] }
            throw error
        }
        return items.indices.filter { items[$0].revents & Int16(ZMQ_POLLIN) != 0 }
    }
}

@available(*, unavailable, message: "a poller holds sockets, which belong to one thread")
extension Poller: Sendable {}
