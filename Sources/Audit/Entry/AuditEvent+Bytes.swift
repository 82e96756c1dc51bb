import Exchange

/// The canonical binary form of events (docs/AUDIT.md §3): the kind code, then the kind's fields.
extension AuditEvent {
    /// Writes the kind byte and the fields.
    func write(to writer: inout ByteWriter) {
        writer.write(kind.rawValue)
        switch self {
        case .nodeStarted(let version):
            writer.write(string: version)
        case .nodeStopped:
            break
        case .rosterInstalled(let version), .keysRotated(let version):
            writer.write(version)
        case .bulletinPosted(let bulletin, let incidentType, let tlp, let recipients):
            writer.write(raw: bulletin.bytes)
            writer.write(string: incidentType)
            writer.write(tlp.rawValue)
            writer.write(count: recipients.count)
            for state in recipients.sorted() { writer.write(state: state) }
        case .envelopeSent(let link, let sequence, let hash, let bulletin):
            writer.write(link: link)
            writer.write(sequence)
            writer.write(raw: hash.bytes)
            writer.write(raw: bulletin.bytes)
        case .envelopeReceived(let link, let sequence, let hash, let status),
            .receiptSent(let link, let sequence, let hash, let status),
            .receiptReceived(let link, let sequence, let hash, let status):
            writer.write(link: link)
            writer.write(sequence)
            writer.write(raw: hash.bytes)
            writer.write(status: status)
        case .envelopeUnreadable(let peer, let byteCount, let hash, let reason):
            writer.write(state: peer)
            writer.write(byteCount)
            writer.write(raw: hash.bytes)
            writer.write(reason.rawValue)
        case .replayRequested(let link, let sequences), .replayServed(let link, let sequences):
            writer.write(link: link)
            writer.write(sequences.lowerBound)
            writer.write(sequences.upperBound)
        case .messagesRefused(let peer, let reason, let count):
            writer.write(state: peer)
            writer.write(reason.rawValue)
            writer.write(count)
        case .connectionsRefused(let count), .consoleAccessDropped(let count):
            writer.write(count)
        case .consoleAccess(let access):
            access.write(to: &writer)
        case .agencyAccess(let access):
            access.write(to: &writer)
        case .watchListChanged(let change):
            change.write(to: &writer)
        case .alertRaised(let entry, let bulletin):
            writer.write(entry)
            writer.write(state: bulletin.origin)
            writer.write(raw: bulletin.id.bytes)
        case .attachmentStored(let bulletin, let number, let digest, let size):
            writer.write(raw: bulletin.bytes)
            writer.write(number)
            writer.write(raw: digest.bytes)
            writer.write(size)
        case .attachmentReceived(let link, let bulletin, let number, let digest, let size, let held):
            writer.write(link: link)
            writer.write(raw: bulletin.bytes)
            writer.write(number)
            writer.write(raw: digest.bytes)
            writer.write(size)
            writer.write(UInt8(held ? 1 : 0))
        case .attachmentAcknowledged(let link, let bulletin, let number, let digest, let held):
            writer.write(link: link)
            writer.write(raw: bulletin.bytes)
            writer.write(number)
            writer.write(raw: digest.bytes)
            writer.write(UInt8(held ? 1 : 0))
        case .bulletinsFlagged(let origin, let since, let count, let rosterVersion):
            writer.write(state: origin)
            writer.write(since.millisecondsSinceEpoch)
            writer.write(count)
            writer.write(rosterVersion)
        case .rosterRefused(let source, let version, let reason):
            if let source {
                writer.write(UInt8(1))
                writer.write(state: source)
            } else {
                writer.write(UInt8(0))
            }
            writer.write(version)
            writer.write(reason.rawValue)
        }
    }

