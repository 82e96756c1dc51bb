import Audit
import BulletinSchema
import Exchange
import Foundation
import LinkRules
import Logging
import NodeSetup
import SearchIndex
import Sodium
import Store
import Wire
import ZeroMQ

/// The node's I/O thread: it owns every socket, reads them in one poll loop, and does the work
/// each message asks for (open, validate, store, publish, acknowledge). Nothing else touches the
/// sockets, so the type is not `Sendable`; other threads reach it through ``NodeRuntime/stop()``
/// and the control socket.
final class NodeEngine {
    /// The node's keys and card; replaced by the next ones when a roster holding their card is
    /// installed (``switchToNextKeys()``).
    var identity: NodeIdentity
    /// The keys `bordernet keys rotate` made, waiting for a roster that holds their card.
    var nextIdentity: NodeIdentity?
    /// The encryption keys of earlier rotations (newest first): envelopes sealed to them by an
    /// origin that did not have the new roster yet still open.
    var retiredEncryptionKeys: [X25519.PrivateKey]
    /// Set when the node switched to its next keys at start (audited once the log is open).
    var rotatedAtStart = false
    /// The socket generation of each link a roster closed, so that a link opened again names its
    /// monitors afresh (libzmq releases an inproc name only some time after its socket closes).
    var closedLinkGenerations: [StateCode: Int] = [:]
    /// The revocations of the roster this node has applied to what it accepted
    /// (``reviewRevocations()``), so that a roster check asks the store only for new ones.
    var appliedRevocations: Set<RevocationKey> = []
    /// The roster in force; replaced live by a newer one (``adoptRoster(_:)``).
    var roster: Roster
    let configuration: NodeConfiguration
    let directory: NodeDirectory
    let store: BulletinStore
    let catalog: SchemaCatalog
    let logger: Logger
    /// Checks envelopes against ``roster``; made again with each roster.
    var opener: EnvelopeOpener
    /// The signed bytes of ``roster``, served to peers that hold an older one.
    var signedRoster: SignedRoster
    /// Verifies offered rosters against the pinned secretariat key, its announced successor and
    /// the backup key (``NodeDirectory/rosterVerifier()``); made again after each install.
    var rosterVerifier: RosterVerifier
    /// Who may be asked for a newer roster and when; who was answered and when.
    var rosterRules = RosterExchangeRules()
    /// When the roster's sources are asked next (docs/PROTOCOL.md §16.3, "Rosters").
    var nextRosterCheck = ContinuousClock.now
    /// The CURVE keys of the allow-list in force (to see when one leaves it).
    var allowedTransportKeys: Set<CurvePublicKey> = []
    /// When a check was last brought forward by a failed signature or handshake.
    var lastEarlyRosterCheck: ContinuousClock.Instant?
    /// A requester connected to the secretariat's node, to ask it for newer rosters; `nil` when
    /// the roster has no secretariat, this node is it, or it is one of our origins (their
    /// requester is used).
    var secretariatRequester: (state: StateCode, card: IdentityCard, socket: Socket)?
    /// The ephemeral key every post is sealed under, renewed after 1,024 envelopes or 60 s
    /// (docs/PROTOCOL.md §7.6): one scalar multiplication per recipient and key, not two per envelope.
    let sealingKeys = SealingKeySchedule()
    /// The body keys of the ephemeral keys received lately, shared by the threads that open a batch.
    let openingKeys = OpeningKeyCache()
    let startedAt = Timestamp.now
    let metrics = NodeMetrics()
    /// The append-only audit log (docs/AUDIT.md), in its own SQLite file.
    let auditLog: AuditLog
    /// Checkpoints the audit log's write-ahead log outside the loop's appends.
    let auditCheckpointer: WALCheckpointer
    /// Events of the current loop iteration, written after the store commits they describe.
    var pendingAudit: [AuditEvent] = []
    /// The size of the last signed tree head.
    var lastTreeHeadSize: UInt64 = 0
    private var nextTreeHead = ContinuousClock.now + .seconds(60)
    /// How often a tree head is signed when the log grew.
    static let treeHeadInterval = Duration.seconds(60)
    let softwareVersion: String
    /// The search index's indexer (docs/SEARCH.md), on a thread of its own; `nil` with
    /// `[search] enabled = false`. The loop only wakes it after its commits.
    let searchIndexer: SearchIndexer?
    private var nextMetricsWrite = ContinuousClock.now
    /// How often `DATA/metrics.prom` is rewritten.
    static let metricsInterval = Duration.seconds(5)

