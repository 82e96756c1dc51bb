import Foundation
import LocalFiles
import NodeSetup
import Wire
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
        case notRunning(dataPath: String, socketPath: String)
        /// A control socket file nobody listens on: the node stopped without removing it
        /// (killed, or the machine lost power).
        case staleSocket(dataPath: String, socketPath: String)
        /// The system refused this user the socket, or a folder on the way to it.
        case permissionDenied(dataPath: String, access: AccessRefusal)
        /// The node did not answer in time.
        case timedOut(String, milliseconds: Int)
        /// The answer could not be read, or the socket failed.
        case broken(String)

        public var description: String {
            switch self {
            case .notRunning(let data, let socket):
                "no node is running (no control socket at \(socket)); start it with `bordernet node run --data \(data)`"
            case .staleSocket(let data, let socket):
                "no node is running: \(socket) is left from a node that stopped uncleanly (nothing listens on it); start the node with `bordernet node run --data \(data)`, which replaces the file"
            case .permissionDenied(let data, let access):
                "cannot reach the node on \(data): permission denied; \(access). Run the command as the node's user, e.g. `sudo -u \(access.owner.split(separator: ":").first.map(String.init) ?? "bordernet") bordernet …`, or use an account that may enter the data folder"
            case .timedOut(let path, let milliseconds):
                "the node on \(path) did not answer within \(milliseconds) ms; it is running but busy or stuck (see its log)"
            case .broken(let message):
                message
            }
        }
    }

    /// Why nobody can answer on the control socket right now, found at once (no timeout); `nil`
    /// when a node listens on it.
    public func unreachability() -> Failure? {
        let socketPath = directory.root.appendingPathComponent("control.sock").path
        switch UnixSocketFile.probe(path: socketPath) {
        case .listening: return nil
        case .missing: return .notRunning(dataPath: directory.root.path, socketPath: socketPath)
        case .stale: return .staleSocket(dataPath: directory.root.path, socketPath: socketPath)
        case .permissionDenied(let access): return .permissionDenied(dataPath: directory.root.path, access: access)
        case .notASocket:
            return .broken("\(socketPath) is not a socket: something other than the node created it; move it away, then start the node")
        case .unusable(let name, let message):
            return .broken("cannot reach the control socket \(socketPath): \(message) (\(name))")
        }
    }

    /// Sends `request` and returns the node's answer.
    public func send(_ request: ControlRequest) throws(Failure) -> ControlResponse {
        if let failure = unreachability() { throw failure }
        do {
            let context = try Context()
            let socket = try Socket(context, type: .dealer)
            try socket.connect(directory.controlEndpoint)
            try socket.send(try request.frames())
            var poller = Poller()
            poller.register(socket)
            let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
            var nextProbe = ContinuousClock.now + .seconds(1)
            while ContinuousClock.now < deadline {
                guard try !poller.poll(timeoutMilliseconds: 100).isEmpty, let message = try socket.receive(dontWait: true),
                    let frame = message.frames.last
                else {
                    // A node that stops while we wait leaves no listener: say so now, not at the deadline.
                    if ContinuousClock.now >= nextProbe {
                        if let failure = unreachability() { throw failure }
                        nextProbe = ContinuousClock.now + .seconds(1)
                    }
                    continue
                }
                return try ControlResponse(frame: frame)
            }
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure.broken("control socket: \(error)")
        }
        throw Failure.timedOut(directory.root.path, milliseconds: timeoutMilliseconds)
    }
}
