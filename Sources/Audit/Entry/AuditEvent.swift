import Exchange

/// What happened at a node, as its audit log records it: metadata only — who, what, to whom, when,
/// which hash, accepted or rejected and why. **Never** a bulletin's content and never a key.
///
/// Each case has a stable kind code and a canonical binary encoding (docs/AUDIT.md §3); the JSON
/// form names the kind (`"kind": "envelopeSent"`). Values are checked by ``validate()`` before an
/// entry is made, so every entry that exists encodes to bytes that decode back to it.
public enum AuditEvent: Hashable, Sendable {
    /// The node process started, running BorderNet `softwareVersion` (1–64 printable ASCII bytes).
    case nodeStarted(softwareVersion: String)
    /// The node process stopped cleanly (a crash leaves a `nodeStarted` with no `nodeStopped`).
    case nodeStopped
    /// The node installed the signed roster of this version.
    case rosterInstalled(version: UInt64)
    /// An officer posted a bulletin at this node: its id, incident type (1–64 bytes of `a`–`z`,
    /// `0`–`9`, `-`, `.`), TLP and the states it is addressed to.
    case bulletinPosted(bulletin: BulletinID, incidentType: String, tlp: TLP, recipients: Set<StateCode>)
    /// The node sealed and stored envelope `sequence` of `link` (this node is the origin), carrying
    /// `bulletin`, and published it; `hash` is the SHA-256 of the envelope bytes.
    case envelopeSent(link: Link, sequence: UInt64, hash: EnvelopeHash, bulletin: BulletinID)
    /// The node received envelope `sequence` of `link` (this node is the recipient) and accepted or
    /// rejected it. For a rejection the link and sequence are those the header claims.
    case envelopeReceived(link: Link, sequence: UInt64, hash: EnvelopeHash, status: ReceiptStatus)
    /// The node received bytes from `peer` (the CURVE-authenticated state) that could not be read
    /// as an envelope (rejection codes 1xx): their size, their SHA-256 and why.
    case envelopeUnreadable(peer: StateCode, byteCount: UInt64, hash: EnvelopeHash, reason: RejectionReason)
    /// The node sent a signed receipt for envelope `sequence` of `link` (this node is the recipient).
    case receiptSent(link: Link, sequence: UInt64, hash: EnvelopeHash, status: ReceiptStatus)
    /// The node got a valid receipt for envelope `sequence` of `link` (this node is the origin).
    case receiptReceived(link: Link, sequence: UInt64, hash: EnvelopeHash, status: ReceiptStatus)
    /// The node asked `link`'s origin to replay the envelopes of `sequences` (this node is the recipient).
    case replayRequested(link: Link, sequences: ClosedRange<UInt64>)
    /// The node replayed the envelopes of `sequences` on `link` (this node is the origin).
    case replayServed(link: Link, sequences: ClosedRange<UInt64>)
    /// `peer` (the CURVE-authenticated state) sent `count` transport messages that the node
    /// refused for `reason` since the previous such entry for that peer and reason: heartbeats,
    /// replay requests, receipts and frames that are not envelopes (codes 6xx, and 1xx–3xx for
    /// refused receipts and oversized frames). One entry per interval, so a flood cannot flood the log.
    case messagesRefused(peer: StateCode, reason: RejectionReason, count: UInt64)
    /// `count` connection attempts were refused because the client's CURVE key is not in the
    /// roster, since the previous such entry (one entry per interval).
    case connectionsRefused(count: UInt64)
    /// Someone used the node's web console: signed in (or was refused), signed out, opened a
    /// bulletin (or was refused it). The console reports it over the control socket; the entry
    /// holds the account number, role, action, outcome and bulletin reference, never content.
    case consoleAccess(ConsoleAccess)
    /// `count` console access records were not logged one by one because the console sent more
    /// than the node's rate bound allows, since the previous such entry (one entry per interval).
    case consoleAccessDropped(count: UInt64)
    /// An agency system asked the console's TAXII server for bulletins: which agency credential
    /// (its number, 0 when no valid token), delivered or refused, and the references of the
    /// bulletins delivered (at most 100, one response's page), never content.
    case agencyAccess(AgencyAccess)
    /// A watch-list entry was added or removed on the node's control socket: the kind of owner
    /// and the entry's number, never the value watched, its label or the owner's name.
    case watchListChanged(WatchListChange)
    /// A bulletin matched watch-list entry `entry` and raised an alert: the entry's number and the
    /// bulletin's reference, never what matched.
    case alertRaised(entry: UInt64, bulletin: BulletinReference)
    /// The node refused a signed roster offered to it (docs/AUDIT.md §3.6): who offered it
    /// (`nil`: its own operator, a file), the version it claimed (0 when it could not be read: a
    /// bad signature is refused before the roster is parsed), and why. At most one entry per
    /// source and check interval, so a hostile peer cannot flood the log with it.
    case rosterRefused(source: StateCode?, version: UInt64, reason: RosterRefusal)
    /// The node switched to its next keys (a rotation, `bordernet keys rotate`) because roster
    /// `rosterVersion` holds their card: what it signs from this entry on is signed with them.
    case keysRotated(rosterVersion: UInt64)
    /// Roster `rosterVersion` revoked `origin`'s keys from `since` (the compromise time), and
    /// `count` bulletins this node had accepted from `origin`, created or stored at or after
    /// `since`, were flagged for review (0: none; the review is audited all the same). Once per
    /// revocation; which bulletins, the node's store says (`feed --flagged`), never this log.
    case bulletinsFlagged(origin: StateCode, since: Timestamp, count: UInt64, rosterVersion: UInt64)
    /// A post stored attachment `number` (from 1) of `bulletin` with the bulletin: the file's
    /// SHA-256 and size, never its content, name or key (docs/PROTOCOL.md §17).
    case attachmentStored(bulletin: BulletinID, number: UInt16, digest: AttachmentDigest, size: UInt64)
    /// This node finished pulling attachment `number` of `bulletin` from `link`'s origin: `held`
    /// (every chunk opened, the file's SHA-256 and content checked) or refused.
    case attachmentReceived(link: Link, bulletin: BulletinID, number: UInt16, digest: AttachmentDigest, size: UInt64, held: Bool)
    /// `link`'s recipient signed that it holds (`held`) or refused attachment `number` of `bulletin`
    /// (its attachment receipt, checked by this origin).
    case attachmentAcknowledged(link: Link, bulletin: BulletinID, number: UInt16, digest: AttachmentDigest, held: Bool)

