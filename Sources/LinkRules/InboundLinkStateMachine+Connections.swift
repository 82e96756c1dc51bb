extension InboundLinkStateMachine {
    /// One of the two connections a node holds to an origin.
    public enum Connection: Hashable, Sendable {
        /// The SUB to the origin's publisher.
        case subscriber
        /// The DEALER to the origin's service.
        case requester
    }

    /// The state of the link's connections and of its socket replacements.
    struct ConnectionWatch {
        /// When the subscriber's connection closed without libzmq scheduling a new attempt
        /// (`nil`: none pending). Past a short grace, the link gets new sockets.
        var subscriberLostAt: Instant?
        /// The same for the requester: each loss is cleared only by its own connection's events.
        var requesterLostAt: Instant?
        /// When the sockets were last replaced (or an attempt was made).
        var lastReset: Instant?
        /// When a failed handshake was last logged.
        var handshakeWarnedAt: Instant?

        /// The earlier of the two pending losses.
        var lostAt: Instant? {
            switch (subscriberLostAt, requesterLostAt) {
            case (let a?, let b?): min(a, b)
            case (let a?, nil): a
            case (nil, let b?): b
            case (nil, nil): nil
            }
        }

        mutating func markLost(_ connection: Connection, at now: Instant) {
            switch connection {
            case .subscriber: if subscriberLostAt == nil { subscriberLostAt = now }
            case .requester: if requesterLostAt == nil { requesterLostAt = now }
            }
        }
    }

    /// A connection closed. libzmq normally reopens it (it then reports it reconnecting); after a
    /// protocol error (an oversized frame) it does not, and the link would stay cut: the loss is
    /// marked, and unless libzmq reconnects within the grace, ``tick(now:)`` resets the link.
    public mutating func connectionClosed(_ connection: Connection, now: Instant) {
        connections.markLost(connection, at: now)
    }

    /// A handshake failed: a loss like ``connectionClosed(_:now:)``, logged once a minute at most.
    public mutating func handshakeFailed(_ connection: Connection, now: Instant) -> [InboundLinkAction] {
        connections.markLost(connection, at: now)
        guard connections.handshakeWarnedAt.map({ now - $0 >= configuration.handshakeWarningInterval }) ?? true else { return [] }
        connections.handshakeWarnedAt = now
        return [.warnHandshakeFailed]
    }

    /// libzmq connected, or scheduled a reconnection: that connection is not lost.
    public mutating func connectionReopened(_ connection: Connection) {
        switch connection {
        case .subscriber: connections.subscriberLostAt = nil
        case .requester: connections.requesterLostAt = nil
        }
    }

    /// The clock moved (the engine calls this every loop, ~100 ms). In order: a replay request
    /// unanswered for the replay timeout is sent again; an origin that sends heartbeats and has
    /// sent none for three of its intervals (or ours, and 30 s at least) gets the link new
    /// sockets, once per silence (heartbeats are optional: an origin without them is never reset
    /// for silence); a connection lost past the grace gets new sockets, at most once per reset
    /// spacing (a peer that keeps failing its handshake is retried at that pace), counted as a
    /// `protocolError` once per loss.
    public mutating func tick(now: Instant) -> [InboundLinkAction] {
        var actions: [InboundLinkAction] = []
        if let sent = replayRequestedAt, now - sent > configuration.replayTimeout {
            replayRequestedAt = nil
            if let request = requestReplay(.retry, now: now) { actions.append(.requestReplay(request)) }
        }
        if let heard = heartbeats.lastHeard {
            let ours = configuration.heartbeatInterval
            let interval = max(ours, heartbeats.observedInterval ?? ours)
            let limit = max(interval * configuration.silentIntervals, configuration.minimumSilenceBeforeReset)
            if now - heard > limit {
                heartbeats.lastHeard = nil
                // Spacing counts from every attempt, whether or not the engine manages it.
                connections.lastReset = now
                actions.append(.resetSockets(.silence))
            }
        }
        if let lost = connections.lostAt, now - lost >= configuration.connectionLossGrace,
            connections.lastReset.map({ now - $0 >= configuration.minimumResetSpacing }) ?? true
        {
            if connections.lastReset.map({ $0 < lost }) ?? true {  // once per loss, not per attempt
                actions.append(.refuse(.protocolError, detail: "a connection closed and libzmq will not reopen it"))
            }
            connections.lastReset = now
            actions.append(.resetSockets(.connectionClosed))
        }
        return actions
    }

    /// The engine replaced the link's sockets: no request is in flight on them, no loss pending,
    /// no heartbeat heard yet; it asks for a replay of what was missed.
    public mutating func socketsReplaced(now: Instant) -> [InboundLinkAction] {
        resets += 1
        replayRequestedAt = nil
        heartbeats.lastHeard = nil
        heartbeats.observedInterval = nil
        connections.subscriberLostAt = nil
        connections.requesterLostAt = nil
        return requestReplay(.reconnected, now: now).map { [.requestReplay($0)] } ?? []
    }
}
