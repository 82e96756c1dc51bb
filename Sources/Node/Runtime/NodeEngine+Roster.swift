import Audit
import Exchange
import Foundation
import LinkRules
import Logging
import NodeSetup
import Sodium
import Wire
import ZeroMQ

/// Rosters that reach the node by the network and take effect without a restart
/// (docs/PROTOCOL.md §16.3, "Rosters"; docs/OPERATIONS.md, "Signing and distributing a roster").
///
/// Every node serves the signed roster it has installed to any roster member that holds an older
/// one, and asks for a newer one at start, every `roster.check_interval_ms`, and when its
/// operator installs one: it asks the secretariat's node (over a requester of its own) and each
/// of its origins (over the link's requester). An offered roster is checked exactly as
/// `roster install` checks it — the pinned secretariat key, well-formed, newer, not expired, what
/// this node's schemas read — and also must hold this node's own card, or the card of the next
/// keys `keys rotate` made (the node then switches to them): a roster that removed this state or
/// lists keys it does not hold is refused. A roster that passes is written to
/// `DATA/roster.signed` and put in force at once (``adoptRoster(_:signed:)``); every install and
/// every refusal is in the audit log.
extension NodeEngine {
    /// The largest frame the secretariat requester reads: the largest signed roster and room for
    /// the answer's other frames.
    static let secretariatFrameLimit = Int64(RosterVerifier.maximumSignedRosterByteCount + 1_024)

    /// Opens a requester to the roster's secretariat node, unless there is none, it is this node,
    /// or it is an origin of this node (its link's requester asks it).
    static func makeSecretariatRequester(
        roster: Roster, origins: Set<StateCode>, context: Context, identity: NodeIdentity,
        configuration: NodeConfiguration
    ) throws(ZeroMQError) -> (state: StateCode, card: IdentityCard, socket: Socket)? {
        guard let secretariat = roster.members.first(where: { $0.role == .secretariat }),
            secretariat.state != identity.state,
            !origins.contains(secretariat.state)
        else { return nil }
        let socket = try Socket(context, type: .dealer)
        try socket.setOption(.maxMessageSize(bytes: secretariatFrameLimit))
        // One answer is expected per check: two queued bound what the secretariat's node (or
        // someone who holds its transport key) can make us hold.
        try socket.setOption(.receiveHighWaterMark(2))
        try socket.setOption(.reconnectInterval(milliseconds: 200))
        try socket.setOption(.reconnectIntervalMax(milliseconds: 5_000))
        try socket.setOption(.heartbeatInterval(milliseconds: 5_000))
        try socket.setOption(.heartbeatTimeout(milliseconds: 15_000))
        try socket.makeCurveClient(
            serverKey: CurvePublicKey(rawRepresentation: secretariat.card.transportKey.rawRepresentation),
            keyPair: CurveKeyPair(x25519: identity.transportKey))
        try socket.connect(secretariat.card.endpoints.service)
        return (secretariat.state, secretariat.card, socket)
    }

    /// The XPUB every envelope and heartbeat leaves by, bound at `network.publish`.
    static func makePublisher(context: Context, identity: NodeIdentity, configuration: NodeConfiguration)
        throws(ZeroMQError) -> Socket
    {
        let publisher = try Socket(context, type: .extendedPublisher)
        try publisher.setOption(.extendedPublisherManual(true))
        try publisher.setOption(.sendHighWaterMark(Int32(clamping: configuration.highWaterMark)))
        try publisher.setOption(.maxMessageSize(bytes: 1_024))
        try publisher.setOption(.sendBufferSize(bytes: Int32(clamping: configuration.socketBufferBytes)))
        try publisher.makeCurveServer(secretKey: CurveKeyPair(x25519: identity.transportKey).secretKey)
        try publisher.bind(configuration.publishBind)
        return publisher
    }