    /// The stable one-byte code of each kind of event (docs/AUDIT.md §3). Codes never change
    /// meaning; new kinds get new codes.
    public enum Kind: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        /// ``AuditEvent/nodeStarted(softwareVersion:)``.
        case nodeStarted = 1
        /// ``AuditEvent/nodeStopped``.
        case nodeStopped = 2
        /// ``AuditEvent/rosterInstalled(version:)``.
        case rosterInstalled = 3
        /// ``AuditEvent/bulletinPosted(bulletin:incidentType:tlp:recipients:)``.
        case bulletinPosted = 10
        /// ``AuditEvent/envelopeSent(link:sequence:hash:bulletin:)``.
        case envelopeSent = 11
        /// ``AuditEvent/envelopeReceived(link:sequence:hash:status:)``.
        case envelopeReceived = 12
        /// ``AuditEvent/envelopeUnreadable(peer:byteCount:hash:reason:)``.
        case envelopeUnreadable = 13
        /// ``AuditEvent/receiptSent(link:sequence:hash:status:)``.
        case receiptSent = 20
        /// ``AuditEvent/receiptReceived(link:sequence:hash:status:)``.
        case receiptReceived = 21
        /// ``AuditEvent/replayRequested(link:sequences:)``.
        case replayRequested = 30
        /// ``AuditEvent/replayServed(link:sequences:)``.
        case replayServed = 31
        /// ``AuditEvent/messagesRefused(peer:reason:count:)``.
        case messagesRefused = 40
        /// ``AuditEvent/connectionsRefused(count:)``.
        case connectionsRefused = 41
        /// ``AuditEvent/consoleAccess(_:)``.
        case consoleAccess = 50
        /// ``AuditEvent/consoleAccessDropped(count:)``.
        case consoleAccessDropped = 51
        /// ``AuditEvent/agencyAccess(_:)``.
        case agencyAccess = 52
        /// ``AuditEvent/watchListChanged(_:)``.
        case watchListChanged = 53
        /// ``AuditEvent/alertRaised(entry:bulletin:)``.
        case alertRaised = 54
        /// ``AuditEvent/rosterRefused(source:version:reason:)``.
        case rosterRefused = 55
        /// ``AuditEvent/keysRotated(rosterVersion:)``.
        case keysRotated = 56
        /// ``AuditEvent/bulletinsFlagged(origin:since:count:rosterVersion:)``.
        case bulletinsFlagged = 57
        /// ``AuditEvent/attachmentStored(bulletin:number:digest:size:)``.
        case attachmentStored = 58
        /// ``AuditEvent/attachmentReceived(link:bulletin:number:digest:size:held:)``.
        case attachmentReceived = 59
        /// ``AuditEvent/attachmentAcknowledged(link:bulletin:number:digest:held:)``.
        case attachmentAcknowledged = 60