    let context: Context
    let authenticator: ZAPAuthenticator
    /// XPUB in manual mode: envelopes and heartbeats, topic = recipient state; each subscription
    /// is checked against the subscriber's authenticated state. Bound anew when a roster drops a
    /// transport key (``rebindServerSockets()``), which ends that key's connections.
    var publisher: Socket
    /// Replay requests, receipts and roster requests from peers; bound anew like ``publisher``.
    var service: Socket
    /// Local commands (ipc).
    let control: Socket
    /// Decrypted bulletins for the state's own agencies (ipc), topic = incident type.
    let feed: Socket
    /// One per state that has a link to this node.
    var inbound: [StateCode: InboundLink] = [:]
    /// The last sequence sealed on each outgoing link.
    var outgoingPositions: [StateCode: ChainPosition] = [:]
    /// The rules of each link from this node: receipts kept, replay answers in flight.
    var outbound: [StateCode: OutboundLinkStateMachine] = [:]
    /// The highest sequence each recipient acknowledged.
    var acknowledged: [StateCode: UInt64] { outbound.mapValues(\.acknowledged) }
    /// The figures the link rules run on (heartbeat interval, replay batch, the protocol's delays).
    let linkConfiguration: LinkConfiguration
    /// Current subscriptions on the publisher, per subscribing state.
    var subscriptions: [StateCode: Int] = [:]

    /// Set when the node cannot go on (its server sockets could not be bound again): the loop
    /// ends and the node stops with this reason.
    var mustStop: String?

    private var poller = Poller()
    private var pollTargets: [PollTarget] = []
    private var nextHeartbeat = ContinuousClock.now

    enum PollTarget {
        case publisher, service, control
        case subscriber(StateCode)
        case requester(StateCode)
        /// Connection events of a link's subscriber or requester (a protocol error closes a
        /// connection for good: the link then gets new sockets).
        case subscriberEvents(StateCode)
        case requesterEvents(StateCode)
        /// Answers of the secretariat's node to roster requests.
        case secretariat
    }

    /// Transport refusals since start, summarised in the log and the audit log once per interval.
    var refusals = RefusalTally()
    private var nextRefusalSummary = ContinuousClock.now + NodeEngine.refusalSummaryInterval
    /// How often repeated refusals are summarised (log line and audit entry per peer and reason).
    static let refusalSummaryInterval = Duration.seconds(10)
    /// Connections the ZAP handler refused (its own thread), taken into ``refusals`` by the loop.
    let refusedConnections = RefusedConnections()
    /// Unverified envelopes audited one by one per peer in the current refusal interval.
    var unreadableAudited: [StateCode: Int] = [:]
    /// How many unverified envelopes per peer and interval are audited one by one (with their hash).
    static let unreadableAuditedPerInterval = 16
    /// The rate bound on the console's access records (``recordConsoleAccesses(_:)``).
    var consoleAccessBound = ConsoleAccessBound(perSecond: NodeEngine.consoleAccessesPerSecond)
    /// The rate bound on agency access records (``AgencyAccessBound``).
    var agencyAccessBound = AgencyAccessBound(
        burst: NodeEngine.agencyAccessBurst, perSecond: NodeEngine.agencyAccessesPerSecond)
    /// `recordAccess` requests refused in the current summary interval.
    var consoleAccessRefusals = 0
    /// The watch-list entries (`DATA/watchlists.sqlite`), changed on control requests, read by
    /// the alert raising on the indexer's thread.
    let watchLists: WatchListStore
    /// Raises alerts on the indexer's thread and tells the loop when some wait to be published
    /// and audited; `nil` with `[search] enabled = false` (then `watchAdd` is refused).
    let alerting: AlertRaising?
    /// The last failure publishing alerts, logged once until it changes.
    var lastAlertPublishingFailure: String?
    /// Checks finished attachments on a queue of its own, reading the store read-only.
    let attachmentVerifier: AttachmentVerifier
    /// Attachment chunks served per peer in the current second (``serveAttachmentChunk(_:to:routingID:)``).
    var attachmentServingBounds: [StateCode: RateWindow] = [:]
    /// Attachment receipts taken per peer in the current second (``takeAttachmentReceipt(_:from:routingID:)``).
    var attachmentReceiptBounds: [StateCode: RateWindow] = [:]
    /// Peers served no attachment chunk until then: their answer queue was full.
    var attachmentServingPausedUntil: [StateCode: ContinuousClock.Instant] = [:]
    /// Checks and seals posts' files on a queue of its own (``AttachmentPreparation``).
    let attachmentSealer = AttachmentSealer()
    /// Posts whose files the sealer prepares, by ticket: committed when their files are ready.
    var postsBeingSealed: [Int: (routingID: [UInt8], post: PreparedPost)] = [:]
    /// The next ticket given to a post handed to the sealer.
    var nextSealingTicket = 0
    /// How many answers the service socket queues for one peer before it drops more.
    static let serviceAnswersQueuedPerPeer = 8

