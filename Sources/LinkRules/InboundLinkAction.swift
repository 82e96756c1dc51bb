import Exchange

/// What the engine must do for a link after a heartbeat, a replay answer, a connection event or
/// a timer: the link rules decide, the engine performs.
public enum InboundLinkAction: Hashable, Sendable {
    /// Why a link gets new sockets.
    public enum ResetReason: String, Hashable, Sendable, CustomStringConvertible {
        /// An origin that sends heartbeats fell silent (a subscription can be lost without an event).
        case silence = "silent for three heartbeat intervals"
        /// A connection closed and libzmq did not schedule a reconnection within the grace.
        case connectionClosed = "connection closed for good"

        /// The reason as logged.
        public var description: String { rawValue }
    }

    /// Send the request; report ``InboundLinkStateMachine/replayRequestNotSent()`` if it could
    /// not be sent, audit it as `replayRequested` for the request's range if it was.
    case requestReplay(ReplayRequest)
    /// Sign and send this receipt to the origin.
    case sendReceipt(LinkReceipt)
    /// Count a transport refusal from the origin (docs/PROTOCOL.md §16.5).
    case refuse(RejectionReason, detail: String)
    /// Close the link's sockets and open new ones; report
    /// ``InboundLinkStateMachine/socketsReplaced(now:)`` when that worked.
    case resetSockets(ResetReason)
    /// Log that a handshake with the origin failed (its card may be out of date).
    case warnHandshakeFailed
}
