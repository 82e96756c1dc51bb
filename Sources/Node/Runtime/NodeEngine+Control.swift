import BulletinSchema
import Exchange
import Foundation
import Logging
import NodeSetup
import Sodium
import Store
import Wire
import ZeroMQ

extension NodeEngine {
    /// Local commands from the CLI and the web console: one JSON request per message, a post's
    /// draft in its own frame (``ControlRequest/init(frames:)``).
    ///
    /// Posts that arrive together are committed together: their drafts are validated at once (on
    /// every core when there are several), each is prepared on its own, then all are sealed and
    /// stored in one durable transaction (one disk flush), and only then answered and published.
    /// Other commands but `recordAccess` see every post received before them (``seesPendingPosts(_:)``).
    func handleControlRequests() {
        // A ROUTER message is [routing id, request frames…]; one without a request is not answered.
        let messages = drain(control).filter { $0.frames.count >= 2 }
        let requests = messages.map { message in
            Result { () throws(ControlRequestError) in try ControlRequest(frames: Array(message.frames.dropFirst())) }
        }
        let drafts: [[UInt8]?] = requests.map { decoded in
            guard case .success(let request) = decoded, request.command == .post else { return nil }
            return request.draft
        }
        let catalog = catalog
        let validations = ParallelMap.map(drafts) { draft in
            draft.map { draft in Result { () throws(BulletinRejection) in try catalog.validate(draft, stage: .draft) } }
        }
        var posts: [(routingID: [UInt8], post: PreparedPost)] = []
        for (index, message) in messages.enumerated() {
            let request: ControlRequest
            switch requests[index] {
            case .success(let decoded): request = decoded
            case .failure(let error):
                reply(to: message.frames[0], .failure("malformed control request: \(error)"))
                continue
            }
            if request.command == .post {
                switch preparePost(request, draft: drafts[index], validation: validations[index]) {
                case .success(let post) where request.carriesFiles:
                    sealFiles(of: post, request: request, routingID: message.frames[0])
                case .success(let post): posts.append((message.frames[0], post))
                case .failure(let refusal): reply(to: message.frames[0], refusal.response)
                }
                continue
            }
            if Self.seesPendingPosts(request.command) {
                commitPosts(posts)
                posts.removeAll()
            }
            reply(to: message.frames[0], answer(request))
        }
        commitPosts(posts)
    }

    /// Whether `command` is answered only after the posts received before it are committed
    /// (their group commit then ends there). Status, history and metrics show posts; a ping is a
    /// client's barrier. Access records are not posts and show none: a console that serves
    /// while officers post does not split the posts' group commit.
    static func seesPendingPosts(_ command: ControlRequest.Command) -> Bool {
        switch command {
        case .recordAccess, .watchAdd, .watchRemove, .watchList: false
        // A roster changes who may be sent to: posts checked under the old one are sealed first.
        case .ping, .post, .status, .history, .metrics, .rosterInstall, .keysReload: true
        }
    }

    private func reply(to routingID: [UInt8], _ response: ControlResponse) {
        let frame: [UInt8]
        do {
            frame = try response.frame()
        } catch {
            logger.error("cannot answer a control request", metadata: ["error": "\(error)"])
            return
        }
        do throws(ZeroMQError) {
            if try !control.send([routingID, frame], dontWait: true) {
                logger.warning(
                    "control answer dropped: the local client does not read its answers",
                    metadata: ["queued": "\(configuration.highWaterMark)"])
            }
        } catch .hostUnreachable {
            // The client left before its answer (a command that timed out): nobody to tell.
            logger.info("a local client left before its control answer")
        } catch {
            logger.error("cannot answer a control request", metadata: ["error": "\(error)"])
        }
    }

    private func answer(_ request: ControlRequest) -> ControlResponse {
        switch request.command {
        case .ping: ControlResponse(ok: true)
        case .post: .failure("internal: posts are answered in batches")
        case .status: status()
        case .history: history(request.query ?? HistoryQuery())
        case .metrics: ControlResponse(ok: true, metrics: metrics.text)
        case .recordAccess: recordConsoleAccesses(request.accesses, agencies: request.agencyAccesses)
        case .watchAdd, .watchRemove, .watchList: answerWatch(request.command, request.watch)
        case .rosterInstall: installRoster(request.signedRoster)
        case .keysReload: reloadNextKeys()
        }
    }