    /// Reads the kind byte and the fields, refusing an unknown kind, a field out of range (a
    /// presence byte other than 0 or 1, an unknown code) and a non-canonical recipient list (not
    /// strictly ascending).
    init(reading reader: inout ByteReader) throws(FormatError) {
        let code = try reader.readUInt8(field: "event kind")
        guard let kind = Kind(rawValue: code) else {
            throw FormatError.invalidField(field: "event kind", reason: "code \(code) is not a known kind of event")
        }
        switch kind {
        case .nodeStarted:
            self = .nodeStarted(softwareVersion: try reader.readString(field: "software version"))
        case .nodeStopped:
            self = .nodeStopped
        case .rosterInstalled:
            self = .rosterInstalled(version: try reader.readUInt64(field: "roster version"))
        case .keysRotated:
            self = .keysRotated(rosterVersion: try reader.readUInt64(field: "roster version"))
        case .bulletinPosted:
            let bulletin = try reader.readBulletinID(field: "bulletin id")
            let incidentType = try reader.readString(field: "incident type")
            let tlp = try reader.readTLP(field: "TLP")
            let count = try reader.readUInt16(field: "recipient count")
            var recipients: [StateCode] = []
            for _ in 0..<count {
                let state = try reader.readState(field: "recipient")
                if let last = recipients.last, !(last < state) {
                    throw FormatError.invalidField(field: "recipients", reason: "not in strictly ascending order (\(last), \(state))")
                }
                recipients.append(state)
            }
            self = .bulletinPosted(bulletin: bulletin, incidentType: incidentType, tlp: tlp, recipients: Set(recipients))
        case .envelopeSent:
            let link = try reader.readLink(field: "link")
            let sequence = try reader.readUInt64(field: "link sequence")
            let hash = try reader.readEnvelopeHash(field: "envelope hash")
            let bulletin = try reader.readBulletinID(field: "bulletin id")
            self = .envelopeSent(link: link, sequence: sequence, hash: hash, bulletin: bulletin)
        case .envelopeReceived, .receiptSent, .receiptReceived:
            let link = try reader.readLink(field: "link")
            let sequence = try reader.readUInt64(field: "link sequence")
            let hash = try reader.readEnvelopeHash(field: "envelope hash")
            let status = try reader.readStatus(field: "outcome")
            switch kind {
            case .envelopeReceived: self = .envelopeReceived(link: link, sequence: sequence, hash: hash, status: status)
            case .receiptSent: self = .receiptSent(link: link, sequence: sequence, hash: hash, status: status)
            default: self = .receiptReceived(link: link, sequence: sequence, hash: hash, status: status)
            }
        case .envelopeUnreadable:
            let peer = try reader.readState(field: "peer")
            let byteCount = try reader.readUInt64(field: "byte count")
            let hash = try reader.readEnvelopeHash(field: "bytes hash")
            let code = try reader.readUInt16(field: "rejection reason")
            guard let reason = RejectionReason(rawValue: code) else {
                throw FormatError.invalidField(field: "rejection reason", reason: "0 is not a rejection code")
            }
            self = .envelopeUnreadable(peer: peer, byteCount: byteCount, hash: hash, reason: reason)
        case .replayRequested, .replayServed:
            let link = try reader.readLink(field: "link")
            let first = try reader.readUInt64(field: "first sequence")
            let last = try reader.readUInt64(field: "last sequence")
            guard first <= last else {
                throw FormatError.invalidField(field: "replay range", reason: "first \(first) is after last \(last)")
            }
            self = kind == .replayRequested
                ? .replayRequested(link: link, sequences: first...last)
                : .replayServed(link: link, sequences: first...last)
        case .messagesRefused:
            let peer = try reader.readState(field: "peer")
            let code = try reader.readUInt16(field: "refusal reason")
            guard let reason = RejectionReason(rawValue: code) else {
                throw FormatError.invalidField(field: "refusal reason", reason: "0 is not a rejection code")
            }
            self = .messagesRefused(peer: peer, reason: reason, count: try reader.readUInt64(field: "count"))
        case .connectionsRefused:
            self = .connectionsRefused(count: try reader.readUInt64(field: "count"))
        case .consoleAccess:
            self = .consoleAccess(try ConsoleAccess(reading: &reader))
        case .consoleAccessDropped:
            self = .consoleAccessDropped(count: try reader.readUInt64(field: "count"))
        case .agencyAccess:
            self = .agencyAccess(try AgencyAccess(reading: &reader))
        case .watchListChanged:
            self = .watchListChanged(try WatchListChange(reading: &reader))
        case .alertRaised:
            let entry = try reader.readUInt64(field: "watch-list entry")
            let origin = try reader.readState(field: "bulletin origin")
            self = .alertRaised(entry: entry, bulletin: BulletinReference(origin: origin, id: try reader.readBulletinID(field: "bulletin id")))
        case .attachmentStored:
            self = .attachmentStored(
                bulletin: try reader.readBulletinID(field: "bulletin id"), number: try reader.readUInt16(field: "attachment number"),
                digest: try reader.readAttachmentDigest(), size: try reader.readUInt64(field: "attachment size"))
        case .attachmentReceived:
            self = .attachmentReceived(
                link: try reader.readLink(field: "link"), bulletin: try reader.readBulletinID(field: "bulletin id"),
                number: try reader.readUInt16(field: "attachment number"), digest: try reader.readAttachmentDigest(),
                size: try reader.readUInt64(field: "attachment size"), held: try reader.readHeld())
        case .attachmentAcknowledged:
            self = .attachmentAcknowledged(
                link: try reader.readLink(field: "link"), bulletin: try reader.readBulletinID(field: "bulletin id"),
                number: try reader.readUInt16(field: "attachment number"), digest: try reader.readAttachmentDigest(),
                held: try reader.readHeld())
        case .bulletinsFlagged:
            self = .bulletinsFlagged(
                origin: try reader.readState(field: "origin"), since: try reader.readTimestamp(field: "since"),
                count: try reader.readUInt64(field: "count"), rosterVersion: try reader.readUInt64(field: "roster version"))
        case .rosterRefused:
            let source: StateCode?
            switch try reader.readUInt8(field: "roster source presence") {
            case 0: source = nil
            case 1: source = try reader.readState(field: "roster source")
            case let other:
                throw FormatError.invalidField(field: "roster source presence", reason: "\(other) is neither 0 (the node's operator) nor 1")
            }
            let version = try reader.readUInt64(field: "roster version")
            let code = try reader.readUInt8(field: "roster refusal reason")
            guard let reason = RosterRefusal(rawValue: code) else {
                throw FormatError.invalidField(field: "roster refusal reason", reason: "code \(code) is not a known reason")
            }
            self = .rosterRefused(source: source, version: version, reason: reason)
        }
        try validate()
    }
}

extension ByteReader {
    /// An attachment's SHA-256 (32 bytes).
    mutating func readAttachmentDigest() throws(FormatError) -> AttachmentDigest {
        try AttachmentDigest(bytes: try readArray(count: AttachmentDigest.byteCount, field: "attachment digest"))
    }

    /// 1 (held) or 0 (refused); anything else is refused.
    mutating func readHeld() throws(FormatError) -> Bool {
        switch try readUInt8(field: "attachment held") {
        case 0: return false
        case 1: return true
        case let other: throw FormatError.invalidField(field: "attachment held", reason: "\(other) is neither 1 (held) nor 0 (refused)")
        }
    }
}
