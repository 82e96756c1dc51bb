import Exchange

/// One bulletin of a feed page: what a list shows and what the clearance policy needs (TLP,
/// working group, handling codes, own or received), without the body.
public struct BulletinSummary: Sendable, Hashable {
    /// Its id, `<origin>-<ULID>`.
    public var id: BulletinReference
    /// The state that posted it.
    public var origin: StateCode
    /// Its incident type.
    public var incidentType: String
    /// Its TLP.
    public var tlp: TLP
    /// Its working group as written (`customs`, …); `nil` when the body has none.
    public var workingGroup: String?
    /// Its handling codes in the body's order.
    public var handling: [String]
    /// When this node stored it.
    public var storedAt: Timestamp
    /// When the origin created it.
    public var createdAt: Timestamp
    /// Its title by language code (`ar`, `fr`, `en`), as the body writes it: free text from the
    /// origin, to be shown escaped and with its language marked.
    public var title: [String: String]
    /// Whether this node posted it.
    public var isOwn: Bool
    /// The bulletin it replaces in full, when it is a correction.
    public var correctsID: BulletinReference?
    /// The bulletin it withdraws, when it is a withdrawal.
    public var withdrawsID: BulletinReference?
    /// Whether this node flagged it for review (a ``BulletinFlag`` in `bulletin_flag`: accepted
    /// under keys the secretariat later revoked); ``BulletinReader/bulletin(id:)`` gives the flag.
    public var flagged: Bool

    /// A summary.
    public init(
        id: BulletinReference, origin: StateCode, incidentType: String, tlp: TLP, workingGroup: String?, handling: [String],
        storedAt: Timestamp, createdAt: Timestamp, title: [String: String], isOwn: Bool, correctsID: BulletinReference?,
        withdrawsID: BulletinReference?, flagged: Bool = false
    ) {
        self.id = id
        self.origin = origin
        self.incidentType = incidentType
        self.tlp = tlp
        self.workingGroup = workingGroup
        self.handling = handling
        self.storedAt = storedAt
        self.createdAt = createdAt
        self.title = title
        self.isOwn = isOwn
        self.correctsID = correctsID
        self.withdrawsID = withdrawsID
        self.flagged = flagged
    }

    /// Its position in the feed's order.
    public var cursor: BulletinCursor { BulletinCursor(storedAt: storedAt, id: id) }
}

/// One page of the feed, newest first.
public struct BulletinPage: Sendable, Hashable {
    /// The bulletins, newest first (by time stored, then by id, both descending).
    public var items: [BulletinSummary]
    /// Where the next (older) page starts; `nil` when this page is the last.
    public var next: BulletinCursor?

    /// A page.
    public init(items: [BulletinSummary], next: BulletinCursor?) {
        self.items = items
        self.next = next
    }
}