    /// `keysReload`: the next keys `keys rotate` just made, held from now on.
    private func reloadNextKeys() -> ControlResponse {
        loadNextKeysIfMade()
        guard nextIdentity != nil else {
            return .failure("no next keys in keys.next and card.next.json (or they do not read: see the log)")
        }
        return ControlResponse(ok: true)
    }

    /// `rosterInstall`: the operator's roster, checked and put in force as one from the network.
    private func installRoster(_ bytes: [UInt8]?) -> ControlResponse {
        guard let bytes else { return .failure("rosterInstall carries the signed roster as its second frame") }
        switch offerRoster(bytes, from: nil) {
        case .success(let installation): return ControlResponse(ok: true, roster: installation)
        case .failure(let refusal):
            return .failure(
                refusal.reason.map { "roster refused (\($0)): \(refusal.message)" }
                    ?? "roster not installed: \(refusal.message)")
        }
    }

    /// A post that passed validation, with its id, ready to be sealed.
    struct PreparedPost {
        let bulletinID: BulletinID
        let reference: String
        let issued: [UInt8]
        let metadata: BulletinMetadata
        let stored: StoredBulletin
        let recipients: [StateCode]
        /// The files it carries, sealed, stored with it (docs/PROTOCOL.md §17).
        var attachments: PreparedAttachments = PreparedAttachments()
    }

    /// Why a post was refused before anything was stored.
    struct PostRefusal: Error {
        let response: ControlResponse
        init(_ message: String, failures: [String]? = nil) { response = .failure(message, failures: failures) }
        init(_ unreadable: UnreadableByRecipients) {
            response = ControlResponse(ok: false, error: Self.message(unreadable), unreadable: unreadable)
        }

        /// What the officer reads: who cannot read the bulletin, and the three ways out.
        static func message(_ refusal: UnreadableByRecipients) -> String {
            let who = refusal.recipients.map { "\($0.state) reads \($0.readsSchema)" }.joined(separator: ", ")
            let states = refusal.recipients.map(\.state).joined(separator: ", ")
            var ways: [String] = []
            let reads = refusal.recipients.map(\.readsSchema)
            // Only a version of the bulletin's own major can be written instead: a recipient
            // declared with another major has nothing this bulletin could become.
            if let oldest = reads.min(), reads.allSatisfy({ $0.major == refusal.schemaVersion.major }) {
                ways.append(
                    "write the bulletin as schemaVersion \(oldest.major).\(oldest.minor).0 (without what later versions added)"
                )
            }
            if !refusal.readers.isEmpty {
                ways.append("send it only to the states that read it (--to \(refusal.readers.joined(separator: ",")))")
            }
            ways.append(
                "wait for a roster in which \(states) \(refusal.recipients.count == 1 ? "reads" : "read") \(refusal.schemaVersion)"
            )
            return
                "the bulletin is schema \(refusal.schemaVersion), which the roster (version \(refusal.rosterVersion)) says "
                + "\(refusal.recipients.count == 1 ? "a recipient cannot" : "recipients cannot") read (\(who)); "
                + "nothing was stored or sent. To send it: " + ways.joined(separator: "; or ") + "."
        }
    }