    /// The ROUTER of replay, receipts, audit and roster requests, bound at `network.service`.
    static func makeService(context: Context, identity: NodeIdentity, configuration: NodeConfiguration)
        throws(ZeroMQError) -> Socket
    {
        let service = try Socket(context, type: .router)
        try service.setOption(.maxMessageSize(bytes: 16 * 1_024))
        // Answers are one replay batch or one audit answer at a time per peer (see
        // serveReplay): a peer that never reads can hold at most this many in our memory.
        try service.setOption(.sendHighWaterMark(Int32(Self.serviceAnswersQueuedPerPeer)))
        // A full queue or a vanished peer makes send report it (EAGAIN / EHOSTUNREACH)
        // instead of dropping silently: an answer not queued is not audited as served.
        try service.setOption(.routerMandatory(true))
        try service.setOption(.heartbeatInterval(milliseconds: 5_000))
        try service.setOption(.heartbeatTimeout(milliseconds: 15_000))
        try service.makeCurveServer(secretKey: CurveKeyPair(x25519: identity.transportKey).secretKey)
        try service.bind(configuration.serviceBind)
        return service
    }

    // MARK: Asking

    /// Asks every source that has no request in flight whether it holds a newer roster.
    func askForNewerRoster(now: ContinuousClock.Instant) {
        let request = ServiceRequest.roster(installedVersion: roster.version).frames
        var sources: [(StateCode, Socket)] = inbound.values.map { ($0.origin, $0.requester) }
        if let secretariat = secretariatRequester { sources.append((secretariat.state, secretariat.socket)) }
        for (source, socket) in sources where rosterRules.shouldAsk(source, now: now) {
            do {
                if try socket.send(request, dontWait: true) { continue }
            } catch {
                logger.debug("cannot ask for a newer roster", metadata: ["source": "\(source)", "error": "\(error)"])
            }
            rosterRules.requestNotSent(to: source)
        }
    }

    /// Brings the next roster check forward (a neighbour's signature or handshake failed: its keys
    /// may be in a roster this node does not have yet), at most once per
    /// ``earlyRosterCheckSpacing``, so a peer that keeps failing costs one check per spacing.
    func askForNewerRosterSoon() {
        let now = ContinuousClock.now
        if let last = lastEarlyRosterCheck, now - last < Self.earlyRosterCheckSpacing { return }
        lastEarlyRosterCheck = now
        nextRosterCheck = min(nextRosterCheck, now)
    }

    /// The shortest time between two checks brought forward by failures.
    static let earlyRosterCheckSpacing = Duration.seconds(10)

    /// Reads the secretariat node's answers.
    func handleSecretariatAnswers() {
        guard let secretariat = secretariatRequester else { return }
        for message in drain(secretariat.socket) {
            takeRosterAnswer(message.frames, from: secretariat.state)
        }
    }

    /// A roster answer from `source` (the secretariat's node or an origin, authenticated by
    /// CURVE as the server we connected to): taken only when asked for; a signed roster in it is
    /// offered like one an operator installs.
    func takeRosterAnswer(_ frames: [[UInt8]], from source: StateCode) {
        guard rosterRules.takeAnswer(from: source, now: .now) else {
            refuse(
                .implausibleClaim, from: source, detail: "a roster answer that was not asked for (or came after 10 s)")
            return
        }
        let answer: RosterAnswer
        do throws(WireError) {
            answer = try RosterAnswer(frames: frames, maximumRosterBytes: RosterVerifier.maximumSignedRosterByteCount)
        } catch {
            refuse(error.reason, from: source, detail: error.description)
            return
        }
        guard let bytes = answer.signedRoster else {
            if answer.installedVersion > roster.version {
                logger.info(
                    "a source says it holds a newer roster but did not send it; asking again at the next check",
                    metadata: ["source": "\(source)", "version": "\(answer.installedVersion)"])
            }
            return
        }
        _ = offerRoster(bytes, from: source)
    }

    // MARK: Installing

    /// Why an offered roster is not in force: the audited reason (`nil`: the roster was good but
    /// this node could not write it, which is not audited as a refusal) and a sentence for the operator.
    struct RosterOfferRefusal: Error {
        let reason: RosterRefusal?
        let version: UInt64
        let message: String
    }

