import BulletinSchema
import Exchange
import Foundation
import Logging
import Store
import ZeroMQ

extension NodeEngine {
    /// Local commands from the CLI (or the console later), one JSON request per message.
    func handleControlRequests() {
        for message in drain(control) {
            guard message.frames.count == 2 else { continue }
            let response: ControlResponse
            do {
                let request = try JSONDecoder().decode(ControlRequest.self, from: Data(message.frames[1]))
                response = answer(request)
            } catch {
                response = .failure("malformed control request: \(error)")
            }
            do {
                let encoded = try JSONEncoder().encode(response)
                _ = try control.send([message.frames[0], Array(encoded)], dontWait: true)
            } catch {
                logger.error("cannot answer a control request", metadata: ["error": "\(error)"])
            }
        }
    }

    private func answer(_ request: ControlRequest) -> ControlResponse {
        switch request.command {
        case .ping: ControlResponse(ok: true)
        case .post: post(request)
        case .status: status()
        case .history: history(request.query ?? HistoryQuery())
        case .metrics: ControlResponse(ok: true, metrics: metrics.text)
        }
    }

    /// Validates a draft, gives it an id, seals one envelope per recipient, stores all of it in
    /// one durable transaction, and only then publishes and answers.
    private func post(_ request: ControlRequest) -> ControlResponse {
        guard let text = request.bulletin else { return .failure("post needs a bulletin") }
        let draft = Array(text.utf8)
        let validated: ValidatedBulletin
        do {
            validated = try catalog.validate(draft, stage: .draft)
        } catch {
            return .failure("the bulletin is not valid", failures: error.lines(in: .en))
        }
        let linked = roster.recipients(of: identity.state)
        var recipients: [StateCode] = []
        for name in request.recipients ?? [] {
            guard let state = try? StateCode(name) else { return .failure("'\(name)' is not a state code (two capital letters)") }
            guard linked.contains(state) else {
                return .failure(
                    "the roster (version \(roster.version)) has no link from \(identity.state) to \(state); linked: \(linked.map(\.description).joined(separator: ", "))")
            }
            if !recipients.contains(state) { recipients.append(state) }
        }
        if recipients.isEmpty { recipients = linked }
        guard !recipients.isEmpty else {
            return .failure("the roster (version \(roster.version)) links \(identity.state) to no state: nobody to send to")
        }

        let now = Timestamp.now
        let bulletinID = BulletinID.generate(at: now)
        let reference = bulletinID.reference(origin: identity.state)
        guard let issued = Self.insertingID(reference, into: draft) else {
            return .failure("the bulletin must be a JSON object")
        }
        let tlp: TLP
        do {
            _ = try catalog.validate(issued, stage: .issued)
            tlp = try TLP(label: validated.tlp)
        } catch {
            return .failure("the bulletin could not be issued: \(error)")
        }
        let metadata = BulletinMetadata(
            bulletinID: bulletinID, createdAt: now, tlp: tlp,
            schemaVersion: BodySchemaVersion(
                major: UInt8(clamping: validated.schemaVersion.major), minor: UInt8(clamping: validated.schemaVersion.minor)))
        let stored = StoredBulletin(
            id: reference, origin: identity.state.description, incidentType: validated.incidentType,
            tlp: validated.tlp, createdAt: Int64(now.millisecondsSinceEpoch), storedAt: Int64(now.millisecondsSinceEpoch), body: issued)
        let envelopes: [OutgoingEnvelope]
        do {
            envelopes = try store.recordPost(stored, recipients: recipients.map(\.description)) { recipient, last in
                let state = try StateCode(recipient)
                guard let card = roster.member(state)?.card else { throw ContentMismatch(field: "recipient", header: recipient, body: "not in roster") }
                let position = try last.map { ChainPosition(sequence: $0.sequence, hash: try EnvelopeHash(bytes: $0.hash)) } ?? .start
                let envelope = try Envelope.seal(
                    issued, metadata: metadata, from: identity, to: EnvelopeRecipient(card: card, position: position),
                    limits: opener.limits)
                return OutgoingEnvelope(
                    recipient: recipient, sequence: envelope.header.sequence, bulletinID: reference,
                    hash: envelope.hash.bytes, bytes: envelope.bytes, createdAt: Int64(now.millisecondsSinceEpoch))
            }
        } catch {
            logger.error("post failed; nothing was stored", metadata: ["error": "\(error)"])
            return .failure("the bulletin could not be stored: \(error)")
        }
        for envelope in envelopes {
            if let state = try? StateCode(envelope.recipient), let hash = try? EnvelopeHash(bytes: envelope.hash) {
                outgoingPositions[state] = ChainPosition(sequence: envelope.sequence, hash: hash)
            }
        }
        logger.info(
            "bulletin posted",
            metadata: [
                "id": "\(reference)", "type": "\(validated.incidentType)", "tlp": "\(validated.tlp)",
                "recipients": "\(recipients.map(\.description).joined(separator: ","))",
            ])
        metrics.count("bordernet_bulletins_posted_total", [("type", validated.incidentType)])
        for envelope in envelopes { metrics.count("bordernet_envelopes_sealed_total", [("recipient", envelope.recipient)]) }
        publish(envelopes)
        return ControlResponse(
            ok: true,
            posted: PostedBulletin(
                id: reference,
                envelopes: envelopes.map { PostedEnvelope(recipient: $0.recipient, sequence: $0.sequence) }))
    }