    /// Chooses a validated draft's recipients and gives it an id. The request's draft (its UTF-8
    /// bytes, `nil` when it had none) was validated as a draft (`validation`), and the id the node
    /// inserts has the schema's form, so the issued bulletin is valid without a second validation.
    private func preparePost(
        _ request: ControlRequest, draft: [UInt8]?, validation: Result<ValidatedBulletin, BulletinRejection>?
    ) -> Result<PreparedPost, PostRefusal> {
        guard let draft, let validation else { return .failure(PostRefusal("post needs a bulletin")) }
        let validated: ValidatedBulletin
        switch validation {
        case .success(let bulletin): validated = bulletin
        case .failure(let error):
            return .failure(PostRefusal("the bulletin is not valid", failures: error.lines(in: .en)))
        }
        let linked = roster.recipients(of: identity.state)
        var recipients: [StateCode] = []
        for name in request.recipients ?? [] {
            guard let state = try? StateCode(name) else {
                return .failure(PostRefusal("'\(name)' is not a state code (two capital letters)"))
            }
            guard linked.contains(state) else {
                return .failure(
                    PostRefusal(
                        "the roster (version \(roster.version)) has no link from \(identity.state) to \(state); linked: \(linked.map(\.description).joined(separator: ", "))"
                    ))
            }
            if !recipients.contains(state) { recipients.append(state) }
        }
        if recipients.isEmpty { recipients = linked }
        guard !recipients.isEmpty else {
            return .failure(
                PostRefusal(
                    "the roster (version \(roster.version)) links \(identity.state) to no state: nobody to send to"))
        }
        // An origin never sends a bulletin a recipient's node cannot read (docs/PROTOCOL.md §6.1):
        // the whole post is refused, and the officer told, rather than refused at the recipient.
        let schemaVersion = NodeSchemas.readsSchema(validated.schemaVersion)
        let unreadable = recipients.compactMap { state -> RecipientReading? in
            let reads = roster.member(state)?.readsSchema ?? RosterMember.defaultReadsSchema
            return reads.reads(schemaVersion) ? nil : RecipientReading(state: state.description, readsSchema: reads)
        }
        if !unreadable.isEmpty {
            let refusal = UnreadableByRecipients(
                schemaVersion: schemaVersion, rosterVersion: roster.version, recipients: unreadable,
                readers: recipients.map(\.description).filter { state in !unreadable.contains { $0.state == state } })
            logger.warning(
                "post refused: recipients cannot read its schema version",
                metadata: [
                    "schema": "\(schemaVersion)", "roster": "\(roster.version)",
                    "recipients": "\(unreadable.map { "\($0.state):\($0.readsSchema)" }.joined(separator: ","))",
                ])
            metrics.count("bordernet_posts_refused_total", [("reason", "recipientSchemaVersion")])
            return .failure(PostRefusal(refusal))
        }
        let now = Timestamp.now
        let bulletinID = BulletinID.generate(at: now)
        let reference = bulletinID.reference(origin: identity.state)
        // The node writes a bulletin's attachments from the files it checked: an officer never
        // writes hashes and keys by hand.
        if validated.has("attachments") {
            return .failure(
                PostRefusal(
                    "the draft lists 'attachments': attach files to the post instead (bordernet post --attach FILE)"))
        }
        guard let issued = Self.insertingID(reference, into: draft), let tlp = try? TLP(label: validated.tlp) else {
            return .failure(PostRefusal("the bulletin must be a JSON object with a TLP marking"))
        }
        return .success(
            PreparedPost(
                bulletinID: bulletinID, reference: reference, issued: issued,
                metadata: BulletinMetadata(
                    bulletinID: bulletinID, createdAt: now, tlp: tlp,
                    schemaVersion: schemaVersion),
                stored: StoredBulletin(
                    reference: BulletinReference(origin: identity.state, id: bulletinID),
                    incidentType: validated.incidentType, tlp: tlp,
                    createdAt: now, storedAt: now, body: issued, indexFields: BulletinIndexFields(validated: validated)),
                recipients: recipients))
    }

