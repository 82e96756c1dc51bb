import Exchange

/// The rules of roster requests between nodes (docs/PROTOCOL.md §16.3, "Rosters"), without
/// sockets or clocks of their own: the node hands in the time, the rules say what to do.
///
/// **Asking.** A node asks each of its sources (the secretariat's node, its origins) for a newer
/// roster at most once per check, and takes an answer from a source only while a request to it
/// is in flight: an answer nobody asked for is refused (`implausibleClaim`), so a hostile peer
/// cannot make the node verify, log or audit rosters at its own pace. A request unanswered for
/// ``answerTimeout`` is forgotten, and the source is asked again at the next check.
///
/// **Answering.** A node answers one roster request per peer per ``minimumAnswerSpacing``, and
/// sends its whole signed roster (up to 1 MiB) to one peer at most once per
/// ``minimumRosterSpacing``; requests beyond are refused as `throttled`. Memory is one entry per
/// roster member.
public struct RosterExchangeRules: Sendable {
    /// How long a request waits for its answer before it is forgotten.
    public static let answerTimeout = Duration.seconds(10)
    /// The shortest time between two answers to one peer.
    public static let minimumAnswerSpacing = Duration.milliseconds(500)
    /// The shortest time between two answers carrying the signed roster to one peer.
    public static let minimumRosterSpacing = Duration.seconds(10)

    /// Sources asked and not yet answered, with when.
    private var asked: [StateCode: ContinuousClock.Instant] = [:]
    /// When each peer was last answered, and last sent the roster.
    private var answered: [StateCode: (any: ContinuousClock.Instant, roster: ContinuousClock.Instant?)] = [:]

    /// No request in flight, nobody answered yet.
    public init() {}

    /// Whether to ask `source` now: `false` while a request to it is in flight and younger than
    /// ``answerTimeout``. Asking is recorded.
    public mutating func shouldAsk(_ source: StateCode, now: ContinuousClock.Instant) -> Bool {
        if let since = asked[source], now - since < Self.answerTimeout { return false }
        asked[source] = now
        return true
    }

    /// A request to `source` could not be sent: it is not in flight.
    public mutating func requestNotSent(to source: StateCode) {
        asked[source] = nil
    }

    /// Whether an answer from `source` is expected now; taking it ends the request in flight.
    public mutating func takeAnswer(from source: StateCode, now: ContinuousClock.Instant) -> Bool {
        guard let since = asked.removeValue(forKey: source) else { return false }
        return now - since < Self.answerTimeout
    }

    /// What to answer a roster request from `peer`, who holds `requesterVersion`, when this node
    /// holds `installedVersion`.
    public enum Answer: Sendable, Equatable {
        /// Send the version only: the peer holds this roster or a newer one.
        case versionOnly
        /// Send the signed roster: it is newer than the peer's.
        case roster
        /// Send nothing; count the request as `throttled`, for this reason.
        case throttle(String)
    }

    /// Decides the answer to `peer` and records it.
    public mutating func answer(
        _ peer: StateCode, requesterVersion: UInt64, installedVersion: UInt64, now: ContinuousClock.Instant
    ) -> Answer {
        let previous = answered[peer]
        if let previous, now - previous.any < Self.minimumAnswerSpacing {
            return .throttle("roster request within \(Self.minimumAnswerSpacing) of the previous answer")
        }
        guard requesterVersion < installedVersion else {
            answered[peer] = (now, previous?.roster)
            return .versionOnly
        }
        if let sent = previous?.roster, now - sent < Self.minimumRosterSpacing {
            return .throttle("roster asked again within \(Self.minimumRosterSpacing) of the previous one sent")
        }
        answered[peer] = (now, now)
        return .roster
    }

    /// Forgets peers that are no longer roster members (after a new roster is in force).
    public mutating func keepOnly(_ members: Set<StateCode>) {
        asked = asked.filter { members.contains($0.key) }
        answered = answered.filter { members.contains($0.key) }
    }
}