        /// The name used in JSON, e.g. `envelopeSent`.
        public var description: String {
            switch self {
            case .nodeStarted: "nodeStarted"
            case .nodeStopped: "nodeStopped"
            case .rosterInstalled: "rosterInstalled"
            case .bulletinPosted: "bulletinPosted"
            case .envelopeSent: "envelopeSent"
            case .envelopeReceived: "envelopeReceived"
            case .envelopeUnreadable: "envelopeUnreadable"
            case .receiptSent: "receiptSent"
            case .receiptReceived: "receiptReceived"
            case .replayRequested: "replayRequested"
            case .replayServed: "replayServed"
            case .messagesRefused: "messagesRefused"
            case .connectionsRefused: "connectionsRefused"
            case .consoleAccess: "consoleAccess"
            case .consoleAccessDropped: "consoleAccessDropped"
            case .agencyAccess: "agencyAccess"
            case .watchListChanged: "watchListChanged"
            case .alertRaised: "alertRaised"
            case .rosterRefused: "rosterRefused"
            case .keysRotated: "keysRotated"
            case .bulletinsFlagged: "bulletinsFlagged"
            case .attachmentStored: "attachmentStored"
            case .attachmentReceived: "attachmentReceived"
            case .attachmentAcknowledged: "attachmentAcknowledged"
            }
        }