    /// Hands a post's files to ``attachmentSealer``: the post is committed by
    /// ``commitSealedPosts()`` when they are checked and sealed, and meanwhile the loop moves
    /// envelopes. Commands that see pending posts (``seesPendingPosts(_:)``) do not wait for it.
    private func sealFiles(of post: PreparedPost, request: ControlRequest, routingID: [UInt8]) {
        let ticket = nextSealingTicket
        nextSealingTicket &+= 1
        let job = AttachmentSealer.Job(
            ticket: ticket, uploads: request.attachments ?? [], files: request.files, bulletinID: post.bulletinID,
            reference: post.stored.reference, now: post.stored.createdAt,
            limits: AttachmentPreparation.Limits(
                maximumFileBytes: configuration.attachmentMaximumFileBytes,
                maximumBulletinBytes: configuration.attachmentMaximumBulletinBytes))
        guard attachmentSealer.submit(job) else {
            metrics.count("bordernet_posts_refused_total", [("reason", "busy")])
            logger.warning(
                "post refused: posts with files are already being sealed",
                metadata: ["pending": "\(AttachmentSealer.maximumPending)"])
            reply(
                to: routingID,
                .failure(
                    "the node is already sealing the files of \(AttachmentSealer.maximumPending) posts; post again in a moment (nothing was stored or sent)"
                ))
            return
        }
        postsBeingSealed[ticket] = (routingID, post)
    }

    /// Commits the posts whose files ``attachmentSealer`` has prepared since the last turn; a
    /// refused file refuses its post, and nothing of it is stored.
    func commitSealedPosts() {
        let finished = attachmentSealer.takeFinished()
        guard !finished.isEmpty else { return }
        var ready: [(routingID: [UInt8], post: PreparedPost)] = []
        for (ticket, result) in finished {
            guard let (routingID, post) = postsBeingSealed.removeValue(forKey: ticket) else { continue }
            let attached: Result<PreparedPost, PostRefusal>
            switch result {
            case .success(let attachments): attached = attaching(attachments, to: post)
            case .failure(let refusal):
                metrics.count("bordernet_posts_refused_total", [("reason", "attachment")])
                logger.warning("post refused: an attached file", metadata: ["reason": "\(refusal.message)"])
                attached = .failure(PostRefusal("\(refusal.message); nothing was stored or sent"))
            }
            switch attached {
            case .success(let post): ready.append((routingID, post))
            case .failure(let refusal): reply(to: routingID, refusal.response)
            }
        }
        commitPosts(ready)
    }

    /// `post` with its prepared files: their list inserted after the id (the first member), then
    /// the whole bulletin checked again — a draft of schema 1.1 cannot carry attachments (added in
    /// 1.2), and a caption must follow the schema's rules.
    private func attaching(_ attachments: PreparedAttachments, to post: PreparedPost) -> Result<
        PreparedPost, PostRefusal
    > {
        guard !attachments.member.isEmpty else { return .success(post) }
        var issued = post.issued
        let afterID =
            (issued.firstIndex(of: UInt8(ascii: "{")) ?? 0) + 1 + Array("\"id\":\"\(post.reference)\",".utf8).count
        issued.insert(contentsOf: attachments.member, at: afterID)
        do throws(BulletinRejection) {
            _ = try catalog.validate(issued, stage: .issued)
        } catch {
            return .failure(
                PostRefusal("the bulletin with its attachments is not valid", failures: error.lines(in: .en)))
        }
        var stored = post.stored
        stored.body = issued
        return .success(
            PreparedPost(
                bulletinID: post.bulletinID, reference: post.reference, issued: issued, metadata: post.metadata,
                stored: stored,
                recipients: post.recipients, attachments: attachments))
    }

