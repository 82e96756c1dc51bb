import Exchange

/// A local command sent to a running node over its control socket (`ipc://DATA/control.sock`).
/// Only processes that can open the data folder (mode 0700) can reach it.
///
/// On the socket (DEALER → ROUTER) a request is one frame of JSON (`command`, `recipients`,
/// `query`, `accesses`, `agencyAccesses`, `watch`), followed for `post` by a second frame: the draft's own bytes, never re-encoded
/// inside the JSON, and for `rosterInstall` by the signed roster's bytes (see ``ControlRequest/frames`` and ``ControlRequest/init(frames:)``).
public struct ControlRequest: Codable, Sendable, Equatable {
    /// What to do.
    public enum Command: String, Codable, Sendable {
        /// Validate, number, seal, store and publish a bulletin.
        case post
        /// Report links, positions, receipts and rejections.
        case status
        /// Return stored bulletins.
        case history
        /// Answer, to show the node is up.
        case ping
        /// The node's metrics in Prometheus text format.
        case metrics
        /// Record the web console's accesses (sign-ins, sign-outs, bulletins opened or refused;
        /// agency systems' TAXII requests) in the node's audit log: metadata only, checked
        /// strictly, rate-bound.
        case recordAccess
        /// Add a watch-list entry (``ControlRequest/watch``: owner, kind, value, label, scope).
        case watchAdd
        /// Remove a watch-list entry (``ControlRequest/watch``: owner, entry).
        case watchRemove
        /// List an owner's watch-list entries (``ControlRequest/watch``: owner).
        case watchList
        /// Install a signed roster (``ControlRequest/signedRoster``, the second frame) in the
        /// running node: verified as `roster install` verifies it, written to `DATA/roster.signed`
        /// and in force at once, without a restart (docs/OPERATIONS.md).
        case rosterInstall
        /// Read the next keys `bordernet keys rotate` just made (`DATA/keys.next`), so that the
        /// running node opens what an origin seals to them before the roster reaches the node.
        case keysReload
    }

    /// The command.
    public var command: Command
    /// `post`: the bulletin draft, JSON without an `id` (the node assigns it). Travels as its
    /// own frame.
    public var draft: [UInt8]?
    /// `post`: the recipient states; empty or absent for every state the roster links us to.
    public var recipients: [String]?
    /// `history`: which bulletins.
    public var query: HistoryQuery?
    /// `recordAccess`: the console's accesses, 0…``ConsoleAccessRecord/maximumPerRequest``
    /// (at least one record in all, with ``agencyAccesses``).
    public var accesses: [ConsoleAccessRecord]?
    /// `recordAccess`: agency systems' TAXII requests, 0…``AgencyAccessRecord/maximumPerRequest``.
    public var agencyAccesses: [AgencyAccessRecord]?
    /// `watchAdd`, `watchRemove`, `watchList`: the owner and the entry (docs/SEARCH.md).
    public var watch: WatchRequest?
    /// `rosterInstall`: the signed roster's bytes (docs/PROTOCOL.md §6.3). Travels as its own frame.
    public var signedRoster: [UInt8]?
    /// `post`: what the officer says of each attached file, in the order of ``files``.
    public var attachments: [AttachmentUpload]?
    /// `post`: the attached files' bytes, each in its own frame after the draft.
    public var files: [[UInt8]] = []
    /// Whether a post attaches files (described or sent).
    public var carriesFiles: Bool { !(attachments ?? []).isEmpty || !files.isEmpty }

    /// A request.
    public init(
        command: Command, draft: [UInt8]? = nil, recipients: [String]? = nil, query: HistoryQuery? = nil,
        accesses: [ConsoleAccessRecord]? = nil,
        agencyAccesses: [AgencyAccessRecord]? = nil, watch: WatchRequest? = nil, signedRoster: [UInt8]? = nil,
        attachments: [AttachmentUpload]? = nil, files: [[UInt8]] = []
    ) {
        self.attachments = attachments
        self.files = files
        self.command = command
        self.draft = draft
        self.recipients = recipients
        self.query = query
        self.accesses = accesses
        self.agencyAccesses = agencyAccesses
        self.watch = watch
        self.signedRoster = signedRoster
    }

    /// The members of the JSON frame (the draft and the signed roster are not).
    static let memberNames = ["command", "recipients", "query", "accesses", "agencyAccesses", "watch", "attachments"]

    private enum CodingKeys: String, CodingKey {
        case command, recipients, query, accesses, agencyAccesses, watch, attachments
    }

}

