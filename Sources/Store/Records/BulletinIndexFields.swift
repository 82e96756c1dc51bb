import Exchange

/// The members of a bulletin's body that the store keeps in indexed columns of their own for the
/// console's queries (migration v3): its working group, handling codes, and the bulletin it
/// corrects or withdraws.
///
/// The node already holds the parsed body when it stores a bulletin (it validated it a moment
/// before), so it passes these with ``StoredBulletin`` and the store does not parse the body a
/// second time on the exchange's path (docs/PERFORMANCE.md). A caller without them leaves them out
/// and the store reads them from the body.
public struct BulletinIndexFields: Sendable, Equatable {
    /// `workingGroup`, when the body has one.
    public var workingGroup: String?
    /// `handling`: the handling codes, possibly none.
    public var handling: [String]
    /// `corrects`: the bulletin this one corrects.
    public var corrects: BulletinReference?
    /// `withdraws`: the bulletin this one withdraws.
    public var withdraws: BulletinReference?

    /// The fields of one body.
    public init(workingGroup: String?, handling: [String], corrects: BulletinReference?, withdraws: BulletinReference?) {
        self.workingGroup = workingGroup
        self.handling = handling
        self.corrects = corrects
        self.withdraws = withdraws
    }
}
