import Exchange

/// What a console feed page asks for: filters, a position and a bound. Every filter left `nil`
/// admits every bulletin; the filters combine with AND. A clearance's scope (`Clearance`'s
/// `ReadableScope`) maps onto ``workingGroups``, ``tlps`` and ``permittedHandling``; a person's own
/// filter narrows them further (the console intersects the sets).
public struct BulletinQuery: Sendable, Hashable {
    /// Which bulletins by where they come from.
    public enum Ownership: String, Sendable, Hashable, CaseIterable {
        /// Posted by this node and received from other states.
        case all
        /// Posted by this node only.
        case own
        /// Received from other states only.
        case received
    }

    /// The largest page: a bigger ``limit`` is read as this.
    public static let maximumLimit = 200
    /// The page size when none is given.
    public static let defaultLimit = 50

    /// Own, received or both.
    public var ownership: Ownership
    /// Only this incident type (`drug-trafficking`, …).
    public var incidentType: String?
    /// Only from this origin state.
    public var origin: StateCode?
    /// Only with one of these TLPs (an empty set admits nothing).
    public var tlps: Set<TLP>?
    /// Only with one of these working groups (an empty set admits nothing; a bulletin without a
    /// working group never matches a set).
    public var workingGroups: Set<String>?
    /// Only bulletins carrying this handling code.
    public var handlingCode: String?
    /// Only bulletins whose every handling code is in this set (a bulletin without codes matches):
    /// how a reader's clearance excludes the codes that do not allow their agency, and unknown ones.
    public var permittedHandling: Set<String>?
    /// Only bulletins stored at or after this time.
    public var storedSince: Timestamp?
    /// Only bulletins stored at or before this time.
    public var storedUntil: Timestamp?
    /// Only bulletins whose JSON text contains this text, ignoring the case of ASCII letters; taken
    /// literally (`%` and `_` are no wildcards). Until full-text search (issue 18) this reads every
    /// body the other filters admit.
    public var contains: String?
    /// The page after this position: the ``BulletinPage/next`` of the previous page.
    public var before: BulletinCursor?
    /// Oldest first (by time stored, then id, both ascending) instead of newest first: the order
    /// of TAXII's `date_added` (docs/TAXII.md). ``before`` is then not read; ``after`` is.
    public var oldestFirst = false
    /// With ``oldestFirst``, the page after this position (strictly later in that order).
    public var after: BulletinCursor?
    /// At most this many bulletins: read as 1…``maximumLimit``.
    public var limit: Int

    /// A query; by default the newest ``defaultLimit`` bulletins, own and received.
    public init(
        ownership: Ownership = .all, incidentType: String? = nil, origin: StateCode? = nil, tlps: Set<TLP>? = nil,
        workingGroups: Set<String>? = nil, handlingCode: String? = nil, permittedHandling: Set<String>? = nil,
        storedSince: Timestamp? = nil, storedUntil: Timestamp? = nil, contains: String? = nil, before: BulletinCursor? = nil,
        limit: Int = BulletinQuery.defaultLimit
    ) {
        self.ownership = ownership
        self.incidentType = incidentType
        self.origin = origin
        self.tlps = tlps
        self.workingGroups = workingGroups
        self.handlingCode = handlingCode
        self.permittedHandling = permittedHandling
        self.storedSince = storedSince
        self.storedUntil = storedUntil
        self.contains = contains
        self.before = before
        self.limit = limit
    }

    /// ``limit`` within 1…``maximumLimit``.
    public var boundedLimit: Int { min(max(limit, 1), Self.maximumLimit) }
}