    /// The most messages read from one socket before the loop looks at the others.
    static let readBatch = 512

    init(
        directory: NodeDirectory, softwareVersion: String, logger: Logger,
        onIndexed: @escaping @Sendable ([IndexedBulletin]) -> Void = { _ in }
    ) throws(NodeError) {
        self.directory = directory
        self.logger = logger
        self.softwareVersion = softwareVersion
        do {
            // A rotation a crash interrupted is finished before any key is read.
            try directory.finishInterruptedRotation()
            identity = try directory.loadIdentity()
            configuration = try directory.loadConfiguration()
            guard let (roster, signed) = try directory.loadSignedRoster() else {
                throw NodeError.noRoster(dataPath: directory.root.path)
            }
            self.roster = roster
            signedRoster = signed
            // A stop between writing a roster signed by the announced successor and pinning it:
            // the pin follows the installed roster.
            if let signer = try directory.rosterVerifier().signer(of: signed) {
                try directory.updatePins(after: roster, signedBy: signer)
            }
            rosterVerifier = try directory.rosterVerifier()
        } catch let error as NodeError {
            throw error
        } catch let error as SetupError {
            throw NodeError.setup(error)
        } catch {
            throw NodeError.setup(.invalidArgument("\(error)"))
        }
        guard let member = roster.member(identity.state) else {
            throw NodeError.notInRoster(state: identity.state.description, rosterVersion: roster.version)
        }
        // Next keys that do not read are not this node's keys: it goes on with its own and says so.
        do throws(SetupError) {
            nextIdentity = try directory.loadNextIdentity()
        } catch {
            logger.error("cannot read the next keys (keys.next, card.next.json)", metadata: ["error": "\(error)"])
        }
        // With keys that differ from the roster's card, neighbours would refuse everything this
        // node signs and could not reach it over CURVE: refuse to start instead, unless the card
        // is that of the next keys (a rotation whose roster was installed with the node stopped).
        if member.card != identity.card {
            guard let next = nextIdentity, next.card == member.card else {
                throw NodeError.cardDiffersFromRoster(state: identity.state.description, rosterVersion: roster.version)
            }
            do throws(SetupError) {
                try directory.completeRotation(expectedCard: member.card, at: .now)
            } catch {
                throw NodeError.setup(error)
            }
            identity = next
            nextIdentity = nil
            rotatedAtStart = true
        }
        retiredEncryptionKeys = directory.retiredEncryptionKeys()
        let storeURL = URL(fileURLWithPath: configuration.storePath, relativeTo: directory.root)
        // Watch-lists first: a row that no longer reads stops the start (NodeError.store). The
        // indexer's hook raises each batch's alerts, then calls the caller's hook.
        do throws(StoreError) {
            watchLists = try WatchListStore(path: directory.root.appendingPathComponent("watchlists.sqlite").path)
        } catch {
            throw NodeError.store(error)
        }
        let indexPath = directory.root.appendingPathComponent("search.sqlite").path
        let raising = configuration.searchEnabled ? AlertRaising(watchLists: watchLists, logger: logger) : nil
        alerting = raising
        searchIndexer =
            configuration.searchEnabled
            ? SearchIndexer(
                indexPath: indexPath, storeURL: storeURL, logger: logger, alerting: raising, onIndexed: onIndexed)
            : nil
        // Where each link stands, read before any socket is opened: a stored value that does not
        // convert stops the start (NodeError.store), it is never skipped.
        let incomingPositions: [StateCode: ChainPosition]
        var incomingStatuses: [StateCode: ReceiptStatus] = [:]
        let acknowledgedPositions: [StateCode: UInt64]
        do throws(StoreError) {
            store = try BulletinStore(path: storeURL.path)
            attachmentVerifier = AttachmentVerifier(reader: try BulletinReader(storeFile: storeURL))
            incomingPositions = try store.incomingPositions()
            for (origin, position) in incomingPositions where position.sequence > 0 {
                incomingStatuses[origin] = try store.incomingEnvelope(from: origin, sequence: position.sequence)?.status
            }
            acknowledgedPositions = try store.acknowledgedPositions()
            outgoingPositions = try store.outgoingPositions()
        } catch {
            throw NodeError.store(error)
        }
        do throws(AuditLogError) {
            let auditPath = directory.root.appendingPathComponent("audit.sqlite").path
            auditLog = try AuditLog(path: auditPath, state: identity.state, automaticCheckpoints: false)
            do {
                auditCheckpointer = try WALCheckpointer(path: auditPath, file: "audit log")
            } catch {
                throw .storage(error)
            }
            lastTreeHeadSize = (try auditLog.latestTreeHead()?.head.treeSize) ?? 0
        } catch {
            throw NodeError.auditLog(error)
        }
        do {
            let schemas = try SchemaLocator.locate(
                explicit: configuration.schemasPath.isEmpty ? nil : configuration.schemasPath)
            catalog = try SchemaCatalog.load(from: schemas)
        } catch {
            throw NodeError.schemas("\(error)")
        }
        // Origins send this node what its roster entry says it reads: more than its schemas read
        // would be bulletins it refuses (docs/PROTOCOL.md §6.1).
        do throws(SetupError) {
            try NodeSchemas.check(
                roster, state: identity.state, reads: NodeSchemas.readsSchema(catalog.version),
                schemas: catalog.directory.path)
        } catch {
            throw NodeError.setup(error)
        }
        let limits = EnvelopeLimits(
            maximumBodyByteCount: SchemaCatalog.maximumBulletinBytes,
            maximumEnvelopeByteCount: configuration.maximumEnvelopeBytes)
        opener = EnvelopeOpener(recipient: identity.state, roster: roster, limits: limits)
        linkConfiguration = LinkConfiguration(
            heartbeatInterval: .milliseconds(configuration.heartbeatIntervalMilliseconds),
            replayBatchSize: configuration.replayBatchSize)
        for (recipient, sequence) in acknowledgedPositions {
            outbound[recipient] = OutboundLinkStateMachine(
                link: Link(origin: identity.state, recipient: recipient), acknowledged: sequence,
                configuration: linkConfiguration)
        }

        do throws(ZeroMQError) {
            context = try Context()
            let allowList = Self.allowList(for: roster, now: .now)
            allowedTransportKeys = Set(allowList.keys)
            let refusedConnections = self.refusedConnections
            authenticator = try ZAPAuthenticator(context: context, allowList: allowList) { decision in
                if !decision.accepted { refusedConnections.note(decision) }
            }
            publisher = try Self.makePublisher(context: context, identity: identity, configuration: configuration)
            service = try Self.makeService(context: context, identity: identity, configuration: configuration)

            control = try Socket(context, type: .router)
            // Answers are never dropped silently: a full queue (a client that does not read)
            // makes send report it, and a client that left makes it fail (see reply(to:_:)).
            try control.setOption(.routerMandatory(true))
            try control.setOption(.sendHighWaterMark(Int32(clamping: configuration.highWaterMark)))
            try control.bind(directory.controlEndpoint)
            feed = try Socket(context, type: .publisher)
            try feed.setOption(.sendHighWaterMark(Int32(clamping: configuration.highWaterMark)))
            try feed.bind(directory.feedEndpoint)

            for origin in roster.origins(sendingTo: identity.state) {
                guard let member = roster.member(origin) else { continue }
                inbound[origin] = try InboundLink(
                    card: member.card,
                    sockets: Self.makeInboundSockets(
                        to: member.card, generation: 0, context: context, identity: identity,
                        configuration: configuration),
                    rules: InboundLinkStateMachine(
                        link: Link(origin: origin, recipient: identity.state),
                        position: incomingPositions[origin] ?? .start,
                        status: incomingStatuses[origin] ?? .accepted, configuration: linkConfiguration),
                    attachmentPull: AttachmentPull(bytesPerSecond: configuration.attachmentLinkBytesPerSecond))
            }
            secretariatRequester = try Self.makeSecretariatRequester(
                roster: roster, origins: Set(inbound.keys), context: context, identity: identity,
                configuration: configuration)
        } catch {
            throw NodeError.network("\(error)")
        }

        registerSockets()
    }