    /// Checks an offered signed roster and, when it is newer and valid, writes it and puts it in
    /// force. `source` is the peer that sent it, `nil` for the node's operator (`roster install`).
    /// Installs and refusals are logged and audited; a roster equal to the installed one is
    /// neither.
    func offerRoster(_ bytes: [UInt8], from source: StateCode?) -> Result<RosterInstallation, RosterOfferRefusal> {
        let previous = roster.version
        let result = checkOfferedRoster(bytes)
        switch result {
        case .success(nil):
            return .success(RosterInstallation(previousVersion: previous, version: previous, changed: false))
        case .success(let (new, signed)?):
            do {
                let schemas = (reads: NodeSchemas.readsSchema(catalog.version), directory: catalog.directory.path)
                try directory.installRoster(signed, schemas: schemas)
            } catch {
                // Not the roster's fault (the disk, the file changed under us): nothing audited.
                logger.error("cannot write the new roster; keeping the installed one", metadata: ["error": "\(error)"])
                return .failure(
                    RosterOfferRefusal(
                        reason: nil, version: new.version, message: "cannot write DATA/roster.signed: \(error)"))
            }
            let previousKey = rosterVerifier.secretariatKey
            do {
                rosterVerifier = try directory.rosterVerifier()
            } catch {
                logger.error(
                    "cannot read the pinned secretariat keys again; keeping the ones in memory",
                    metadata: ["error": "\(error)"])
            }
            if rosterVerifier.secretariatKey != previousKey {
                logger.notice(
                    "secretariat key pinned: the roster was signed by the successor the previous roster announced",
                    metadata: ["key": "\(Hex.encode(rosterVerifier.secretariatKey.rawRepresentation))"])
            }
            adoptRoster(new, signed: signed)
            logger.notice(
                "roster installed",
                metadata: [
                    "version": "\(new.version)", "previous": "\(previous)",
                    "from": "\(source?.description ?? "operator")",
                ])
            return .success(RosterInstallation(previousVersion: previous, version: new.version, changed: true))
        case .failure(let refusal):
            guard let reason = refusal.reason else { return .failure(refusal) }
            audit(.rosterRefused(source: source, version: refusal.version, reason: reason))
            metrics.count(
                "bordernet_rosters_refused_total",
                [("source", source?.description ?? "operator"), ("reason", "\(reason)")])
            logger.warning(
                "roster refused",
                metadata: [
                    "from": "\(source?.description ?? "operator")", "version": "\(refusal.version)",
                    "reason": "\(reason)",
                    "detail": "\(refusal.message)",
                ])
            return .failure(refusal)
        }
    }

    /// The roster to install (`nil`: the one installed), or why not.
    private func checkOfferedRoster(_ bytes: [UInt8]) -> Result<(Roster, SignedRoster)?, RosterOfferRefusal> {
        let signed: SignedRoster
        let acceptance: RosterVerifier.Acceptance
        do throws(RosterError) {
            signed = try SignedRoster(serializedBytes: bytes)
            acceptance = try rosterVerifier.accept(signed, installed: roster, now: .now)
        } catch {
            // The version is read only from a roster whose signature verified.
            var version: UInt64 = 0
            switch error {
            case .rollback(let offered, _): version = offered
            case .versionConflict(let conflicting): version = conflicting
            case .expired:
                if let signed = try? SignedRoster(serializedBytes: bytes) {
                    version = (try? Roster(canonicalBytes: signed.rosterBytes))?.version ?? 0
                }
            default: break
            }
            return .failure(
                RosterOfferRefusal(reason: RosterRefusal(error), version: version, message: error.description))
        }
        guard case .install(let new) = acceptance else { return .success(nil) }
        // `keys rotate` may have made next keys since the node started: look for them again.
        if let member = new.member(identity.state), member.card != identity.card, member.card != nextIdentity?.card {
            do {
                nextIdentity = try directory.loadNextIdentity()
            } catch {
                logger.error("cannot read the next keys (keys.next, card.next.json)", metadata: ["error": "\(error)"])
            }
        }
        guard let member = new.member(identity.state), member.card == identity.card || member.card == nextIdentity?.card
        else {
            let what =
                new.member(identity.state) == nil
                ? "roster \(new.version) does not list \(identity.state): this state was removed from the exchange"
                : "roster \(new.version) holds another card for \(identity.state) than this node's card.json and card.next.json (keys this node does not hold)"
            return .failure(
                RosterOfferRefusal(
                    reason: .notThisNodesCard, version: new.version,
                    message:
                        "\(what); not installed: compare `bordernet roster show` with card.json and card.next.json"
                ))
        }
        do throws(SetupError) {
            try NodeSchemas.check(
                new, state: identity.state, reads: NodeSchemas.readsSchema(catalog.version),
                schemas: catalog.directory.path)
        } catch {
            return .failure(RosterOfferRefusal(reason: .schemaNotRead, version: new.version, message: "\(error)"))
        }
        return .success((new, signed))
    }