    /// Seals and stores prepared posts in one transaction, then answers and publishes them.
    /// Envelopes are sealed under ``sealingKeys``' current ephemeral key (docs/PROTOCOL.md §7.6:
    /// the body key still differs per recipient, the nonce per envelope).
    private func commitPosts(_ posts: [(routingID: [UInt8], post: PreparedPost)]) {
        guard !posts.isEmpty else { return }
        let sealed: [[OutgoingEnvelope]]
        do {
            sealed = try store.recordPosts(
                posts.map {
                    Store.BulletinStore.Post(
                        bulletin: $0.post.stored, recipients: $0.post.recipients,
                        attachments: $0.post.attachments.posted)
                }
            ) {
                index, recipient, last in
                let post = posts[index].post
                guard let card = roster.member(recipient)?.card else {
                    throw ContentMismatch(field: "recipient", header: recipient.description, body: "not in roster")
                }
                let envelope = try Envelope.seal(
                    post.issued, metadata: post.metadata, from: identity,
                    to: EnvelopeRecipient(card: card, position: last),
                    bodyKey: sealingKeys.nextBodyKey(for: card.encryptionKey, recipient: recipient),
                    limits: opener.limits)
                return OutgoingEnvelope(
                    recipient: recipient, sequence: envelope.header.sequence, bulletin: post.stored.reference,
                    hash: envelope.hash, bytes: envelope.bytes, createdAt: post.stored.createdAt)
            }
        } catch {
            logger.error("post failed; nothing was stored", metadata: ["error": "\(error)", "posts": "\(posts.count)"])
            for (routingID, _) in posts { reply(to: routingID, .failure("the bulletin could not be stored: \(error)")) }
            return
        }
        searchIndexer?.wake()
        for ((routingID, post), envelopes) in zip(posts, sealed) {
            for envelope in envelopes { outgoingPositions[envelope.recipient] = envelope.position }
            logger.info(
                "bulletin posted",
                metadata: [
                    "id": "\(post.reference)", "type": "\(post.stored.incidentType)", "tlp": "\(post.stored.tlp.label)",
                    "recipients": "\(post.recipients.map(\.description).joined(separator: ","))",
                ])
            audit(
                .bulletinPosted(
                    bulletin: post.bulletinID, incidentType: post.stored.incidentType, tlp: post.metadata.tlp,
                    recipients: Set(post.recipients)))
            for envelope in envelopes {
                audit(
                    .envelopeSent(
                        link: Link(origin: identity.state, recipient: envelope.recipient), sequence: envelope.sequence,
                        hash: envelope.hash, bulletin: post.bulletinID))
            }
            for (attachment, removed) in zip(post.attachments.posted, post.attachments.removed) {
                logger.info(
                    "attachment stored",
                    metadata: [
                        "id": "\(post.reference)", "number": "\(attachment.record.number)",
                        "type": "\(attachment.record.mediaType)",
                        "bytes": "\(attachment.record.size)",
                        "metadataRemoved": "\(removed.map(\.rawValue).joined(separator: ","))",
                    ])
                metrics.count("bordernet_attachments_posted_total", [("type", attachment.record.mediaType)])
                if let digest = try? AttachmentDigest(bytes: attachment.record.sha256) {
                    audit(
                        .attachmentStored(
                            bulletin: post.bulletinID, number: UInt16(clamping: attachment.record.number),
                            digest: digest,
                            size: attachment.record.size))
                }
            }
            metrics.count("bordernet_bulletins_posted_total", [("type", post.stored.incidentType)])
            for envelope in envelopes {
                metrics.count("bordernet_envelopes_sealed_total", [("recipient", envelope.recipient.description)])
            }
            reply(
                to: routingID,
                ControlResponse(
                    ok: true,
                    posted: PostedBulletin(
                        id: post.reference,
                        envelopes: envelopes.map {
                            PostedEnvelope(recipient: $0.recipient.description, sequence: $0.sequence)
                        })))
            publish(envelopes)
        }
    }

    /// The draft with `"id": reference` as its first member. The draft was validated as an
    /// object without an id, so inserting after its opening brace keeps it valid JSON and leaves
    /// the officer's text byte for byte as written.
    static func insertingID(_ reference: String, into draft: [UInt8]) -> [UInt8]? {
        guard let brace = draft.firstIndex(of: UInt8(ascii: "{")) else { return nil }
        let member = Array("\"id\":\"\(reference)\",".utf8)
        return Array(draft[...brace]) + member + Array(draft[(brace + 1)...])
    }

    /// Envelope rejections (stored, since the store was made) and transport refusals (since the
    /// node started), per peer and reason, added together for `status`.
    static func merging(_ stored: [String: [String: Int]], _ transport: [String: [String: Int]]) -> [String: [String:
        Int]]
    {
        var result = stored
        for (peer, reasons) in transport {
            for (reason, count) in reasons { result[peer, default: [:]][reason, default: 0] &+= count }
        }
        return result
    }