    /// (Re)builds the poller over every socket: at start, and after a link's sockets are replaced.
    func registerSockets() {
        poller = Poller()
        pollTargets = []
        func register(_ socket: Socket, as target: PollTarget) {
            poller.register(socket)
            pollTargets.append(target)
        }
        register(publisher, as: .publisher)
        register(service, as: .service)
        register(control, as: .control)
        for (origin, link) in inbound.sorted(by: { $0.key < $1.key }) {
            register(link.sockets.subscriber, as: .subscriber(origin))
            register(link.sockets.requester, as: .requester(origin))
            register(link.sockets.subscriberEvents, as: .subscriberEvents(origin))
            register(link.sockets.requesterEvents, as: .requesterEvents(origin))
        }
        if let secretariat = secretariatRequester { register(secretariat.socket, as: .secretariat) }
    }

    /// Serves until `shouldStop` answers `true` (checked at least every 100 ms).
    func run(shouldStop: () -> Bool) {
        logger.notice(
            "node started",
            metadata: [
                "state": "\(identity.state)", "roster": "\(roster.version)", "publish": "\(configuration.publishBind)",
                "service": "\(configuration.serviceBind)", "origins": "\(inbound.keys.sorted().map(\.description))",
            ])
        audit(.nodeStarted(softwareVersion: softwareVersion))
        searchIndexer?.start()
        reconcileAuditWithStore()
        if rotatedAtStart { audit(.keysRotated(rosterVersion: roster.version)) }
        reviewRevocations()
        flushAudit()
        for link in inbound.values {
            if let request = link.rules.requestReplay(.start, now: .now) { sendReplayRequest(request, on: link) }
        }
        while !shouldStop(), mustStop == nil {
            let ready: [Int]
            do {
                ready = try poller.poll(timeoutMilliseconds: 100)
            } catch {
                logger.critical("polling the sockets failed; stopping", metadata: ["error": "\(error)"])
                break
            }
            let targets = pollTargets
            for index in ready where targets.indices.contains(index) {
                switch targets[index] {
                case .publisher: handleSubscriptions()
                case .service: handleServiceRequests()
                case .control: handleControlRequests()
                case .subscriber(let origin): handlePublications(from: origin)
                case .requester(let origin): handleReplies(from: origin)
                case .subscriberEvents(let origin): handleConnectionEvents(of: origin, subscriber: true)
                case .requesterEvents(let origin): handleConnectionEvents(of: origin, subscriber: false)
                case .secretariat: handleSecretariatAnswers()
                }
            }
            runTimers()
            publishAlerts()
            flushAudit()
        }
        // The indexer first, then one last pass: the alerts of its last batch are published and
        // audited before the node stops (those left by a crash, at the next start).
        // Posts whose files are being sealed are stored and answered: their officers wait.
        attachmentSealer.waitForPending()
        commitSealedPosts()
        searchIndexer?.stop()
        alerting?.pending.store(true, ordering: .relaxed)
        publishAlerts()
        writeMetrics()
        takeRefusedConnections()
        summariseRefusals()
        audit(.nodeStopped)
        flushAudit()
        signTreeHeadIfGrown()
        logger.notice("node stopping", metadata: ["state": "\(identity.state)"])
        authenticator.stop()
    }