    /// Puts `new` in force: the ZAP allow-list, the opener, the links from origins (new ones
    /// opened at their stored position, dropped ones closed, changed cards reconnected), the
    /// secretariat requester. When the roster holds the card of this node's next keys, the node
    /// switches to them first (``switchToNextKeys()``). Server sockets are bound anew when a
    /// transport key of the old roster is not let in any more (a state removed, revoked or given
    /// new keys), so that no connection made with it survives, and the publisher alone when the
    /// roster adds links from this node (a recipient that subscribed while the old roster
    /// refused it subscribes again on its new connection).
    func adoptRoster(_ new: Roster, signed: SignedRoster) {
        // Posts whose files are being sealed were checked (links, schema versions read) under the
        // old roster: they are stored first, as pending posts are before a roster is installed.
        // This waits for at most two posts' sealing, only when a roster changes meanwhile.
        attachmentSealer.waitForPending()
        commitSealedPosts()
        let old = roster
        let oldAllowList = Self.allowList(for: old, now: .now)
        roster = new
        signedRoster = signed
        opener = EnvelopeOpener(
            recipient: identity.state, roster: new, limits: opener.limits, statistics: opener.statistics)
        let allowList = Self.allowList(for: new, now: .now)
        authenticator.updateAllowList(allowList)
        allowedTransportKeys = Set(allowList.keys)
        rosterRules.keepOnly(Set(new.members.map(\.state)))
        let rotated = nextIdentity.map { new.member(identity.state)?.card == $0.card } == true && switchToNextKeys()

        let origins = Set(new.origins(sendingTo: identity.state))
        for (origin, link) in inbound
        where rotated || !origins.contains(origin) || new.member(origin)?.card != link.card {
            closeSockets(of: link)
            closedLinkGenerations[origin] = link.generation
            inbound[origin] = nil
            if !origins.contains(origin) {
                logger.notice("link closed by the new roster", metadata: ["origin": "\(origin)"])
            }
        }
        let opened = openLinks(from: origins.filter { inbound[$0] == nil }, in: new)

        let newSecretariat = new.members.first {
            $0.role == .secretariat && $0.state != identity.state && !origins.contains($0.state)
        }
        if rotated || secretariatRequester?.card != newSecretariat?.card {
            secretariatRequester?.socket.close()
            secretariatRequester = nil
            do {
                secretariatRequester = try Self.makeSecretariatRequester(
                    roster: new, origins: origins, context: context, identity: identity, configuration: configuration)
            } catch {
                logger.error("cannot connect to the secretariat's node", metadata: ["error": "\(error)"])
            }
        }
        let keysLeft = !Set(oldAllowList.keys).subtracting(allowList.keys).isEmpty
        let linksAdded = !Set(new.recipients(of: identity.state)).subtracting(old.recipients(of: identity.state))
            .isEmpty
        if rotated || keysLeft {
            rebindServerSockets(publisherOnly: false)
        } else if linksAdded {
            rebindServerSockets(publisherOnly: true)
        }
        registerSockets()
        audit(.rosterInstalled(version: new.version))
        if rotated { audit(.keysRotated(rosterVersion: new.version)) }
        reviewRevocations()
        for link in opened {
            if let request = link.rules.requestReplay(.start, now: .now) { sendReplayRequest(request, on: link) }
        }
        // Ask the sources of the new roster at once: a neighbour may already hold a newer one.
        nextRosterCheck = .now
    }

