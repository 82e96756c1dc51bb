import Exchange

/// A bulletin as stored: its metadata in columns (for queries and status) and its JSON body.
/// Bulletins are never edited: a correction or withdrawal is another bulletin.
public struct StoredBulletin: Sendable, Equatable {
    /// The bulletin's reference `<origin>-<ULID>` (its JSON `id`, and the row's key).
    public var reference: BulletinReference
    /// The incident type (`drug-trafficking`, …).
    public var incidentType: String
    /// The TLP marking.
    public var tlp: TLP
    /// When the origin created it.
    public var createdAt: Timestamp
    /// When this node stored it. On insert, the store raises it to one millisecond after the
    /// last bulletin it stored when the clock has not moved past that (same millisecond, clock
    /// stepped back): stored times are strictly increasing in commit order.
    public var storedAt: Timestamp
    /// The bulletin JSON exactly as validated.
    public var body: [UInt8]
    /// The members of `body` kept in indexed columns, when the caller already has them from
    /// validation; `nil` makes the store read them from `body`. Derived from `body`, so not part
    /// of equality; `nil` in a bulletin read back.
    public var indexFields: BulletinIndexFields?

    /// A bulletin row.
    public init(
        reference: BulletinReference, incidentType: String, tlp: TLP, createdAt: Timestamp, storedAt: Timestamp, body: [UInt8],
        indexFields: BulletinIndexFields? = nil
    ) {
        self.reference = reference
        self.incidentType = incidentType
        self.tlp = tlp
        self.createdAt = createdAt
        self.storedAt = storedAt
        self.body = body
        self.indexFields = indexFields
    }

    /// Equal when every stored column is equal (``indexFields`` is derived from `body`).
    public static func == (lhs: StoredBulletin, rhs: StoredBulletin) -> Bool {
        lhs.reference == rhs.reference && lhs.incidentType == rhs.incidentType && lhs.tlp == rhs.tlp
            && lhs.createdAt == rhs.createdAt && lhs.storedAt == rhs.storedAt && lhs.body == rhs.body
    }

    /// The state that posted it (stored in a column of its own for queries).
    public var origin: StateCode { reference.origin }
}
