/// Where `export stix` and the TAXII server read the correlation links of a bulletin: the node's
/// search index (`search.sqlite`, docs/SEARCH.md), read by the caller, which adapts its
/// `SearchReader` to this: StoredSTIX does not read the index itself.
public protocol CorrelationLinkSource: Sendable {
    /// What the index says of the links the arrival of `bulletinID` made to earlier bulletins.
    func earlierLinks(of bulletinID: String) throws -> CorrelationAnswer
}

/// A search index's answer for one bulletin's links.
public enum CorrelationAnswer: Sendable, Equatable {
    /// There is no index (turned off, or no file yet): no relationships, as before links existed.
    case noIndex
    /// The index has not reached the bulletin yet: its links are not known, and the TAXII engine
    /// holds the bulletin back (at most `TAXIIObjectEngine.linkHoldBackMilliseconds` after it was
    /// stored) rather than serve it without them.
    case notIndexedYet
    /// The index cannot be read now (a busy or replaced file): the TAXII engine holds the
    /// bulletin back for at most `TAXIIObjectEngine.linkHoldBackMilliseconds` from the first
    /// failure for it, whenever it was stored, rather than serve it without its links.
    case unreadable
    /// The bulletin is indexed: these are all its links to earlier bulletins (best first, at most
    /// `SearchReader.maximumLinks`), final (a link is written once, at indexing).
    case links([CorrelatedBulletin])
}

/// One link to an earlier bulletin, as plain values.
public struct CorrelatedBulletin: Sendable, Hashable {
    /// The earlier bulletin's id.
    public var earlierID: String
    /// What they share, as the index stores it (`identifier:passport`, `person`).
    public var kind: String
    /// Why, in words a person reads.
    public var reason: String
    /// 1 for an identifier; the person score otherwise.
    public var score: Double

    /// A link.
    public init(earlierID: String, kind: String, reason: String, score: Double) {
        self.earlierID = earlierID
        self.kind = kind
        self.reason = reason
        self.score = score
    }
}