    /// The ZAP allow-list of `roster` at `now`: every member's current transport key, and the
    /// transport keys a rotation retired that are still in force (not revoked, `until` ahead):
    /// a node that has not switched to its new keys yet still gets in.
    static func allowList(for roster: Roster, now: Timestamp) -> [CurvePublicKey: String] {
        var allowList: [CurvePublicKey: String] = [:]
        for (state, keys) in roster.acceptedTransportKeys(at: now) {
            for key in keys {
                if let key = try? CurvePublicKey(rawRepresentation: key.rawRepresentation) {
                    allowList[key] = state.description
                }
            }
        }
        return allowList
    }

    /// Replaces the ZAP allow-list with the one in force now; when a key left it (a rotated-out key
    /// whose `until` passed), binds the server sockets anew so that its connections end too.
    func refreshAllowList() {
        let list = Self.allowList(for: roster, now: .now)
        authenticator.updateAllowList(list)
        let left = !allowedTransportKeys.subtracting(list.keys).isEmpty
        allowedTransportKeys = Set(list.keys)
        if left {
            rebindServerSockets(publisherOnly: false)
            registerSockets()
        }
    }

    /// Reads the next keys `bordernet keys rotate` made while the node ran (it also tells the node
    /// at once over the control socket): an origin that installs the roster with the new card
    /// before this node does seals to the next encryption key, which this node must then hold.
    func loadNextKeysIfMade() {
        guard nextIdentity == nil else { return }
        do {
            nextIdentity = try directory.loadNextIdentity()
        } catch {
            logger.error("cannot read the next keys (keys.next, card.next.json)", metadata: ["error": "\(error)"])
        }
    }

    /// The encryption keys this node opens envelopes with: the current one first, then the next
    /// keys' (an origin that installed the roster of a rotation before this node), then retired ones.
    var ownEncryptionKeys: [X25519.PrivateKey] {
        [identity.encryptionKey] + (nextIdentity.map { [$0.encryptionKey] } ?? []) + retiredEncryptionKeys
    }

    /// Switches to the keys `bordernet keys rotate` made, whose card the roster now holds: the
    /// files move (`keys/` to `keys.retired/`, `keys.next/` to `keys/`), the node signs with the
    /// new signing key from now on and keeps the old encryption key to open what was sealed to it.
    /// The caller reconnects every socket (the transport key changed). `false` when the files
    /// could not be moved: the node keeps its keys and says so.
    private func switchToNextKeys() -> Bool {
        guard let next = nextIdentity else { return false }
        do {
            try directory.completeRotation(expectedCard: next.card, at: .now)
        } catch {
            // The roster on disk holds the new card: the node stops, and at its next start it
            // finishes the rotation (or says what is wrong with the files).
            logger.critical(
                "cannot move the keys for the rotation; the node keeps its current keys, which the roster no longer lists: restart it",
                metadata: ["error": "\(error)"])
            mustStop = "the key rotation could not move the key files: \(error)"
            return false
        }
        retiredEncryptionKeys.insert(identity.encryptionKey, at: 0)
        retiredEncryptionKeys = Array(retiredEncryptionKeys.prefix(4))
        identity = next
        nextIdentity = nil
        logger.notice("switched to the next keys of this node (key rotation)", metadata: ["state": "\(identity.state)"])
        return true
    }

    /// Opens links from `origins` (of `roster`) at the positions the store holds.
    private func openLinks(from origins: Set<StateCode>, in roster: Roster) -> [InboundLink] {
        var opened: [InboundLink] = []
        for origin in origins.sorted() {
            guard let member = roster.member(origin) else { continue }
            do {
                let position = try store.incomingPositions()[origin] ?? .start
                let status =
                    position.sequence > 0
                    ? try store.incomingEnvelope(from: origin, sequence: position.sequence)?.status : nil
                // A fresh generation: the monitors of a link closed a moment ago may still hold
                // their inproc names.
                let generation = (closedLinkGenerations[origin] ?? -1) + 1
                let link = InboundLink(
                    card: member.card,
                    sockets: try Self.makeInboundSockets(
                        to: member.card, generation: generation, context: context, identity: identity,
                        configuration: configuration),
                    rules: InboundLinkStateMachine(
                        link: Link(origin: origin, recipient: identity.state), position: position,
                        status: status ?? .accepted,
                        configuration: linkConfiguration),
                    attachmentPull: makeAttachmentPull())
                link.generation = generation
                inbound[origin] = link
                opened.append(link)
                logger.notice(
                    "link opened by the new roster",
                    metadata: ["origin": "\(origin)", "position": "\(position.sequence)"])
            } catch {
                logger.error(
                    "cannot open a link of the new roster; restart the node",
                    metadata: ["origin": "\(origin)", "error": "\(error)"])
            }
        }
        return opened
    }

