internal import CZeroMQ

/// The ZeroMQ socket patterns BorderNet uses.
public enum SocketType: Sendable, CustomStringConvertible {
    /// Publishes messages to subscribers by topic prefix (envelopes, topic = recipient state).
    case publisher
    /// A publisher that also receives its subscribers' (un)subscriptions, and in manual mode
    /// decides itself which ones take effect.
    case extendedPublisher
    /// Receives the messages of the topics it subscribed to.
    case subscriber
    /// Serves many peers, each message prefixed with the sending peer's routing id.
    case router
    /// Talks to a router asynchronously (requests, receipts).
    case dealer
    /// One-to-one, for signalling between two threads over `inproc://`.
    case pair
    /// Replies to requests in strict alternation (the ZAP handler).
    case reply

    var rawValue: Int32 {
        switch self {
        case .publisher: ZMQ_PUB
        case .extendedPublisher: ZMQ_XPUB
        case .subscriber: ZMQ_SUB
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .pair: ZMQ_PAIR
        case .reply: ZMQ_REP
        }
    }

    public var description: String {
        switch self {
        case .publisher: "PUB"
        case .extendedPublisher: "XPUB"
        case .subscriber: "SUB"
        case .router: "ROUTER"
        case .dealer: "DEALER"
        case .pair: "PAIR"
        case .reply: "REP"
        }
    }
}