    private func runTimers() {
        let now = ContinuousClock.now
        if now >= nextHeartbeat {
            publishHeartbeats()
            nextHeartbeat = now + .milliseconds(configuration.heartbeatIntervalMilliseconds)
        }
        if now >= nextTreeHead {
            signTreeHeadIfGrown()
            nextTreeHead = now + Self.treeHeadInterval
        }
        if now >= nextMetricsWrite {
            writeMetrics()
            nextMetricsWrite = now + Self.metricsInterval
        }
        // An ephemeral key past its age goes even when nothing is posted (docs/PROTOCOL.md §7.6).
        sealingKeys.retireExpired()
        if now >= nextRosterCheck {
            reviewRevocations()
            refreshAllowList()
            loadNextKeysIfMade()
            askForNewerRoster(now: now)
            nextRosterCheck = now + .milliseconds(configuration.rosterCheckIntervalMilliseconds)
        }
        // Replay retries, silence and lost connections: the link rules decide, on the clock given.
        for link in inbound.values { perform(link.rules.tick(now: now), on: link) }
        takeAttachmentVerdicts()
        commitSealedPosts()
        pullAttachments(now: now)
        takeRefusedConnections()
        if now >= nextRefusalSummary {
            summariseRefusals()
            nextRefusalSummary = now + Self.refusalSummaryInterval
        }
    }

