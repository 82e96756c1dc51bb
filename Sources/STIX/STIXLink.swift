/// A correlation link of a bulletin being mapped (the later one, whose arrival made the link) to an
/// earlier bulletin, resolved by the caller into plain values: the mapping stays pure and never
/// reads the search index. The caller passes only links to earlier bulletins the recipient may
/// read (the export's TLP and handling filter, the TAXII collection's policy), so that nothing of
/// one it may not read, not even an id, reaches it (docs/STIX.md, "Correlation links").
public struct STIXLink: Sendable, Hashable {
    /// The earlier bulletin's id.
    public var earlierBulletinID: String
    /// The id of the report the earlier bulletin's objects belong to: the report of its correction
    /// chain's first bulletin (``STIXMapper/reportID(chainRoot:)``), the one the recipient holds.
    public var earlierReportID: String
    /// The earlier bulletin's TLP: the relationship carries the more restrictive of the two.
    public var earlierTLP: TLPMarking
    /// What the two bulletins share, as the search index names it (`identifier:passport`,
    /// `person`): part of the relationship's id.
    public var kind: String
    /// Why, in words a person reads (`document MAR:AB123456`, `name 0.93, same birth date`).
    public var reason: String
    /// 1 for an identifier; the person score (0…1) otherwise.
    public var score: Double

    /// A link.
    public init(
        earlierBulletinID: String, earlierReportID: String, earlierTLP: TLPMarking, kind: String, reason: String,
        score: Double
    ) {
        self.earlierBulletinID = earlierBulletinID
        self.earlierReportID = earlierReportID
        self.earlierTLP = earlierTLP
        self.kind = kind
        self.reason = reason
        self.score = score
    }
}