    /// The draft with `"id": reference` as its first member. The draft was validated as an
    /// object without an id, so inserting after its opening brace keeps it valid JSON and leaves
    /// the officer's text byte for byte as written.
    static func insertingID(_ reference: String, into draft: [UInt8]) -> [UInt8]? {
        guard let brace = draft.firstIndex(of: UInt8(ascii: "{")) else { return nil }
        let member = Array("\"id\":\"\(reference)\",".utf8)
        return Array(draft[...brace]) + member + Array(draft[(brace + 1)...])
    }

    private func status() -> ControlResponse {
        do {
            let now = Timestamp.now
            var outgoing: [OutgoingLinkStatus] = []
            for recipient in roster.recipients(of: identity.state) {
                let acked = acknowledged[recipient] ?? 0
                let oldest = try store.firstOutgoing(to: recipient.description, after: acked).map {
                    UnacknowledgedEnvelope(
                        sequence: $0.sequence, bulletinID: $0.bulletinID,
                        ageSeconds: max(0, (Int64(now.millisecondsSinceEpoch) - $0.createdAt) / 1_000))
                }
                outgoing.append(
                    OutgoingLinkStatus(
                        recipient: recipient.description, sent: outgoingPositions[recipient]?.sequence ?? 0, acknowledged: acked,
                        oldestUnacknowledged: oldest, subscribed: (subscriptions[recipient] ?? 0) > 0))
            }
            let incoming = inbound.values.sorted { $0.origin < $1.origin }.map { link in
                IncomingLinkStatus(
                    origin: link.origin.description, received: link.position.sequence, announced: link.announced,
                    lastContactAt: link.lastContact.map { Int64($0.millisecondsSinceEpoch) }, replaying: link.replayRequestedAt != nil,
                    acceptedLive: link.acceptedLive, acceptedByReplay: link.acceptedByReplay)
            }
            return ControlResponse(
                ok: true,
                status: NodeStatus(
                    state: identity.state.description, nodeName: identity.card.nodeName, rosterVersion: roster.version,
                    rosterExpiresAt: Int64(roster.expiresAt.millisecondsSinceEpoch),
                    startedAt: Int64(startedAt.millisecondsSinceEpoch), outgoing: outgoing, incoming: incoming,
                    rejections: try store.rejectionCounts(), storeBytes: store.sizeInBytes()))
        } catch {
            return .failure("cannot read the status: \(error)")
        }
    }

    private func history(_ query: HistoryQuery) -> ControlResponse {
        do {
            let bulletins = try store.bulletins(
                matching: BulletinStore.BulletinQuery(
                    receivedOnly: !query.includeOwn, incidentType: query.incidentType, origin: query.origin,
                    storedSince: query.since, limit: max(1, min(query.limit, 10_000))),
                localState: identity.state.description)
            return ControlResponse(
                ok: true,
                bulletins: bulletins.map {
                    FeedBulletin(
                        id: $0.id, origin: $0.origin, incidentType: $0.incidentType, tlp: $0.tlp, storedAt: $0.storedAt,
                        body: String(decoding: $0.body, as: UTF8.self))
                })
        } catch {
            return .failure("cannot read the history: \(error)")
        }
    }
}