        /// The kind named `name` in JSON.
        public init?(name: String) {
            guard let kind = Kind.allCases.first(where: { $0.description == name }) else { return nil }
            self = kind
        }
    }

    /// The kind of this event.
    public var kind: Kind {
        switch self {
        case .nodeStarted: .nodeStarted
        case .nodeStopped: .nodeStopped
        case .rosterInstalled: .rosterInstalled
        case .bulletinPosted: .bulletinPosted
        case .envelopeSent: .envelopeSent
        case .envelopeReceived: .envelopeReceived
        case .envelopeUnreadable: .envelopeUnreadable
        case .receiptSent: .receiptSent
        case .receiptReceived: .receiptReceived
        case .replayRequested: .replayRequested
        case .replayServed: .replayServed
        case .messagesRefused: .messagesRefused
        case .connectionsRefused: .connectionsRefused
        case .consoleAccess: .consoleAccess
        case .consoleAccessDropped: .consoleAccessDropped
        case .agencyAccess: .agencyAccess
        case .watchListChanged: .watchListChanged
        case .alertRaised: .alertRaised
        case .rosterRefused: .rosterRefused
        case .keysRotated: .keysRotated
        case .bulletinsFlagged: .bulletinsFlagged
        case .attachmentStored: .attachmentStored
        case .attachmentReceived: .attachmentReceived
        case .attachmentAcknowledged: .attachmentAcknowledged
        }
    }

    /// The link the event is about, if any (for per-link reconciliation).
    public var link: Link? {
        switch self {
        case .envelopeSent(let link, _, _, _), .envelopeReceived(let link, _, _, _),
            .receiptSent(let link, _, _, _), .receiptReceived(let link, _, _, _),
            .replayRequested(let link, _), .replayServed(let link, _), .attachmentReceived(let link, _, _, _, _, _),
            .attachmentAcknowledged(let link, _, _, _, _):
            link
        case .nodeStarted, .nodeStopped, .rosterInstalled, .bulletinPosted, .envelopeUnreadable, .messagesRefused, .connectionsRefused,
            .consoleAccess, .consoleAccessDropped, .agencyAccess, .watchListChanged, .alertRaised, .rosterRefused,
            .keysRotated, .bulletinsFlagged, .attachmentStored:
            nil
        }
    }

    /// Longest software version and incident type, in bytes.
    public static let maximumTextByteCount = 64

    /// Checks the rules the encoding relies on: texts of 1–64 allowed bytes, link sequences ≥ 1.
    /// ``AuditEntry`` calls it, so an event that breaks them never reaches the log.
    public func validate() throws(FormatError) {
        switch self {
        case .nodeStarted(let version):
            try AuditEvent.checkText(version, field: "software version") { (0x21...0x7E).contains($0) }
        case .bulletinPosted(_, let incidentType, _, let recipients):
            try AuditEvent.checkText(incidentType, field: "incident type") {
                (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x2E
            }
            guard recipients.count <= Int(UInt16.max) else {
                throw FormatError.invalidField(field: "recipients", reason: "more than 65 535 states")
            }
        case .envelopeSent(_, let sequence, _, _), .envelopeReceived(_, let sequence, _, _),
            .receiptSent(_, let sequence, _, _), .receiptReceived(_, let sequence, _, _):
            guard sequence >= 1 else { throw FormatError.invalidField(field: "link sequence", reason: "0 is not a sequence") }
        case .replayRequested(_, let sequences), .replayServed(_, let sequences):
            guard sequences.lowerBound >= 1 else {
                throw FormatError.invalidField(field: "replay range", reason: "sequences start at 1")
            }
        case .messagesRefused(_, _, let count), .connectionsRefused(let count), .consoleAccessDropped(let count):
            guard count >= 1 else { throw FormatError.invalidField(field: "count", reason: "0 refusals are not an event") }
        case .consoleAccess(let access):
            try access.validate()
        case .agencyAccess(let access):
            try access.validate()
        case .watchListChanged(let change):
            try change.validate()
        case .alertRaised(let entry, _):
            try WatchListChange.checkEntry(entry)
        case .attachmentStored(_, let number, _, _), .attachmentReceived(_, _, let number, _, _, _),
            .attachmentAcknowledged(_, _, let number, _, _):
            guard number >= 1 else { throw FormatError.invalidField(field: "attachment number", reason: "attachments are numbered from 1") }
        case .nodeStopped, .rosterInstalled, .envelopeUnreadable, .rosterRefused, .keysRotated, .bulletinsFlagged:
            break
        }
    }

    private static func checkText(_ text: String, field: String, allowed: (UInt8) -> Bool) throws(FormatError) {
        let utf8 = Array(text.utf8)
        guard (1...maximumTextByteCount).contains(utf8.count) else {
            throw FormatError.invalidField(field: field, reason: "must be 1…\(maximumTextByteCount) bytes, got \(utf8.count)")
        }
        guard utf8.allSatisfy(allowed) else {
            throw FormatError.invalidField(field: field, reason: "“\(text)” holds a character that is not allowed")
        }
    }
}
