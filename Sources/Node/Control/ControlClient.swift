import Foundation
import ZeroMQ

/// Sends one command to the node running on a data folder and waits for its answer, for at most
/// a timeout: the CLI side of the control socket.
public struct ControlClient: Sendable {
    /// The node's data folder.
    public let directory: NodeDirectory
    /// How long to wait for the answer.
    public let timeoutMilliseconds: Int

    /// A client for the node of `directory`.
    public init(directory: NodeDirectory, timeoutMilliseconds: Int = 10_000) {
        self.directory = directory
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// Why a command got no answer.
    public enum Failure: Error, CustomStringConvertible {
        /// No control socket: the node is not running on this folder.
        case notRunning(String)
        /// The node did not answer in time.
        case timedOut(String, milliseconds: Int)
        /// The answer could not be read, or the socket failed.
        case broken(String)

        public var description: String {
            switch self {
            case .notRunning(let path):
                "no node is running on \(path) (no control socket); start it with `bordernet node run --data \(path)`"
            case .timedOut(let path, let milliseconds):
                "the node on \(path) did not answer within \(milliseconds) ms; is it running? (see its log)"
            case .broken(let message):
                message
            }
        }
    }

    /// Sends `request` and returns the node's answer.
    public func send(_ request: ControlRequest) throws(Failure) -> ControlResponse {
        let socketPath = directory.root.appendingPathComponent("control.sock").path
        guard FileManager.default.fileExists(atPath: socketPath) else { throw Failure.notRunning(directory.root.path) }
        do {
            let context = try Context()
            let socket = try Socket(context, type: .dealer)
            try socket.connect(directory.controlEndpoint)
            try socket.send([Array(try JSONEncoder().encode(request))])
            var poller = Poller()
            poller.register(socket)
            let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
            while ContinuousClock.now < deadline {
                guard try !poller.poll(timeoutMilliseconds: 100).isEmpty, let message = try socket.receive(dontWait: true),
                    let frame = message.frames.last
                else { continue }
                return try JSONDecoder().decode(ControlResponse.self, from: Data(frame))
            }
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure.broken("control socket: \(error)")
        }
        throw Failure.timedOut(directory.root.path, milliseconds: timeoutMilliseconds)
    }
}