    /// Refreshes the gauges and rewrites `DATA/metrics.prom`.
    func writeMetrics() {
        for link in inbound.values {
            let lag =
                (link.announced ?? 0) > link.position.sequence ? (link.announced ?? 0) - link.position.sequence : 0
            metrics.gauge("bordernet_link_lag_envelopes", [("origin", link.origin.description)], Double(lag))
        }
        let recipients = roster.recipients(of: identity.state)
        for recipient in recipients {
            let sent = outgoingPositions[recipient]?.sequence ?? 0
            let unacknowledged = sent - min(sent, acknowledged[recipient] ?? 0)
            metrics.gauge(
                "bordernet_link_unacknowledged_envelopes", [("recipient", recipient.description)],
                Double(unacknowledged))
        }
        // Links a new roster closed leave the exposition.
        metrics.keepOnly("bordernet_link_lag_envelopes", inbound.keys.map { [("origin", $0.description)] })
        metrics.keepOnly("bordernet_link_unacknowledged_envelopes", recipients.map { [("recipient", $0.description)] })
        metrics.gauge("bordernet_store_bytes", [], Double(store.sizeInBytes()))
        metrics.gauge("bordernet_roster_version", [], Double(roster.version))
        if let indexer = searchIndexer {
            let statistics = indexer.statistics.withLock { $0 }
            metrics.gauge("bordernet_search_indexed_bulletins", [], Double(statistics.indexed))
            metrics.gauge("bordernet_search_indexing_seconds", [], statistics.seconds)
            metrics.gauge("bordernet_search_indexing_seconds_per_bulletin", [], statistics.secondsPerBulletin)
            metrics.gauge("bordernet_search_index_lag_seconds", [], statistics.lagSeconds)
            metrics.gauge("bordernet_search_indexing_failures", [], Double(statistics.failures))
        }
        if let alerting {
            metrics.gauge(
                "bordernet_alerts_candidates_held_back", [],
                Double(alerting.heldBackCandidates.load(ordering: .relaxed)))
            metrics.gauge(
                "bordernet_alerts_entries_not_tested", [], Double(alerting.heldBackEntries.load(ordering: .relaxed)))
        }
        do {
            try metrics.write(to: directory.root.appendingPathComponent("metrics.prom"))
        } catch {
            logger.error("cannot write metrics.prom", metadata: ["error": "\(error)"])
        }
    }

    /// Reads up to ``readBatch`` messages from `socket` without waiting.
    func drain(_ socket: Socket) -> [Message] {
        var messages: [Message] = []
        while messages.count < Self.readBatch {
            do {
                guard let message = try socket.receive(dontWait: true) else { break }
                messages.append(message)
            } catch {
                logger.error("receive failed", metadata: ["error": "\(error)"])
                break
            }
        }
        return messages
    }
}
