import Exchange

/// The JSON form of events, for reports and tools (docs/AUDIT.md §4): an object with `kind` and
/// the kind's fields. Decoding applies the same checks as the binary form.
extension AuditEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, softwareVersion, version, bulletin, incidentType, tlp, recipients, link, sequence, hash
        case status, reason, peer, byteCount, first, last, count
        case account, role, action, outcome, reference, agency, bulletins, owner, change, entry, source, origin, since
        case number, size, held
    }

    /// Decodes `{"kind": "envelopeSent", …}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .kind)
        guard let kind = Kind(name: name) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown event kind “\(name)”")
        }
        func status() throws -> ReceiptStatus {
            let text = try container.decode(String.self, forKey: .status)
            switch text {
            case "accepted":
                guard !container.contains(.reason) else {
                    throw DecodingError.dataCorruptedError(forKey: .reason, in: container, debugDescription: "an accepted envelope has no reason")
                }
                return .accepted
            case "rejected":
                return .rejected(try container.decode(RejectionReason.self, forKey: .reason))
            default:
                throw DecodingError.dataCorruptedError(forKey: .status, in: container, debugDescription: "status is accepted or rejected")
            }
        }
        switch kind {
        case .nodeStarted:
            self = .nodeStarted(softwareVersion: try container.decode(String.self, forKey: .softwareVersion))
        case .nodeStopped:
            self = .nodeStopped
        case .rosterInstalled:
            self = .rosterInstalled(version: try container.decode(UInt64.self, forKey: .version))
        case .keysRotated:
            self = .keysRotated(rosterVersion: try container.decode(UInt64.self, forKey: .version))
        case .bulletinPosted:
            let recipients = try container.decode([StateCode].self, forKey: .recipients)
            guard Set(recipients).count == recipients.count else {
                throw DecodingError.dataCorruptedError(forKey: .recipients, in: container, debugDescription: "a recipient is listed twice")
            }
            self = .bulletinPosted(
                bulletin: try container.decode(BulletinID.self, forKey: .bulletin),
                incidentType: try container.decode(String.self, forKey: .incidentType),
                tlp: try container.decode(TLP.self, forKey: .tlp), recipients: Set(recipients))
        case .envelopeSent:
            self = .envelopeSent(
                link: try container.decode(Link.self, forKey: .link),
                sequence: try container.decode(UInt64.self, forKey: .sequence),
                hash: try container.decode(EnvelopeHash.self, forKey: .hash),
                bulletin: try container.decode(BulletinID.self, forKey: .bulletin))
        case .envelopeReceived, .receiptSent, .receiptReceived:
            let link = try container.decode(Link.self, forKey: .link)
            let sequence = try container.decode(UInt64.self, forKey: .sequence)
            let hash = try container.decode(EnvelopeHash.self, forKey: .hash)
            let outcome = try status()
            switch kind {
            case .envelopeReceived: self = .envelopeReceived(link: link, sequence: sequence, hash: hash, status: outcome)
            case .receiptSent: self = .receiptSent(link: link, sequence: sequence, hash: hash, status: outcome)
            default: self = .receiptReceived(link: link, sequence: sequence, hash: hash, status: outcome)
            }
        case .envelopeUnreadable:
            self = .envelopeUnreadable(
                peer: try container.decode(StateCode.self, forKey: .peer),
                byteCount: try container.decode(UInt64.self, forKey: .byteCount),
                hash: try container.decode(EnvelopeHash.self, forKey: .hash),
                reason: try container.decode(RejectionReason.self, forKey: .reason))
        case .replayRequested, .replayServed:
            let link = try container.decode(Link.self, forKey: .link)
            let first = try container.decode(UInt64.self, forKey: .first)
            let last = try container.decode(UInt64.self, forKey: .last)
            guard first <= last else {
                throw DecodingError.dataCorruptedError(forKey: .last, in: container, debugDescription: "last is before first")
            }
            self = kind == .replayRequested
                ? .replayRequested(link: link, sequences: first...last)
                : .replayServed(link: link, sequences: first...last)
        case .messagesRefused:
            self = .messagesRefused(
                peer: try container.decode(StateCode.self, forKey: .peer),
                reason: try container.decode(RejectionReason.self, forKey: .reason),
                count: try container.decode(UInt64.self, forKey: .count))
        case .connectionsRefused:
            self = .connectionsRefused(count: try container.decode(UInt64.self, forKey: .count))
        case .consoleAccess:
            func named<T>(_ key: CodingKeys, _ make: (String) -> T?) throws -> T {
                let name = try container.decode(String.self, forKey: key)
                guard let value = make(name) else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "unknown \(key.stringValue) “\(name)”")
                }
                return value
            }
            var reference: BulletinReference?
            if let text = try container.decodeIfPresent(String.self, forKey: .reference) {
                do {
                    reference = try BulletinReference(text)
                } catch {
                    throw DecodingError.dataCorruptedError(forKey: .reference, in: container, debugDescription: error.description)
                }
            }
            self = .consoleAccess(
                ConsoleAccess(
                    account: try container.decode(UInt64.self, forKey: .account), role: try named(.role, ConsoleAccess.Role.init(name:)),
                    action: try named(.action, ConsoleAccess.Action.init(name:)), outcome: try named(.outcome, ConsoleAccess.Outcome.init(name:)),
                    bulletin: reference))
        case .consoleAccessDropped:
            self = .consoleAccessDropped(count: try container.decode(UInt64.self, forKey: .count))
        case .agencyAccess:
            let outcomeName = try container.decode(String.self, forKey: .outcome)
            guard let outcome = AgencyAccess.Outcome(name: outcomeName) else {
                throw DecodingError.dataCorruptedError(forKey: .outcome, in: container, debugDescription: "unknown outcome “\(outcomeName)”")
            }
            let texts = try container.decode([String].self, forKey: .bulletins)
            guard texts.count <= AgencyAccess.maximumBulletins else {
                throw DecodingError.dataCorruptedError(
                    forKey: .bulletins, in: container, debugDescription: "more than \(AgencyAccess.maximumBulletins) bulletins")
            }
            var bulletins: [BulletinReference] = []
            for text in texts {
                do {
                    bulletins.append(try BulletinReference(text))
                } catch {
                    throw DecodingError.dataCorruptedError(forKey: .bulletins, in: container, debugDescription: error.description)
                }
            }
            self = .agencyAccess(
                AgencyAccess(agency: try container.decode(UInt64.self, forKey: .agency), outcome: outcome, bulletins: bulletins))
        case .watchListChanged:
            let ownerName = try container.decode(String.self, forKey: .owner)
            guard let owner = WatchListChange.OwnerKind(name: ownerName) else {
                throw DecodingError.dataCorruptedError(forKey: .owner, in: container, debugDescription: "unknown owner kind “\(ownerName)”")
            }
            let changeName = try container.decode(String.self, forKey: .change)
            guard let change = WatchListChange.Change(name: changeName) else {
                throw DecodingError.dataCorruptedError(forKey: .change, in: container, debugDescription: "unknown change “\(changeName)”")
            }
            self = .watchListChanged(WatchListChange(owner: owner, change: change, entry: try container.decode(UInt64.self, forKey: .entry)))
        case .alertRaised:
            let text = try container.decode(String.self, forKey: .reference)
            let reference: BulletinReference
            do {
                reference = try BulletinReference(text)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .reference, in: container, debugDescription: error.description)
            }
            self = .alertRaised(entry: try container.decode(UInt64.self, forKey: .entry), bulletin: reference)
        case .attachmentStored:
            self = .attachmentStored(
                bulletin: try container.decode(BulletinID.self, forKey: .bulletin), number: try container.decode(UInt16.self, forKey: .number),
                digest: try container.decode(AttachmentDigest.self, forKey: .hash), size: try container.decode(UInt64.self, forKey: .size))
        case .attachmentReceived:
            self = .attachmentReceived(
                link: try container.decode(Link.self, forKey: .link), bulletin: try container.decode(BulletinID.self, forKey: .bulletin),
                number: try container.decode(UInt16.self, forKey: .number), digest: try container.decode(AttachmentDigest.self, forKey: .hash),
                size: try container.decode(UInt64.self, forKey: .size), held: try container.decode(Bool.self, forKey: .held))
        case .attachmentAcknowledged:
            self = .attachmentAcknowledged(
                link: try container.decode(Link.self, forKey: .link), bulletin: try container.decode(BulletinID.self, forKey: .bulletin),
                number: try container.decode(UInt16.self, forKey: .number), digest: try container.decode(AttachmentDigest.self, forKey: .hash),
                held: try container.decode(Bool.self, forKey: .held))
        case .bulletinsFlagged:
            self = .bulletinsFlagged(
                origin: try container.decode(StateCode.self, forKey: .origin),
                since: Timestamp(millisecondsSinceEpoch: try container.decode(UInt64.self, forKey: .since)),
                count: try container.decode(UInt64.self, forKey: .count), rosterVersion: try container.decode(UInt64.self, forKey: .version))
        case .rosterRefused:
            let reasonName = try container.decode(String.self, forKey: .reason)
            guard let reason = RosterRefusal(name: reasonName) else {
                throw DecodingError.dataCorruptedError(forKey: .reason, in: container, debugDescription: "unknown roster refusal reason “\(reasonName)”")
            }
            self = .rosterRefused(
                source: try container.decodeIfPresent(StateCode.self, forKey: .source),
                version: try container.decode(UInt64.self, forKey: .version), reason: reason)
        }
        do {
            try validate()
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: error.description)
        }
    }

    /// Encodes `{"kind": "envelopeSent", …}`; recipients are written in ascending order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.description, forKey: .kind)
        func encode(status: ReceiptStatus) throws {
            switch status {
            case .accepted:
                try container.encode("accepted", forKey: .status)
            case .rejected(let reason):
                try container.encode("rejected", forKey: .status)
                try container.encode(reason, forKey: .reason)
            }
        }
        switch self {
        case .nodeStarted(let version):
            try container.encode(version, forKey: .softwareVersion)
        case .nodeStopped:
            break
        case .rosterInstalled(let version), .keysRotated(let version):
            try container.encode(version, forKey: .version)
        case .bulletinPosted(let bulletin, let incidentType, let tlp, let recipients):
            try container.encode(bulletin, forKey: .bulletin)
            try container.encode(incidentType, forKey: .incidentType)
            try container.encode(tlp, forKey: .tlp)
            try container.encode(recipients.sorted(), forKey: .recipients)
        case .envelopeSent(let link, let sequence, let hash, let bulletin):
            try container.encode(link, forKey: .link)
            try container.encode(sequence, forKey: .sequence)
            try container.encode(hash, forKey: .hash)
            try container.encode(bulletin, forKey: .bulletin)
        case .envelopeReceived(let link, let sequence, let hash, let outcome),
            .receiptSent(let link, let sequence, let hash, let outcome),
            .receiptReceived(let link, let sequence, let hash, let outcome):
            try container.encode(link, forKey: .link)
            try container.encode(sequence, forKey: .sequence)
            try container.encode(hash, forKey: .hash)
            try encode(status: outcome)
        case .envelopeUnreadable(let peer, let byteCount, let hash, let reason):
            try container.encode(peer, forKey: .peer)
            try container.encode(byteCount, forKey: .byteCount)
            try container.encode(hash, forKey: .hash)
            try container.encode(reason, forKey: .reason)
        case .replayRequested(let link, let sequences), .replayServed(let link, let sequences):
            try container.encode(link, forKey: .link)
            try container.encode(sequences.lowerBound, forKey: .first)
            try container.encode(sequences.upperBound, forKey: .last)
        case .messagesRefused(let peer, let reason, let count):
            try container.encode(peer, forKey: .peer)
            try container.encode(reason, forKey: .reason)
            try container.encode(count, forKey: .count)
        case .connectionsRefused(let count), .consoleAccessDropped(let count):
            try container.encode(count, forKey: .count)
        case .consoleAccess(let access):
            try container.encode(access.account, forKey: .account)
            try container.encode(access.role.description, forKey: .role)
            try container.encode(access.action.description, forKey: .action)
            try container.encode(access.outcome.description, forKey: .outcome)
            try container.encodeIfPresent(access.bulletin?.description, forKey: .reference)
        case .agencyAccess(let access):
            try container.encode(access.agency, forKey: .agency)
            try container.encode(access.outcome.description, forKey: .outcome)
            try container.encode(access.bulletins.map(\.description), forKey: .bulletins)
        case .watchListChanged(let change):
            try container.encode(change.owner.description, forKey: .owner)
            try container.encode(change.change.description, forKey: .change)
            try container.encode(change.entry, forKey: .entry)
        case .alertRaised(let entry, let bulletin):
            try container.encode(entry, forKey: .entry)
            try container.encode(bulletin.description, forKey: .reference)
        case .attachmentStored(let bulletin, let number, let digest, let size):
            try container.encode(bulletin, forKey: .bulletin)
            try container.encode(number, forKey: .number)
            try container.encode(digest, forKey: .hash)
            try container.encode(size, forKey: .size)
        case .attachmentReceived(let link, let bulletin, let number, let digest, let size, let held):
            try container.encode(link, forKey: .link)
            try container.encode(bulletin, forKey: .bulletin)
            try container.encode(number, forKey: .number)
            try container.encode(digest, forKey: .hash)
            try container.encode(size, forKey: .size)
            try container.encode(held, forKey: .held)
        case .attachmentAcknowledged(let link, let bulletin, let number, let digest, let held):
            try container.encode(link, forKey: .link)
            try container.encode(bulletin, forKey: .bulletin)
            try container.encode(number, forKey: .number)
            try container.encode(digest, forKey: .hash)
            try container.encode(held, forKey: .held)
        case .bulletinsFlagged(let origin, let since, let count, let rosterVersion):
            try container.encode(origin, forKey: .origin)
            try container.encode(since.millisecondsSinceEpoch, forKey: .since)
            try container.encode(count, forKey: .count)
            try container.encode(rosterVersion, forKey: .version)
        case .rosterRefused(let source, let version, let reason):
            try container.encodeIfPresent(source, forKey: .source)
            try container.encode(version, forKey: .version)
            try container.encode(reason.description, forKey: .reason)
        }
    }
}
