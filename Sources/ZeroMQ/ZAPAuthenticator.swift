import Foundation
import Synchronization

/// The ZeroMQ Authentication Protocol handler (ZeroMQ RFC 27) of a context: it decides which
/// CURVE clients may connect to the context's CURVE servers, and names each accepted client.
///
/// It binds `inproc://zeromq.zap.01` in the context and answers libzmq's requests on its own
/// thread. A client is accepted only when its CURVE public key is in the allow-list; the name the
/// allow-list gives it becomes the connection's `User-Id`, which every message from that peer
/// carries (``Message/userID``). A peer's identity therefore comes from its handshake, never from
/// what it writes. Any other mechanism (NULL, PLAIN) is refused.
///
/// Create it before binding the CURVE server sockets, and keep it alive as long as they serve.
public final class ZAPAuthenticator: Sendable {
    /// The outcome of one authentication, for logs and the audit trail.
    public struct Decision: Sendable, Equatable {
        /// The client's CURVE key (`nil` when it did not use CURVE).
        public var clientKey: CurvePublicKey?
        /// The mechanism the client used (`CURVE`, `NULL`, `PLAIN`).
        public var mechanism: String
        /// The client's IP address.
        public var address: String
        /// The ZAP domain of the server socket.
        public var domain: String
        /// The `User-Id` given, or `nil` when refused.
        public var userID: String?
        /// Whether the client was let in.
        public var accepted: Bool { userID != nil }
    }

    /// The endpoint libzmq sends ZAP requests to.
    public static let endpoint = "inproc://zeromq.zap.01"

    private struct State {
        var allowList: [CurvePublicKey: String]
        var stopping = false
    }

    /// What the caller's thread and the handler's thread share.
    private final class SharedState: Sendable {
        let state: Mutex<State>
        let finished = DispatchSemaphore(value: 0)
        init(_ state: State) { self.state = Mutex(state) }
    }

    private let shared: SharedState

    /// Starts the handler in `context` with `allowList` (client key → User-Id). `onDecision` is
    /// called on the handler's thread for every request; keep it short.
    public init(
        context: Context,
        allowList: [CurvePublicKey: String],
        onDecision: @escaping @Sendable (Decision) -> Void = { _ in }
    ) throws(ZeroMQError) {
        let shared = SharedState(State(allowList: allowList))
        self.shared = shared
        let bindResult = Mutex<Result<Void, ZeroMQError>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { shared.finished.signal() }
            let socket: Socket
            do throws(ZeroMQError) {
                socket = try Socket(context, type: .reply)
                try socket.bind(Self.endpoint)
                bindResult.withLock { $0 = .success(()) }
            } catch {
                bindResult.withLock { $0 = .failure(error) }
                ready.signal()
                return
            }
            ready.signal()
            Self.serve(socket, shared: shared, onDecision: onDecision)
            socket.close()
        }
        thread.name = "zap-authenticator"
        thread.start()
        ready.wait()
        if case .failure(let error) = bindResult.withLock({ $0 }) {
            shared.finished.wait()
            shared.state.withLock { $0.stopping = true }  // so that deinit does not wait again
            throw error
        }
    }

    deinit {
        stop()
    }

    /// Replaces the allow-list (for example when a new roster is installed). Connections that
    /// were accepted before stay open; new handshakes use the new list.
    public func updateAllowList(_ allowList: [CurvePublicKey: String]) {
        shared.state.withLock { $0.allowList = allowList }
    }

    /// Stops the handler and waits for its thread (at most one poll interval). Idempotent.
    public func stop() {
        let wasRunning = shared.state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        if wasRunning { shared.finished.wait() }
    }

    /// How long the handler waits for a request before it checks whether it should stop.
    private static let pollIntervalMilliseconds = 50

    private static func serve(_ socket: Socket, shared: SharedState, onDecision: @Sendable (Decision) -> Void) {
        var poller = Poller()
        poller.register(socket)
        while !shared.state.withLock({ $0.stopping }) {
            do {
                guard try !poller.poll(timeoutMilliseconds: pollIntervalMilliseconds).isEmpty,
                    let request = try socket.receive(dontWait: true)
                else { continue }
                let (reply, decision) = answer(request.frames, allowList: shared.state.withLock { $0.allowList })
                try socket.send(reply)
                if let decision { onDecision(decision) }
            } catch {
                // The context was shut down or the socket broke: no further request can arrive.
                return
            }
        }
    }

    /// The reply frames to one ZAP request (RFC 27 §"Request and reply").
    private static func answer(_ frames: [[UInt8]], allowList: [CurvePublicKey: String]) -> ([[UInt8]], Decision?) {
        // version, request id, domain, address, identity, mechanism, credentials…
        guard frames.count >= 6, frames[0] == Array("1.0".utf8) else {
            let requestID = frames.count > 1 ? frames[1] : []
            return (reply(requestID, "500", "malformed ZAP request", userID: ""), nil)
        }
        let requestID = frames[1]
        let domain = String(decoding: frames[2], as: UTF8.self)
        let address = String(decoding: frames[3], as: UTF8.self)
        let mechanism = String(decoding: frames[5], as: UTF8.self)
        var decision = Decision(clientKey: nil, mechanism: mechanism, address: address, domain: domain, userID: nil)
        guard mechanism == "CURVE", frames.count == 7, let key = try? CurvePublicKey(rawRepresentation: frames[6]) else {
            return (reply(requestID, "400", "only CURVE clients are accepted", userID: ""), decision)
        }
        decision.clientKey = key
        guard let userID = allowList[key] else {
            return (reply(requestID, "400", "unknown CURVE key", userID: ""), decision)
        }
        decision.userID = userID
        return (reply(requestID, "200", "OK", userID: userID), decision)
    }

    private static func reply(_ requestID: [UInt8], _ status: String, _ text: String, userID: String) -> [[UInt8]] {
        [Array("1.0".utf8), requestID, Array(status.utf8), Array(text.utf8), Array(userID.utf8), []]
    }
}