    /// Closes `link`'s four sockets.
    func closeSockets(of link: InboundLink) {
        link.sockets.subscriber.close()
        link.sockets.requester.close()
        link.sockets.subscriberEvents.close()
        link.sockets.requesterEvents.close()
    }

    /// How long binding a server socket anew may take (the old one's port is released by
    /// libzmq's own thread, a moment after it is closed).
    static let rebindAttempts = 500
    static let rebindSpacing = Duration.milliseconds(20)

    /// Closes the publisher and (unless `publisherOnly`) the service socket, which ends every
    /// connection to them, and binds new ones: every client connects again through ZAP with the new allow-list, so a
    /// key the new roster dropped is refused from now on. Subscriptions come again with the
    /// reconnections; publications lost meanwhile come back by replay (heartbeats tell the
    /// recipients). A node that cannot bind again stops (its service manager restarts it).
    func rebindServerSockets(publisherOnly: Bool) {
        publisher.close()
        subscriptions.removeAll()
        if !publisherOnly { service.close() }
        guard
            let newPublisher = bindAgain(
                "the publisher",
                { try Self.makePublisher(context: context, identity: identity, configuration: configuration) })
        else { return }
        publisher = newPublisher
        if !publisherOnly {
            guard
                let newService = bindAgain(
                    "the service socket",
                    { try Self.makeService(context: context, identity: identity, configuration: configuration) })
            else { return }
            service = newService
        }
        logger.notice(
            publisherOnly
                ? "publisher bound anew: the roster added links from this node, their recipients subscribe again"
                : "publisher and service bound anew: their connections are closed, every peer connects again through the new allow-list"
        )
    }

    /// Makes a server socket again, retrying every ``rebindSpacing`` while libzmq releases the
    /// old one's port, at most ``rebindAttempts`` times; then the node must stop (`nil`).
    private func bindAgain(_ what: String, _ make: () throws -> Socket) -> Socket? {
        for attempt in 1...Self.rebindAttempts {
            do {
                return try make()
            } catch {
                if attempt == Self.rebindAttempts {
                    mustStop = "cannot bind \(what) again after a roster change: \(error)"
                    return nil
                }
                let (seconds, attoseconds) = Self.rebindSpacing.components
                Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
            }
        }
        return nil
    }

    // MARK: Serving

    /// Answers a roster request from `peer` (any roster member; ZAP let it in): the signed roster
    /// when ours is newer than `requesterVersion`, else our version; throttled per peer.
    func serveRoster(to peer: StateCode, routingID: [UInt8], requesterVersion: UInt64) {
        switch rosterRules.answer(peer, requesterVersion: requesterVersion, installedVersion: roster.version, now: .now)
        {
        case .throttle(let detail):
            refuse(.throttled, from: peer, detail: detail)
        case .versionOnly:
            _ = try? service.send(
                [routingID] + RosterAnswer(installedVersion: roster.version, signedRoster: nil).frames, dontWait: true)
        case .roster:
            let answer = RosterAnswer(installedVersion: roster.version, signedRoster: signedRoster.serializedBytes)
            if (try? service.send([routingID] + answer.frames, dontWait: true)) == true {
                metrics.count("bordernet_rosters_served_total", [("peer", peer.description)])
                logger.info(
                    "roster served",
                    metadata: ["peer": "\(peer)", "version": "\(roster.version)", "theirs": "\(requesterVersion)"])
            }
        }
    }
}
