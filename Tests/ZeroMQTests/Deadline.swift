import Foundation
import ZeroMQ

/// Receives from `socket` until `deadline` passes (bounded: never waits forever).
func receive(from socket: Socket, within seconds: Double) throws -> Message? {
    let deadline = Date().addingTimeInterval(seconds)
    var poller = Poller()
    poller.register(socket)
    while Date() < deadline {
        let remaining = max(1, Int(deadline.timeIntervalSinceNow * 1000))
        if try !poller.poll(timeoutMilliseconds: min(remaining, 100)).isEmpty,
            let message = try socket.receive(dontWait: true)
        {
            return message
        }
    }
    return nil
}

/// A fresh temporary folder for `ipc://` endpoints, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bordernet-zmq-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