/// Which stored bulletins `history` returns.
public struct HistoryQuery: Codable, Sendable, Equatable {
    /// Only this incident type.
    public var incidentType: String?
    /// Only from this origin state.
    public var origin: String?
    /// Only stored at or after this time (Unix milliseconds).
    public var since: Int64?
    /// At most this many (the most recent), oldest first.
    public var limit: Int
    /// Include the bulletins this node posted itself.
    public var includeOwn: Bool
    /// Only bulletins flagged for review (``FlagNotice``); absent: all.
    public var flaggedOnly: Bool?

    /// A query.
    public init(
        incidentType: String? = nil, origin: String? = nil, since: Int64? = nil, limit: Int = 100,
        includeOwn: Bool = false,
        flaggedOnly: Bool? = nil
    ) {
        self.flaggedOnly = flaggedOnly
        self.incidentType = incidentType
        self.origin = origin
        self.since = since
        self.limit = limit
        self.includeOwn = includeOwn
    }
}

/// A node's answer to a ``ControlRequest``.
public struct ControlResponse: Codable, Sendable, Equatable {
    /// Whether the command succeeded.
    public var ok: Bool
    /// What went wrong, for a person.
    public var error: String?
    /// `post` refused for its content: each failure with its JSON pointer.
    public var failures: [String]?
    /// `post` refused because recipients' nodes cannot read the bulletin's schema version.
    public var unreadable: UnreadableByRecipients?
    /// `post`: what was posted.
    public var posted: PostedBulletin?
    /// `status`: the node's links.
    public var status: NodeStatus?
    /// `history`: the bulletins.
    public var bulletins: [FeedBulletin]?
    /// `metrics`: the Prometheus text exposition.
    public var metrics: String?
    /// `watchAdd`: the entry made; `watchList`: the owner's entries, oldest first.
    public var watchEntries: [WatchListItem]?
    /// `rosterInstall`: the roster in force after the request.
    public var roster: RosterInstallation?

    /// A response.
    public init(
        ok: Bool, error: String? = nil, failures: [String]? = nil, unreadable: UnreadableByRecipients? = nil,
        posted: PostedBulletin? = nil,
        status: NodeStatus? = nil, bulletins: [FeedBulletin]? = nil, metrics: String? = nil,
        watchEntries: [WatchListItem]? = nil,
        roster: RosterInstallation? = nil
    ) {
        self.ok = ok
        self.error = error
        self.failures = failures
        self.unreadable = unreadable
        self.posted = posted
        self.status = status
        self.bulletins = bulletins
        self.metrics = metrics
        self.watchEntries = watchEntries
        self.roster = roster
    }

    /// A failure.
    public static func failure(_ message: String, failures: [String]? = nil) -> ControlResponse {
        ControlResponse(ok: false, error: message, failures: failures)
    }
}

/// Why a post was refused for its schema version: the roster declares that some of its
/// recipients' nodes read only older schemas (docs/PROTOCOL.md §6.1). Nothing was stored or sent.
public struct UnreadableByRecipients: Codable, Sendable, Equatable {
    /// The bulletin's `schemaVersion`, `major.minor`.
    public var schemaVersion: BodySchemaVersion
    /// The roster the node checked against.
    public var rosterVersion: UInt64
    /// Each recipient that cannot read it, with the newest version the roster says it reads.
    public var recipients: [RecipientReading]
    /// The post's other recipients, which can read it.
    public var readers: [String]

    /// A refusal of a bulletin of `schemaVersion` for `recipients`, under roster `rosterVersion`.
    public init(
        schemaVersion: BodySchemaVersion, rosterVersion: UInt64, recipients: [RecipientReading], readers: [String]
    ) {
        self.schemaVersion = schemaVersion
        self.rosterVersion = rosterVersion
        self.recipients = recipients
        self.readers = readers
    }
}

/// A recipient and the newest bulletin schema version its roster entry says its node reads.
public struct RecipientReading: Codable, Sendable, Equatable {
    /// The recipient state.
    public var state: String
    /// What it reads, `major.minor`.
    public var readsSchema: BodySchemaVersion

    /// `state` reads up to `readsSchema`.
    public init(state: String, readsSchema: BodySchemaVersion) {
        self.state = state
        self.readsSchema = readsSchema
    }
}

/// A bulletin the node accepted from `post`: stored with its envelopes before this answer.
public struct PostedBulletin: Codable, Sendable, Equatable {
    /// The id the node assigned (`MA-01J…`).
    public var id: String
    /// The recipients with the sequence number of the bulletin's envelope on each link.
    public var envelopes: [PostedEnvelope]

