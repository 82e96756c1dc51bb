internal import CZeroMQ
import Glibc

/// A failure reported by libzmq, named after its `errno` so that an operator can look it up.
public enum ZeroMQError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The operation would block (`EAGAIN`): nothing to receive yet, or the send queue is full
    /// while sending without waiting.
    case wouldBlock(operation: String)
    /// The context was shut down (`ETERM`); the socket must be closed.
    case contextTerminated(operation: String)
    /// A signal interrupted a blocking call (`EINTR`); it can be retried.
    case interrupted(operation: String)
    /// A ROUTER with mandatory routing had no peer with that routing id (`EHOSTUNREACH`).
    case hostUnreachable(operation: String)
    /// An endpoint could not be bound because the address is taken (`EADDRINUSE`).
    case addressInUse(endpoint: String)
    /// Any other failure, with its errno name (`EINVAL`, `EPROTONOSUPPORT`, …) and libzmq's message.
    case failed(operation: String, errnoName: String, message: String)
    /// A value given to this wrapper could not be used (a malformed key or option value).
    case invalidArgument(String)

    /// The symbolic errno name of the failure, for logs and tests.
    public var errnoName: String {
        switch self {
        case .wouldBlock: "EAGAIN"
        case .contextTerminated: "ETERM"
        case .interrupted: "EINTR"
        case .hostUnreachable: "EHOSTUNREACH"
        case .addressInUse: "EADDRINUSE"
        case .failed(_, let name, _): name
        case .invalidArgument: "EINVAL"
        }
    }

    public var description: String {
        switch self {
        case .wouldBlock(let operation):
            "\(operation): would block (EAGAIN)"
        case .contextTerminated(let operation):
            "\(operation): the ZeroMQ context was shut down (ETERM)"
        case .interrupted(let operation):
            "\(operation): interrupted by a signal (EINTR); retry"
        case .hostUnreachable(let operation):
            "\(operation): no connected peer has that routing id (EHOSTUNREACH)"
        case .addressInUse(let endpoint):
            "cannot bind \(endpoint): address already in use (EADDRINUSE); choose another port or stop the other process"
        case .failed(let operation, let name, let message):
            "\(operation): \(message) (\(name))"
        case .invalidArgument(let message):
            "invalid argument: \(message)"
        }
    }

    /// Builds the error for the current `zmq_errno()` after `operation` failed.
    static func current(_ operation: String, endpoint: String? = nil) -> ZeroMQError {
        let code = zmq_errno()
        switch code {
        case EAGAIN: return .wouldBlock(operation: operation)
        case ETERM: return .contextTerminated(operation: operation)
        case EINTR: return .interrupted(operation: operation)
        case EHOSTUNREACH: return .hostUnreachable(operation: operation)
        case EADDRINUSE where endpoint != nil: return .addressInUse(endpoint: endpoint ?? "")
        default:
            let message = String(cString: zmq_strerror(code))
            return .failed(operation: operation, errnoName: errnoName(code), message: message)
        }
    }

    private static func errnoName(_ code: Int32) -> String {
        switch code {
        case EINVAL: "EINVAL"
        case EFAULT: "EFAULT"
        case EMFILE: "EMFILE"
        case ENOMEM: "ENOMEM"
        case ENOTSOCK: "ENOTSOCK"
        case EPROTONOSUPPORT: "EPROTONOSUPPORT"
        case ENOCOMPATPROTO: "ENOCOMPATPROTO"
        case EADDRINUSE: "EADDRINUSE"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case ENODEV: "ENODEV"
        case ENOENT: "ENOENT"
        case EFSM: "EFSM"
        case ENOTSUP: "ENOTSUP"
        case EMTHREAD: "EMTHREAD"
        case ENOBUFS: "ENOBUFS"
        case ENETDOWN: "ENETDOWN"
        case ECONNREFUSED: "ECONNREFUSED"
        case EINPROGRESS: "EINPROGRESS"
        case EACCES: "EACCES"
        default: "errno \(code)"
        }
    }
}
