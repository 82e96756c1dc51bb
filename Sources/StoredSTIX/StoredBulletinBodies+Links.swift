import STIX
import Store

/// Resolves correlation links into ``STIXLink`` values over the store's summaries (no body read),
/// for one request — a TAXII page, an object-index catch-up — or one export.
///
/// Each earlier bulletin's summary is read at most once (many bulletins of a page may link to the
/// same earlier ones), each chain's first bulletin and whether its chain was withdrawn are found
/// once, and every store read is counted in ``reads`` so that the caller can bound the work of a
/// request (``TAXIIObjectEngine/maximumLinkReadsPerRequest``). What it remembers is dropped past
/// ``maximumRemembered`` entries (then read again): a long export stays bounded in memory.
public struct CorrelationLinkResolver: Sendable {
    /// The store, read-only.
    public let reader: BulletinReader
    /// The store reads made so far (summaries and chain queries; the memoised ones are free).
    public private(set) var reads = 0
    private var summaries: [String: BulletinSummary?] = [:]
    private var roots: [String: String] = [:]
    private var withdrawnChains: [String: Bool] = [:]

    /// The most summaries, roots and chain answers remembered together.
    public static let maximumRemembered = 20_000

    /// A resolver over `reader`'s store, remembering nothing yet.
    public init(reader: BulletinReader) {
        self.reader = reader
    }

    /// The links of `correlated` the recipient may read, as STIX values: each earlier bulletin's
    /// summary is read from the store, kept only when `receivable` admits it (the export's TLP
    /// and handling filter, the TAXII collection's policy), it is not itself a withdrawal and its
    /// correction chain was not withdrawn (the chain's report is revoked: nothing to link to), and
    /// given the report id of its chain (``STIXLineage/rootID(of:naming:corrects:)`` over the
    /// store's summaries), the id the recipient holds its objects under. A link to a bulletin the
    /// recipient may not read gives nothing, not even its id. At most
    /// ``STIXMapper/maximumLinksPerBulletin`` links are considered.
    public mutating func stixLinks(_ correlated: [CorrelatedBulletin], receivable: (BulletinSummary) -> Bool)
        throws -> [STIXLink]
    {
        var out: [STIXLink] = []
        for link in correlated.prefix(STIXMapper.maximumLinksPerBulletin) {
            guard let summary = try summary(link.earlierID), receivable(summary), summary.withdrawsID == nil,
                let tlp = TLPMarking(bulletinValue: summary.tlp.label)
            else { continue }
            let root = try root(of: summary)
            guard try !chainWithdrawn(root: root) else { continue }
            out.append(
                STIXLink(
                    earlierBulletinID: link.earlierID, earlierReportID: STIXMapper.reportID(chainRoot: root),
                    earlierTLP: tlp, kind: link.kind, reason: link.reason, score: link.score))
        }
        return out
    }

    /// The summary of the bulletin `id`, read once.
    mutating func summary(_ id: String) throws -> BulletinSummary? {
        if let known = summaries[id] { return known }
        forgetWhenFull()
        reads += 1
        let found = try reader.summary(id: id)
        summaries[id] = .some(found)
        return found
    }

    /// The first bulletin of the chain of `summary`, found once (the walk reads the summaries of
    /// the bulletins it corrects, through ``summary(_:)``).
    mutating func root(of summary: BulletinSummary) throws -> String {
        let id = summary.id.description
        if let known = roots[id] { return known }
        var failure: (any Error)?
        let root = STIXLineage.rootID(
            of: id, naming: summary.correctsID?.description,
            corrects: { earlier in
                do {
                    guard let found = try self.summary(earlier) else { return nil }
                    return .some(found.correctsID?.description)
                } catch {
                    failure = error
                    return nil
                }
            })
        if let failure { throw failure }
        forgetWhenFull()
        roots[id] = root
        return root
    }

    /// Whether a bulletin of the chain `root` begins (of its origin: no other state withdraws
    /// another's) is withdrawn: the mapper then revokes the chain's report. Breadth first from
    /// `root` through the store's later bulletins, at most ``STIXLineage/maximumChainLength``
    /// queries; found once.
    mutating func chainWithdrawn(root: String) throws -> Bool {
        if let known = withdrawnChains[root] { return known }
        let origin = STIXLineage.origin(of: root)
        var members = [root]
        var seen: Set<String> = [root]
        var index = 0
        var withdrawn = false
        walk: while index < members.count, index < STIXLineage.maximumChainLength {
            reads += 1
            for later in try reader.laterBulletins(of: members[index]) where later.id.origin.description == origin {
                if later.kind == .withdrawal {
                    withdrawn = true
                    break walk
                }
                if seen.insert(later.id.description).inserted { members.append(later.id.description) }
            }
            index += 1
        }
        forgetWhenFull()
        withdrawnChains[root] = withdrawn
        return withdrawn
    }

    /// Drops what is remembered once it holds ``maximumRemembered`` entries.
    private mutating func forgetWhenFull() {
        guard summaries.count + roots.count + withdrawnChains.count >= Self.maximumRemembered else { return }
        summaries.removeAll()
        roots.removeAll()
        withdrawnChains.removeAll()
    }
}

extension StoredBulletinBodies {
    /// The links of `correlated` the recipient may read, as STIX values
    /// (``CorrelationLinkResolver/stixLinks(_:receivable:)`` with a resolver of its own: nothing
    /// remembered from one call to the next).
    public func stixLinks(_ correlated: [CorrelatedBulletin], receivable: (BulletinSummary) -> Bool) throws
        -> [STIXLink]
    {
        var resolver = CorrelationLinkResolver(reader: reader)
        return try resolver.stixLinks(correlated, receivable: receivable)
    }
}