    /// A posted bulletin.
    public init(id: String, envelopes: [PostedEnvelope]) {
        self.id = id
        self.envelopes = envelopes
    }
}

/// What an officer says of a file attached to a post (docs/PROTOCOL.md §17.1); the node
/// finds its type, size, hash and key itself.
public struct AttachmentUpload: Codable, Sendable, Equatable {
    /// The file's name, without a path (its extension must agree with its content).
    public var fileName: String
    /// A caption by language code (`ar`, `fr`, `en`), if any.
    public var caption: [String: String]?
    /// The local id of the observable in `details` the file shows, if any.
    public var shows: String?
    /// Keep the photo's metadata (EXIF with its GPS position, XMP, comments): only when the
    /// officer asks for it explicitly. By default it is removed before anything is stored.
    public var keepMetadata: Bool?

    /// An attachment of a post.
    public init(fileName: String, caption: [String: String]? = nil, shows: String? = nil, keepMetadata: Bool? = nil) {
        self.fileName = fileName
        self.caption = caption
        self.shows = shows
        self.keepMetadata = keepMetadata
    }
}

/// One envelope of a posted bulletin.
public struct PostedEnvelope: Codable, Sendable, Equatable {
    /// The recipient state.
    public var recipient: String
    /// The envelope's sequence number on the link.
    public var sequence: UInt64

    /// One envelope of a post.
    public init(recipient: String, sequence: UInt64) {
        self.recipient = recipient
        self.sequence = sequence
    }
}

/// A stored bulletin as the feed shows it.
public struct FeedBulletin: Codable, Sendable, Equatable {
    /// Its id.
    public var id: String
    /// The state that posted it.
    public var origin: String
    /// Its incident type.
    public var incidentType: String
    /// Its TLP marking.
    public var tlp: String
    /// When this node stored it (Unix milliseconds).
    public var storedAt: Int64
    /// The bulletin JSON.
    public var body: String
    /// Why it is flagged for review, when it is (absent otherwise, and on the live feed, which
    /// carries flags as messages of their own).
    public var flag: FlagNotice?
    /// Its attachments as this node holds them (absent when it has none, and on the live feed:
    /// the body lists them, and a recipient pulls them after the bulletin).
    public var attachments: [FeedAttachment]?

    /// A feed entry.
    public init(
        id: String, origin: String, incidentType: String, tlp: String, storedAt: Int64, body: String,
        flag: FlagNotice? = nil,
        attachments: [FeedAttachment]? = nil
    ) {
        self.flag = flag
        self.attachments = attachments
        self.id = id
        self.origin = origin
        self.incidentType = incidentType
        self.tlp = tlp
        self.storedAt = storedAt
        self.body = body
    }
}

/// An attachment of a feed entry, as the node holds it (docs/PROTOCOL.md §17).
public struct FeedAttachment: Codable, Sendable, Equatable {
    /// Its place in the bulletin's list, from 1 (`bordernet attachment get BULLETIN NUMBER`).
    public var number: Int
    /// Its name as attached.
    public var fileName: String
    /// `image/jpeg`, `image/png`, `image/webp` or `application/pdf`.
    public var mediaType: String
    /// Its size in bytes.
    public var size: UInt64
    /// Its SHA-256, hexadecimal.
    public var sha256: String
    /// `complete`, `transfer` (chunks still pulled) or `refused`.
    public var state: String
    /// Chunks held of ``chunkCount``.
    public var chunksHeld: UInt64
    /// Chunks in all.
    public var chunkCount: UInt64
    /// Why it was refused, when it was.
    public var detail: String?

    /// An attachment of a feed entry.
    public init(
        number: Int, fileName: String, mediaType: String, size: UInt64, sha256: String, state: String,
        chunksHeld: UInt64, chunkCount: UInt64,
        detail: String? = nil
    ) {
        self.number = number
        self.fileName = fileName
        self.mediaType = mediaType
        self.size = size
        self.sha256 = sha256
        self.state = state
        self.chunksHeld = chunksHeld
        self.chunkCount = chunkCount
        self.detail = detail
    }
}

/// What a running node did with a roster given to it by `rosterInstall`.
public struct RosterInstallation: Codable, Sendable, Equatable {
    /// The version in force before the request.
    public var previousVersion: UInt64
    /// The version in force now.
    public var version: UInt64
    /// `false` when the offered roster was the one already installed (nothing changed).
    public var changed: Bool

    /// An answer: `previousVersion` → `version`.
    public init(previousVersion: UInt64, version: UInt64, changed: Bool) {
        self.previousVersion = previousVersion
        self.version = version
        self.changed = changed
    }
}