    private func status() -> ControlResponse {
        do {
            let now = Timestamp.now
            var outgoing: [OutgoingLinkStatus] = []
            for recipient in roster.recipients(of: identity.state) {
                let acked = acknowledged[recipient] ?? 0
                let oldest = try store.firstOutgoing(to: recipient, after: acked).map { envelope in
                    let age =
                        envelope.createdAt < now
                        ? now.millisecondsSinceEpoch - envelope.createdAt.millisecondsSinceEpoch : 0
                    return UnacknowledgedEnvelope(
                        sequence: envelope.sequence, bulletinID: envelope.bulletin.description,
                        ageSeconds: Int64(clamping: age / 1_000))
                }
                var link = OutgoingLinkStatus(
                    recipient: recipient.description, sent: outgoingPositions[recipient]?.sequence ?? 0,
                    acknowledged: acked,
                    oldestUnacknowledged: oldest, subscribed: (subscriptions[recipient] ?? 0) > 0)
                let pending = try store.attachmentsWithoutReceipt(to: recipient)
                link.attachmentsInTransfer = pending > 0 ? pending : nil
                outgoing.append(link)
            }
            let incoming = try inbound.values.sorted { $0.origin < $1.origin }.map { link in
                var status = IncomingLinkStatus(
                    origin: link.origin.description, received: link.position.sequence, announced: link.announced,
                    lastContactAt: link.lastContact.map { Int64($0.millisecondsSinceEpoch) },
                    replaying: link.replayRequestedAt != nil,
                    acceptedLive: link.acceptedLive, acceptedByReplay: link.acceptedByReplay)
                let pulling = try store.attachmentsInTransferCount(from: link.origin)
                status.attachmentsInTransfer = pulling > 0 ? pulling : nil
                return status
            }
            return ControlResponse(
                ok: true,
                status: NodeStatus(
                    state: identity.state.description, nodeName: identity.card.nodeName, rosterVersion: roster.version,
                    rosterExpiresAt: Int64(roster.expiresAt.millisecondsSinceEpoch),
                    startedAt: Int64(startedAt.millisecondsSinceEpoch), outgoing: outgoing, incoming: incoming,
                    rejections: Self.merging(try store.rejectionCounts(), refusals.totalsByPeer),
                    storeBytes: store.sizeInBytes()))
        } catch {
            return .failure("cannot read the status: \(error)")
        }
    }

    private func history(_ query: HistoryQuery) -> ControlResponse {
        let origin: StateCode?
        do {
            origin = try query.origin.map { (text: String) throws(FormatError) in try StateCode(text) }
        } catch {
            return .failure("'\(query.origin ?? "")' is not a state code (two capital letters)")
        }
        do {
            let bulletins = try store.bulletins(
                matching: BulletinStore.BulletinQuery(
                    receivedOnly: !query.includeOwn, incidentType: query.incidentType, origin: origin,
                    storedSince: query.since.map { Timestamp(millisecondsSinceEpoch: UInt64(clamping: $0)) },
                    limit: max(1, min(query.limit, 10_000)), flaggedOnly: query.flaggedOnly == true),
                localState: identity.state)
            let flags = try store.flags(of: bulletins.map(\.reference))
            var attachments: [BulletinReference: [FeedAttachment]] = [:]
            for bulletin in bulletins where BulletinAttachmentEntry.mayList(inBody: bulletin.body) {
                let rows = try store.attachments(of: bulletin.reference)
                if !rows.isEmpty { attachments[bulletin.reference] = rows.map(FeedAttachment.init) }
            }
            return ControlResponse(
                ok: true,
                bulletins: bulletins.map {
                    FeedBulletin(
                        id: $0.reference.description, origin: $0.origin.description, incidentType: $0.incidentType,
                        tlp: $0.tlp.label,
                        storedAt: Int64(clamping: $0.storedAt.millisecondsSinceEpoch),
                        body: String(decoding: $0.body, as: UTF8.self),
                        flag: flags[$0.reference].map { [incidentType = $0.incidentType] in
                            FlagNotice($0, origin: $0.bulletin.origin, incidentType: incidentType)
                        }, attachments: attachments[$0.reference])
                })
        } catch {
            return .failure("cannot read the history: \(error)")
        }
    }
}
